#!/usr/bin/env bash
# lab/push.sh <tag> <behaviour> — build the lab app image with the given behaviour and push it to the lab
# registry as <registry>/lab/app:<tag>, replacing whatever the tag pointed at (tags are mutable).
#
# behaviour: unhealthy | crash | slow | <version>   (anything else, e.g. v1, v2, v3: healthy, reports it)
#   <version>  /health 200, / and /version answer the version
#   unhealthy  runs, /health answers 500
#   crash      exits 1 on start
#   slow       /health answers 503 for 5 s after start (SLOW_SECONDS in the container env), then 200
# /version answers the behaviour word for the last three. Every push gets a new build id (GET /build), so
# re-pushing a tag always yields a new digest. With PAD_MIB=N in the environment the image also carries N MiB of
# random bytes (/pad), unique to the push, so every host downloads and extracts that much when it pulls the tag.
#
# Images are built without a daemon and without internet: one layer holds busybox (from busybox-static)
# with applet links and the app scripts (identical for every push, uploaded once), a second one the
# behaviour. Both are pushed with the registry HTTP API, so no host's image cache is touched.
set -euo pipefail
# shellcheck source=lab/lib.sh
source "$(dirname "$0")/lib.sh"

REPO_PATH=lab/app
REGISTRY_URL="http://$REGISTRY/v2/$REPO_PATH"
IMAGES="$STATE/images"

usage() { die "usage: lab/push.sh <tag> <unhealthy|crash|slow|VERSION>"; }

sha256_of() { sha256sum "$1" | awk '{print "sha256:" $1}'; }

build_base_layer() {
  local root="$IMAGES/base-root"
  [ -s "$IMAGES/base.tar.gz" ] && return 0
  rm -rf "$root"
  mkdir -p "$root/bin" "$root/etc" "$root/tmp"
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  chroot "$root" /bin/busybox --install -s /bin
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  install -m 0755 "$ASSETS/app/start.sh" "$root/start.sh"
  install -m 0755 "$ASSETS/app/handler.sh" "$root/handler.sh"
  # Reproducible tar + gzip (same files, same digest). The diff_id (uncompressed digest) goes into
  # every image config; keep it next to the layer.
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$root" -cf "$IMAGES/base.tar" .
  sha256_of "$IMAGES/base.tar" >"$IMAGES/base.diffid"
  gzip -n -f "$IMAGES/base.tar"
}

# Upload a blob unless the registry has it already (monolithic upload: POST for a session, PUT the bytes).
upload_blob() { # file digest
  local file="$1" digest="$2" location
  if curl -fsS -o /dev/null -I "$REGISTRY_URL/blobs/$digest" 2>/dev/null; then return 0; fi
  location="$(curl -fsS -o /dev/null -D - -X POST "$REGISTRY_URL/blobs/uploads/" |
    awk 'tolower($1) == "location:" {print $2}' | tr -d '\r')"
  [ -n "$location" ] || die "registry gave no upload location"
  case "$location" in /*) location="http://$REGISTRY$location" ;; esac
  case "$location" in *\?*) location="$location&digest=$digest" ;; *) location="$location?digest=$digest" ;; esac
  curl -fsS -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$file" "$location" ||
    die "upload of $digest failed"
}

push_image() { # tag behaviour
  local tag="$1" behaviour="$2" version work build base_digest base_size layer_digest layer_diffid layer_size
  local config_digest config_size manifest
  version="$behaviour"
  [[ "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "invalid tag '$tag'"
  [[ "$behaviour" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$ ]] || die "invalid behaviour '$behaviour'"
  case "$behaviour" in unhealthy | crash | slow) ;; *) behaviour=healthy ;; esac

  mkdir -p "$IMAGES"
  build_base_layer
  work="$(mktemp -d "$IMAGES/push.XXXXXX")"
  # shellcheck disable=SC2064 # expand now: the local is gone when the trap runs
  trap "rm -rf '$work'" RETURN

  build="$tag-$behaviour-$(date +%s%N | cut -c1-13)-$RANDOM"
  mkdir -p "$work/root/etc"
  printf 'BEHAVIOUR=%s\nVERSION=%s\nBUILD=%s\n' "$behaviour" "$version" "$build" >"$work/root/etc/lab-app.env"
  # PAD_MIB=N: N MiB of random bytes in the behaviour layer, new with every push (a realistic download per pull).
  if [ "${PAD_MIB:-0}" -gt 0 ]; then head -c "$((PAD_MIB * 1024 * 1024))" /dev/urandom >"$work/root/pad"; fi
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work/root" -cf "$work/layer.tar" .
  layer_diffid="$(sha256_of "$work/layer.tar")"
  gzip -n "$work/layer.tar"
  layer_digest="$(sha256_of "$work/layer.tar.gz")"
  layer_size="$(stat -c %s "$work/layer.tar.gz")"
  base_digest="$(sha256_of "$IMAGES/base.tar.gz")"
  base_size="$(stat -c %s "$IMAGES/base.tar.gz")"

  jq -cn --arg base "$(cat "$IMAGES/base.diffid")" --arg layer "$layer_diffid" --arg behaviour "$behaviour" \
    --arg version "$version" --arg build "$build" --arg created "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg port "$APP_PORT" '{
      architecture: "amd64", os: "linux", created: $created,
      config: {
        Cmd: ["/bin/sh", "/start.sh"], Env: ["PATH=/bin", ("PORT=" + $port)], WorkingDir: "/",
        ExposedPorts: {($port + "/tcp"): {}},
        Labels: {"org.deploylab.behaviour": $behaviour, "org.deploylab.version": $version, "org.deploylab.build": $build}
      },
      rootfs: {type: "layers", diff_ids: [$base, $layer]},
      history: [{created: $created, created_by: "deploylab base"}, {created: $created, created_by: ("deploylab " + $build)}]
    }' >"$work/config.json"
  config_digest="$(sha256_of "$work/config.json")"
  config_size="$(stat -c %s "$work/config.json")"

  upload_blob "$IMAGES/base.tar.gz" "$base_digest"
  upload_blob "$work/layer.tar.gz" "$layer_digest"
  upload_blob "$work/config.json" "$config_digest"

  manifest="$(jq -cn --arg cd "$config_digest" --argjson cs "$config_size" --arg bd "$base_digest" \
    --argjson bs "$base_size" --arg ld "$layer_digest" --argjson ls "$layer_size" '{
      schemaVersion: 2, mediaType: "application/vnd.docker.distribution.manifest.v2+json",
      config: {mediaType: "application/vnd.docker.container.image.v1+json", size: $cs, digest: $cd},
      layers: [
        {mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: $bs, digest: $bd},
        {mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: $ls, digest: $ld}
      ]}')"
  printf '%s' "$manifest" >"$work/manifest.json"
  curl -fsS -o /dev/null -X PUT -H 'Content-Type: application/vnd.docker.distribution.manifest.v2+json' \
    --data-binary "@$work/manifest.json" "$REGISTRY_URL/manifests/$tag" || die "manifest upload for $tag failed"
  printf '%s:%s %s behaviour=%s version=%s build=%s\n' "$IMAGE_REPO" "$tag" "$(sha256_of "$work/manifest.json")" \
    "$behaviour" "$version" "$build"
}

main() {
  [ "$#" -eq 2 ] || usage
  require_root
  assert_lab_route "$REGISTRY_ADDR"
  push_image "$1" "$2"
}

main "$@"
