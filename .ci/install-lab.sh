#!/usr/bin/env bash
# Installs the Debian packages the SSH lab (lab/up.sh) needs. Idempotent and non-interactive.
# Safe on a machine without systemd: policy-rc.d keeps package scripts from starting services,
# the lab starts its own sshd/dockerd/registry processes.
set -euo pipefail

PACKAGES=(
  openssh-server   # sshd per lab host
  openssh-client   # ssh-keygen (host/client keys, fingerprints, hashed known_hosts)
  docker.io        # dockerd + containerd + the Debian docker client
  docker-compose   # compose v1 (1.29), reached as `docker compose` through a CLI-plugin shim
  docker-registry  # the lab's image registry
  busybox-static   # the only binary inside the lab's app images
  libzstd1         # linked by caddy (the zero-downtime tests' proxy image copies it from this machine)
  iproute2         # ip netns / veth / bridge
  procps           # ps/pkill-free process checks in status/down
  util-linux       # nsenter, unshare, mountpoint
  curl             # HTTP checks of the lab app, pushes to the registry API
  jq               # writes and reads the address book (lab/.run/lab.json)
  ca-certificates
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "lab packages already installed"
else
  # Without a policy-rc.d that answers 101, postinst scripts would try to start sshd/docker. Only for
  # this install: one we add is removed again.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The reverse proxy of the zero-downtime lab tests (lab/caddy.sh builds an image from it): Debian's caddy package,
# downloaded, not installed, so the machine gets no caddy service or user. Kept in the lab's cache, which `down` keeps.
CACHE=/var/cache/deploylab
if ! find "$CACHE" -maxdepth 1 -name 'caddy_2.6.*_amd64.deb' 2>/dev/null | grep -q .; then
  mkdir -p "$CACHE"
  # As root, apt-get download warns that its sandbox user cannot write here; the download itself works.
  (cd "$CACHE" && { apt-get download -qq caddy 2>/dev/null || { apt-get update -qq && apt-get download -qq caddy; }; })
fi
find "$CACHE" -maxdepth 1 -name 'caddy_2.6.*_amd64.deb' | grep -q . || { echo "no caddy 2.6 package in $CACHE" >&2; exit 1; }

for bin in /usr/sbin/sshd /usr/bin/ssh-keygen /usr/sbin/dockerd /usr/bin/docker /usr/bin/docker-compose \
  /usr/bin/docker-registry /bin/busybox /usr/bin/nsenter /usr/bin/unshare /usr/bin/setsid /usr/bin/flock /usr/bin/curl /usr/bin/jq \
  /usr/bin/dpkg-deb /usr/bin/ldd; do
  [ -x "$bin" ] || { echo "missing after install: $bin" >&2; exit 1; }
done
echo "lab packages ready"
