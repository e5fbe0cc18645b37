#!/usr/bin/env bash
# lab/push.sh <tag> <behaviour> — build the lab app image with the given behaviour and push it to the lab
# registry as <registry>/lab/app:<tag>, replacing whatever the tag pointed at (tags are mutable).
#
# behaviour: unhealthy | crash | slow | late[-<word>] | late-unhealthy | <version>
#   <version>       anything else, e.g. v1, v2, v3: healthy; / and /version answer the version
#   unhealthy       runs, /health answers 500
#   crash           exits 1 on start
#   slow            /health answers 503 for 5 s after start (SLOW_SECONDS in the container env), then 200
#   late, late-v2   an app that needs seconds to boot: nothing listens for 3 s (LATE_SECONDS in the container
#                   env), then healthy; any word after `late-` makes another version of it
#   late-unhealthy  listens after the same delay, /health answers 500
# /version answers the behaviour word (`late-v2`, `unhealthy`, …). Every push gets a new build id (GET /build), so
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
IMAGES="$STATE/images"

usage() { die "usage: lab/push.sh <tag> <unhealthy|crash|slow|late[-WORD]|late-unhealthy|VERSION>"; }

# The base layer is cached per content of the app scripts: an edited start.sh or handler.sh makes a new one.
BASE="$IMAGES/base-$(cat "$ASSETS/app/start.sh" "$ASSETS/app/handler.sh" | sha256sum | cut -c1-16)"

build_base_layer() {
  local root
  [ -s "$BASE.tar.gz" ] && [ -s "$BASE.diffid" ] && return 0
  # Built aside and moved in place, so a push running beside this one never reads a half-written layer.
  root="$(mktemp -d "$IMAGES/base-root.XXXXXX")"
  # shellcheck disable=SC2064 # expand now: the local is gone when the trap runs
  trap "rm -rf '$root' '$root.tar' '$root.tar.gz'" RETURN
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
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$root" -cf "$root.tar" .
  sha256_of "$root.tar" >"$root.diffid"
  gzip -n -f "$root.tar"
  mv "$root.diffid" "$BASE.diffid"
  mv "$root.tar.gz" "$BASE.tar.gz"
}

push_image() { # tag behaviour
  local tag="$1" behaviour="$2" version work build base_digest base_size layer_digest layer_diffid layer_size
  local config_digest config_size manifest
  version="$behaviour"
  [[ "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "invalid tag '$tag'"
  [[ "$behaviour" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$ ]] || die "invalid behaviour '$behaviour'"
  case "$behaviour" in
    unhealthy | crash | slow | late-unhealthy) ;;
    late | late-*) behaviour=late ;;
    *) behaviour=healthy ;;
  esac

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
  base_digest="$(sha256_of "$BASE.tar.gz")"
  base_size="$(stat -c %s "$BASE.tar.gz")"

  jq -cn --arg base "$(cat "$BASE.diffid")" --arg layer "$layer_diffid" --arg behaviour "$behaviour" \
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

  registry_upload_blob "$REPO_PATH" "$BASE.tar.gz" "$base_digest"
  registry_upload_blob "$REPO_PATH" "$work/layer.tar.gz" "$layer_digest"
  registry_upload_blob "$REPO_PATH" "$work/config.json" "$config_digest"

  manifest="$(jq -cn --arg cd "$config_digest" --argjson cs "$config_size" --arg bd "$base_digest" \
    --argjson bs "$base_size" --arg ld "$layer_digest" --argjson ls "$layer_size" '{
      schemaVersion: 2, mediaType: "application/vnd.docker.distribution.manifest.v2+json",
      config: {mediaType: "application/vnd.docker.container.image.v1+json", size: $cs, digest: $cd},
      layers: [
        {mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: $bs, digest: $bd},
        {mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: $ls, digest: $ld}
      ]}')"
  printf '%s' "$manifest" >"$work/manifest.json"
  registry_put_manifest "$REPO_PATH" "$tag" "$work/manifest.json"
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
