# shellcheck shell=bash
# shellcheck disable=SC2034 # the constants are used by the scripts that source this file
# Shared names, addresses and helpers of the SSH lab. Sourced by up.sh, down.sh, status.sh,
# registry.sh and push.sh; not run on its own.
#
# Safety model (see README.md): every lab address lives in 10.213.0.0/16, which is blackholed in the root
# namespace before anything else exists, so a mistake fails locally instead of leaving through eth0. The
# root namespace reaches the lab through one veth (dl-root) whose connected /20 route is more specific than
# the blackhole; every client checks `ip route get` before its first connect (assert_lab_route).

LAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN_DIR="$LAB_DIR/.run"            # client side: address book, keys, known_hosts (git-ignored)
ASSETS="$LAB_DIR/assets"
STATE=/var/lib/deploylab           # server side: host dirs, dockerd data, registry storage, logs, PID files

LAB_CIDR=10.213.0.0/16             # blackholed in the root namespace
LAB_PREFIX=20                      # the part of it the lab bridge actually uses: 10.213.0.0/20
ROOT_ADDR=10.213.0.1
REGISTRY_ADDR=10.213.0.5
REGISTRY_PORT=5000
REGISTRY="$REGISTRY_ADDR:$REGISTRY_PORT"
IMAGE_REPO="$REGISTRY/lab/app"
PROXY_IMAGE="$REGISTRY/lab/caddy:2.6"  # the reverse proxy of the zero-downtime tests (lab/caddy.sh)
# Kept across `down`/`up` (the lab's own state is not): the caddy package .ci/install-lab.sh downloads, and the
# proxy image layer built from it.
CACHE=/var/cache/deploylab
APP_PORT=8080
ODD_SSH_PORT_HOST=h4               # listens on 2222 so `[host]:port` known_hosts lines get exercised
ODD_SSH_PORT=2222
ASH_SSH_PORT=2022                  # every full host's sshd also listens here: sessions on it get busybox ash as `sh`
ASH_BIN="$STATE/ash-bin"           # holds only `sh -> busybox`; first in the PATH of sessions on $ASH_SSH_PORT
DOCKER_USER=deploylab              # a login that is not root, in the machine's `docker` group (up adds, down removes)

NS_PREFIX=deploylab-               # every namespace the lab makes; teardown touches only these
NS_SWITCH=deploylab-sw
NS_REGISTRY=deploylab-reg
BRIDGE=dlbr0                       # in $NS_SWITCH
ROOT_IF=dl-root                    # root namespace end of the root <-> bridge veth
HOST_IF=dleth0                     # the interface inside each host/registry namespace

CLIENT_KEY_PASSPHRASE=deploylab-passphrase

log() { printf '[lab %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
  printf '[lab] ERROR: %s\n' "$*" >&2
  exit 1
}

require_root() {
  [ "$(id -u)" = 0 ] || die "run as root (network namespaces, mounts, dockerd)"
  [ "$(uname -s)" = Linux ] || die "Linux only"
}

require_tools() {
  local bin
  for bin in /usr/sbin/sshd /usr/bin/ssh-keygen /usr/sbin/dockerd /usr/bin/docker /usr/bin/docker-compose \
    /usr/bin/docker-registry /bin/busybox /usr/bin/nsenter /usr/bin/unshare /usr/bin/setsid /usr/bin/flock \
    /usr/bin/curl /usr/bin/jq /usr/sbin/docker-proxy; do
    [ -x "$bin" ] || die "missing $bin: run .ci/install-lab.sh"
  done
}

now_ms() { date +%s%3N; }

# up and down (several people and CI share one machine and one lab): one at a time.
lab_lock() {
  exec 9>/run/deploylab.lock
  if ! flock -n 9; then
    log "another lab up/down is running; waiting for it"
    flock -w 600 9 || die "gave up waiting for /run/deploylab.lock"
  fi
}

# --- naming -----------------------------------------------------------------------------------------

# Full hosts are h1..hN at 10.213.1.(10+K); sshd-only hosts are s1..sM at 10.213.2.K.
host_address() {
  local name="$1" k="${1:1}"
  case "$name" in
    h*) echo "10.213.1.$((10 + k))" ;;
    s*) echo "10.213.2.$k" ;;
    *) die "unknown host name $name" ;;
  esac
}
host_ssh_port() { if [ "$1" = "$ODD_SSH_PORT_HOST" ]; then echo "$ODD_SSH_PORT"; else echo 22; fi; }
host_ns() { echo "$NS_PREFIX$1"; }
host_dir() { echo "$STATE/hosts/$1"; }
bridge_port() { echo "dlp-$1"; }

# --- safety -----------------------------------------------------------------------------------------

# Refuse to talk to an address unless the root namespace routes it through the lab veth: a missing veth
# would otherwise hit the blackhole (fine) or, without it, the default route (never acceptable).
assert_lab_route() {
  local addr="$1" route
  route="$(ip -4 route get "$addr" 2>&1 || true)"
  case "$route" in
    *" via "*) die "route to $addr goes via a gateway ($route): refusing to connect" ;;
    *"dev $ROOT_IF "*) ;;
    *) die "route to $addr is not via $ROOT_IF ($route): is the lab up?" ;;
  esac
}

add_blackhole() {
  ip route replace blackhole "$LAB_CIDR"
}

# --- registry ---------------------------------------------------------------------------------------
# Images are pushed through the registry's HTTP API, without a daemon: no host's image cache is touched.

sha256_of() { sha256sum "$1" | awk '{print "sha256:" $1}'; }

# Upload a blob into repository $1 unless the registry has it already (monolithic upload: POST for a session, PUT
# the bytes).
registry_upload_blob() { # repository file digest
  local url="http://$REGISTRY/v2/$1" file="$2" digest="$3" location
  if curl -fsS -o /dev/null -I "$url/blobs/$digest" 2>/dev/null; then return 0; fi
  location="$(curl -fsS -o /dev/null -D - -X POST "$url/blobs/uploads/" |
    awk 'tolower($1) == "location:" {print $2}' | tr -d '\r')"
  [ -n "$location" ] || die "registry gave no upload location"
  case "$location" in /*) location="http://$REGISTRY$location" ;; esac
  case "$location" in *\?*) location="$location&digest=$digest" ;; *) location="$location?digest=$digest" ;; esac
  curl -fsS -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$file" "$location" ||
    die "upload of $digest failed"
}

# Point repository $1's tag $2 at the image manifest in file $3 (its blobs uploaded first).
registry_put_manifest() { # repository tag manifest-file
  curl -fsS -o /dev/null -X PUT -H 'Content-Type: application/vnd.docker.distribution.manifest.v2+json' \
    --data-binary "@$3" "http://$REGISTRY/v2/$1/manifests/$2" || die "manifest upload for $1:$2 failed"
}

# --- processes --------------------------------------------------------------------------------------

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
read_pid() {
  local pid=""
  if [ -s "$1" ]; then read -r pid <"$1" || true; fi
  if [[ "$pid" =~ ^[0-9]+$ ]]; then echo "$pid"; fi
}

# Stop the processes named by PID files: SIGTERM to all at once, wait up to $1 seconds for all of them,
# SIGKILL what is left. Only bash builtins per process, so 50 hosts stop as fast as one.
stop_pidfiles() {
  local grace="$1" file pid pids=() alive i
  shift
  for file in "$@"; do
    pid=""
    if [ -s "$file" ]; then read -r pid <"$file" || true; fi
    if [[ "$pid" =~ ^[0-9]+$ ]] && kill -TERM "$pid" 2>/dev/null; then pids+=("$pid"); fi
  done
  for ((i = 0; i < grace * 10; i++)); do
    alive=()
    for pid in "${pids[@]}"; do if kill -0 "$pid" 2>/dev/null; then alive+=("$pid"); fi; done
    [ "${#alive[@]}" -gt 0 ] || break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -f "$@"
}
stop_pidfile() { stop_pidfiles "${2:-5}" "$1"; }

# Wait until a TCP port accepts connections (from the root namespace, after assert_lab_route).
wait_tcp() {
  local addr="$1" port="$2" tries="${3:-100}" i
  for ((i = 0; i < tries; i++)); do
    if timeout 1 bash -c "exec 3<>/dev/tcp/$addr/$port" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

# Run a command as lab host $1 sees the world: in its network namespace and in a private mount namespace
# where the host's own directories are bind-mounted over /app, /tmp, /root and (full hosts) /etc/docker (namespaces
# share one filesystem otherwise). Its own /root also keeps the machine's root dotfiles (.bashrc) out of
# the hosts' SSH sessions. nsenter --net rather than `ip netns exec`: the latter remounts /sys, and
# dockerd then fails with "Devices cgroup isn't mounted".
# shellcheck disable=SC2016 # expanded by the inner shell
HOST_EXEC_SH='
  set -e
  mount --bind "$1/app" /app
  mount --bind "$1/tmp" /tmp
  mount --bind "$1/root" /root
  if [ -d "$1/etc-docker" ]; then mount --bind "$1/etc-docker" /etc/docker; fi
  ns="$2"
  shift 2
  exec nsenter --net="/run/netns/$ns" -- "$@"
'
host_exec() {
  local name="$1"
  shift
  unshare --mount --propagation private -- /bin/sh -c "$HOST_EXEC_SH" host-exec "$(host_dir "$name")" "$(host_ns "$name")" "$@"
}

# Start a long-running process as host $1, detached (setsid) with its output in a log file. It must not
# inherit the lock of lab_lock (fd 9), or the lock would live as long as the daemon.
host_daemon() {
  local name="$1" logfile="$2"
  shift 2
  setsid unshare --mount --propagation private -- /bin/sh -c "$HOST_EXEC_SH" host-exec "$(host_dir "$name")" \
    "$(host_ns "$name")" "$@" </dev/null >>"$logfile" 2>&1 9>&- &
}

start_sshd() {
  local name="$1" dir
  dir="$(host_dir "$name")"
  host_daemon "$name" "$dir/sshd.log" /usr/sbin/sshd -D -e -f "$dir/sshd_config"
}

# --- docker -----------------------------------------------------------------------------------------

# dockerd under nsenter --net (see host_exec), with everything of its own: data, exec root, socket,
# PID file, cgroup parent. No bridge and no iptables: the host's firewall stays untouched and the lab app
# uses network_mode: host. A published port is served by docker-proxy (the userland proxy) in the host's
# namespace: without iptables nothing else forwards it (dockerd alone binds the port and connections hang).
start_dockerd() {
  local name="$1" dir
  dir="$(host_dir "$name")"
  host_daemon "$name" "$dir/dockerd.log" /usr/sbin/dockerd \
    --config-file "$dir/daemon.json" \
    --data-root "$dir/docker/data" \
    --exec-root "$dir/docker/exec" \
    --host "unix://$dir/docker.sock" \
    --pidfile "$dir/dockerd.pid" \
    --insecure-registry "$REGISTRY" \
    --cgroup-parent "/deploylab-$name" \
    --bridge=none --iptables=false --ip6tables=false --ip-masq=false --ip-forward=false \
    --userland-proxy=true --userland-proxy-path /usr/sbin/docker-proxy \
    --shutdown-timeout 2
}

wait_dockerd() {
  local name="$1" i
  for ((i = 0; i < 200; i++)); do
    host_docker "$name" version >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  die "dockerd of $name not ready; see $(host_dir "$name")/dockerd.log"
}


host_docker() {
  local name="$1"
  shift
  DOCKER_HOST="unix://$(host_dir "$name")/docker.sock" DOCKER_CONFIG="$(host_dir "$name")/docker-config" \
    /usr/bin/docker "$@"
}

# --- teardown ---------------------------------------------------------------------------------------

lab_namespaces() { ip netns list 2>/dev/null | awk '{print $1}' | grep "^$NS_PREFIX" || true; }

# Processes that can only be the lab's: inside a lab network namespace, or in a cgroup made for the
# lab's containers (--cgroup-parent /deploylab-<host>), which also holds containers with their own netns.
# One find over /proc instead of one `ip netns pids` per namespace (50 hosts).
lab_stray_pids() {
  local inodes dir
  inodes="$(stat -L -c %i /run/netns/"$NS_PREFIX"* 2>/dev/null | tr '\n' ' ' || true)"
  if [ -n "${inodes// /}" ]; then
    find /proc -mindepth 3 -maxdepth 3 -path '/proc/[0-9]*/ns/net' -printf '%h %l\n' 2>/dev/null |
      awk -v inodes="$inodes" '
        BEGIN { n = split(inodes, list, " "); for (i = 1; i <= n; i++) lab["net:[" list[i] "]"] = 1 }
        $2 in lab { split($1, parts, "/"); print parts[3] }'
  fi
  for dir in /sys/fs/cgroup/*/deploylab-* /sys/fs/cgroup/deploylab-*; do
    [ -d "$dir" ] || continue
    find "$dir" -name cgroup.procs -exec cat {} + 2>/dev/null || true
  done
}

kill_strays() {
  local pids i
  pids="$(lab_stray_pids | sort -un | tr '\n' ' ')"
  [ -n "${pids// /}" ] || return 0
  log "stopping leftover lab processes: $pids"
  # shellcheck disable=SC2086 # a list of PIDs
  kill -TERM $pids 2>/dev/null || true
  for ((i = 0; i < 30; i++)); do
    pids="$(lab_stray_pids | sort -un | tr '\n' ' ')"
    [ -n "${pids// /}" ] || return 0
    sleep 0.1
  done
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null || true
  sleep 0.2
}

remove_lab_cgroups() {
  local dir
  for dir in /sys/fs/cgroup/*/deploylab-* /sys/fs/cgroup/deploylab-*; do
    [ -d "$dir" ] || continue
    find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
}

# Tear down everything an earlier run left, in reverse order of up. Every step tolerates a missing
# piece, so it also cleans up after an `up` that failed half-way. With keep_blackhole=yes (used by up),
# the blackhole route stays, so there is no moment where lab addresses route through eth0.
lab_teardown() {
  local keep_blackhole="${1:-no}" dir name t

  t="$(now_ms)"
  # 1. Apps first, while their dockerd still runs: compose down per host, in parallel.
  if [ -d "$STATE/hosts" ]; then
    for dir in "$STATE"/hosts/h*; do
      [ -d "$dir" ] || continue
      name="$(basename "$dir")"
      if pid_alive "$(read_pid "$dir/dockerd.pid")" && [ -S "$dir/docker.sock" ]; then
        compose_down "$name" &
      fi
    done
    wait
    log "teardown: compose down done (+$(($(now_ms) - t)) ms)"
    # 2. The daemons, by their PID files: dockerd stops its containers and containerd on SIGTERM.
    stop_pidfiles 15 "$STATE"/hosts/*/dockerd.pid "$STATE"/hosts/*/sshd.pid "$STATE/registry/registry.pid"
  fi
  log "teardown: daemons stopped (+$(($(now_ms) - t)) ms)"

  # 3. Whatever still runs in a lab namespace or lab cgroup (shims, containers of a crashed dockerd).
  kill_strays
  remove_lab_cgroups

  # 4. Namespaces (deleting one destroys the veth ends inside it), then root-namespace links.
  lab_namespaces | sed 's/^/netns delete /' | ip -force -batch - 2>/dev/null || true
  # The root veth is the lab's only link in the root namespace (veths are created with both ends in
  # their namespaces); it is normally gone with deploylab-sw already.
  if ip link show "$ROOT_IF" >/dev/null 2>&1; then ip link delete "$ROOT_IF" || true; fi

  log "teardown: namespaces removed (+$(($(now_ms) - t)) ms)"
  # 5. Server-side state. Nothing of it is mounted in the root namespace (mounts live in private ones).
  rm -rf "$STATE"
  rm -rf "$RUN_DIR/lab.json" "$RUN_DIR/env.sh" "$RUN_DIR/keys" "$RUN_DIR/known_hosts" "$RUN_DIR/known_hosts.hashed"

  # The non-root login stays while the lab is rebuilt (up), and goes with it (down).
  if [ "$keep_blackhole" != yes ] && id -u "$DOCKER_USER" >/dev/null 2>&1; then userdel "$DOCKER_USER" || true; fi

  # 6. Last: the blackhole route.
  if [ "$keep_blackhole" != yes ]; then
    ip route del blackhole "$LAB_CIDR" 2>/dev/null || true
  fi
}

compose_down() {
  local name="$1"
  # Project name and compose file come from /app as the host sees it: run compose inside the host.
  # shellcheck disable=SC2016 # expanded by the inner shell
  host_exec "$name" env DOCKER_HOST="unix://$(host_dir "$name")/docker.sock" \
    DOCKER_CONFIG="$(host_dir "$name")/docker-config" PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    timeout 30 sh -c 'cd /app && for f in compose.yaml compose.yml docker-compose.yml docker-compose.yaml; do
      if [ -e "$f" ]; then exec docker compose down -t 1 --remove-orphans; fi
    done' \
    >>"$(host_dir "$name")/teardown.log" 2>&1 || true
}
