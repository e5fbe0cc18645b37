#!/usr/bin/env bash
# lab/caddy.sh — build the reverse proxy image of the zero-downtime tests and push it to the lab registry as
# <registry>/lab/caddy:2.6 (lab/up.sh runs it; running it again is cheap).
#
# The image holds Debian's caddy 2.6 (from the package .ci/install-lab.sh downloads into /var/cache/deploylab:
# unpacked here, never installed on the machine), the three libraries it links (libzstd, libc, the loader, copied
# from this machine) and lab/assets/caddy/Caddyfile. The Caddyfile is baked in: the lab's dockerds run in the root
# mount namespace, so a compose bind mount of a host's /app/… would not see that host's own /app. Like push.sh,
# no daemon is involved: one layer, pushed with the registry HTTP API. The layer is cached under /var/cache/deploylab
# by the content it is built from, so after the first build a push only uploads what the registry lacks.
set -euo pipefail
# shellcheck source=lab/lib.sh
source "$(dirname "$0")/lib.sh"

REPO_PATH="${PROXY_IMAGE#"$REGISTRY"/}"
REPO_PATH="${REPO_PATH%:*}"
TAG="${PROXY_IMAGE##*:}"

caddy_deb() {
  local deb
  deb="$(find "$CACHE" -maxdepth 1 -name 'caddy_2.6.*_amd64.deb' 2>/dev/null | sort | tail -1)"
  [ -n "$deb" ] || die "no caddy 2.6 package in $CACHE: run .ci/install-lab.sh"
  echo "$deb"
}

# Writes $1.tar.gz and $1.diffid unless they exist.
build_layer() { # cache-prefix deb
  local prefix="$1" deb="$2" work lib
  [ -s "$prefix.tar.gz" ] && [ -s "$prefix.diffid" ] && return 0
  work="$(mktemp -d "$CACHE/caddy-build.XXXXXX")"
  # shellcheck disable=SC2064 # expand now: the local is gone when the trap runs
  trap "rm -rf '$work'" RETURN
  dpkg-deb -x "$deb" "$work/deb"
  mkdir -p "$work/root/usr/bin" "$work/root/etc/caddy" "$work/root/data" "$work/root/config" "$work/root/tmp"
  chmod 1777 "$work/root/tmp"
  install -m 0755 "$work/deb/usr/bin/caddy" "$work/root/usr/bin/caddy"
  # Every library the binary links, at the path the loader looks for it (ldd prints `name => path` or `path`).
  for lib in $(ldd "$work/root/usr/bin/caddy" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}'); do
    mkdir -p "$work/root$(dirname "$lib")"
    cp -L "$lib" "$work/root$lib"
  done
  install -m 0644 "$ASSETS/caddy/Caddyfile" "$work/root/etc/caddy/Caddyfile"
  printf 'root:x:0:0:root:/tmp:/bin/false\n' >"$work/root/etc/passwd"
  printf 'root:x:0:\n' >"$work/root/etc/group"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work/root" -cf "$work/layer.tar" .
  sha256_of "$work/layer.tar" >"$work/layer.diffid"
  gzip -n "$work/layer.tar"
  # Moved in place last, so a concurrent run never reads a half-written layer.
  mv "$work/layer.diffid" "$prefix.diffid"
  mv "$work/layer.tar.gz" "$prefix.tar.gz"
  # Layers of an older Caddyfile or package are of no more use.
  find "$CACHE" -maxdepth 1 -name 'caddy-layer-*' ! -name "$(basename "$prefix").*" -delete
}

main() {
  local deb key prefix layer_digest layer_size config_digest config_size work
  require_root
  assert_lab_route "$REGISTRY_ADDR"
  mkdir -p "$CACHE"
  deb="$(caddy_deb)"
  key="$(cat "$deb" "$ASSETS/caddy/Caddyfile" "$0" | sha256sum | cut -c1-16)"
  prefix="$CACHE/caddy-layer-$key"
  build_layer "$prefix" "$deb"

  work="$(mktemp -d)"
  # shellcheck disable=SC2064 # expand now
  trap "rm -rf '$work'" EXIT
  layer_digest="$(sha256_of "$prefix.tar.gz")"
  layer_size="$(stat -c %s "$prefix.tar.gz")"
  # A fixed creation time: the same layer always makes the same config and so the same image id.
  jq -cn --arg layer "$(cat "$prefix.diffid")" '{
      architecture: "amd64", os: "linux", created: "1970-01-01T00:00:00Z",
      config: {
        Cmd: ["/usr/bin/caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"],
        Env: ["PATH=/usr/bin", "HOME=/tmp", "XDG_DATA_HOME=/data", "XDG_CONFIG_HOME=/config"],
        WorkingDir: "/", ExposedPorts: {"80/tcp": {}},
        Labels: {"org.deploylab.role": "proxy"}
      },
      rootfs: {type: "layers", diff_ids: [$layer]},
      history: [{created: "1970-01-01T00:00:00Z", created_by: "deploylab caddy"}]
    }' >"$work/config.json"
  config_digest="$(sha256_of "$work/config.json")"
  config_size="$(stat -c %s "$work/config.json")"
  registry_upload_blob "$REPO_PATH" "$prefix.tar.gz" "$layer_digest"
  registry_upload_blob "$REPO_PATH" "$work/config.json" "$config_digest"
  jq -cn --arg cd "$config_digest" --argjson cs "$config_size" --arg ld "$layer_digest" --argjson ls "$layer_size" '{
      schemaVersion: 2, mediaType: "application/vnd.docker.distribution.manifest.v2+json",
      config: {mediaType: "application/vnd.docker.container.image.v1+json", size: $cs, digest: $cd},
      layers: [{mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: $ls, digest: $ld}]
    }' >"$work/manifest.json"
  registry_put_manifest "$REPO_PATH" "$TAG" "$work/manifest.json"
  printf '%s %s\n' "$PROXY_IMAGE" "$(sha256_of "$work/manifest.json")"
}

main "$@"
