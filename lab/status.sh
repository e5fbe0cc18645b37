#!/usr/bin/env bash
# lab/status.sh — one line per lab host: sshd, dockerd, the app (container state/health, /version) and
# the memory its processes use (PSS). Exits non-zero if anything is down, or if the lab is not up.
set -euo pipefail
# shellcheck source=lab/lib.sh
source "$(dirname "$0")/lib.sh"

BOOK="$RUN_DIR/lab.json"
problems=0

# Proportional set size of a set of processes, in MiB (shared pages split between their users).
pss_mib() {
  local files=() pid
  for pid in "$@"; do [ -r "/proc/$pid/smaps_rollup" ] && files+=("/proc/$pid/smaps_rollup"); done
  [ "${#files[@]}" -gt 0 ] || {
    echo 0
    return
  }
  # cat, not awk, opens the files: a process may exit meanwhile, and awk would stop at its file.
  cat "${files[@]}" 2>/dev/null | awk '/^Pss:/ {kb += $2} END {printf "%.0f", kb / 1024}' || true
}

# Every process of a host: what runs in its network namespace plus its containers' cgroups.
host_pids() {
  local name="$1" dir
  {
    ip netns pids "$(host_ns "$name")" 2>/dev/null || true
    for dir in /sys/fs/cgroup/pids/deploylab-"$name" /sys/fs/cgroup/deploylab-"$name"; do
      if [ -d "$dir" ]; then find "$dir" -name cgroup.procs -exec cat {} + 2>/dev/null || true; fi
    done
  } | sort -un
}

check_sshd() {
  local name="$1" address="$2" port="$3"
  if ! pid_alive "$(read_pid "$(host_dir "$name")/sshd.pid")"; then
    echo "dead"
  elif ! wait_tcp "$address" "$port" 10; then
    echo "no-answer"
  else
    echo "up"
  fi
}

# The Engine API over the host's socket: much quicker than starting the docker CLI for each question.
engine() { # host path
  curl -fsS -m 5 --unix-socket "$(host_dir "$1")/docker.sock" "http://engine$2"
}

check_dockerd() {
  local name="$1"
  if ! pid_alive "$(read_pid "$(host_dir "$name")/dockerd.pid")"; then
    echo "dead"
  elif [ "$(engine "$name" /_ping 2>/dev/null)" != OK ]; then
    echo "no-answer"
  else
    echo "up"
  fi
}

# "<state>/<health>" of the web container as `docker inspect` reports it (the same for compose v1 and
# v2), and the version the app reports over HTTP.
check_app() {
  local name="$1" address="$2" port="$3" filters id state version
  filters='{"label":["com.docker.compose.project=app","com.docker.compose.service=web"]}'
  id="$(engine "$name" "/containers/json?all=1&filters=$(jq -rn --arg f "$filters" '$f | @uri')" 2>/dev/null |
    jq -r '.[0].Id // empty' || true)"
  if [ -z "$id" ]; then
    echo "none -"
    return
  fi
  state="$(engine "$name" "/containers/$id/json" 2>/dev/null |
    jq -r '.State.Status + "/" + (.State.Health.Status // "no-healthcheck")' || echo "?")"
  version="$(curl -fsS -m 2 "http://$address:$port/version" 2>/dev/null || echo "-")"
  echo "$state $version"
}

row() { printf '%-5s %-10s %-19s %-10s %-10s %-26s %-10s %s\n' "$@"; }

# One host's row; its problem count goes to the file $5 (rows run in parallel).
host_row() {
  local name="$1" kind="$2" address="$3" port="$4" problem_file="$5" sshd dockerd app version mem n=0
  sshd="$(check_sshd "$name" "$address" "$port")"
  [ "$sshd" = up ] || n=$((n + 1))
  if [ "$kind" = full ]; then
    dockerd="$(check_dockerd "$name")"
    [ "$dockerd" = up ] || n=$((n + 1))
    read -r app version <<<"$(check_app "$name" "$address" "$APP_PORT")"
    case "$app" in running/healthy | running/no-healthcheck) ;; *) n=$((n + 1)) ;; esac
  else
    dockerd="-"
    app="-"
    version="-"
  fi
  # shellcheck disable=SC2046 # a list of PIDs
  mem="$(pss_mib $(host_pids "$name"))"
  row "$name" "$kind" "$address:$port" "$sshd" "$dockerd" "$app" "$version" "$mem"
  echo "$n" >"$problem_file"
}

main() {
  local hosts name kind address port i=0 j tmp
  [ -s "$BOOK" ] || die "no $BOOK: the lab is not up (npm run lab:up, as root)"
  require_root
  assert_lab_route "$REGISTRY_ADDR"

  if "$LAB_DIR/registry.sh" status >/dev/null 2>&1 && curl -fsS -m 2 -o /dev/null "http://$REGISTRY/v2/"; then
    echo "registry  $REGISTRY  up"
  else
    echo "registry  $REGISTRY  DOWN"
    problems=$((problems + 1))
  fi
  echo
  row HOST KIND ADDRESS SSHD DOCKERD APP VERSION MEM_MIB
  tmp="$(mktemp -d)"
  # shellcheck disable=SC2064 # expand now
  trap "rm -rf '$tmp'" EXIT
  hosts="$(jq -r '.hosts[] | [.name, .kind, .address, (.port | tostring)] | @tsv' "$BOOK")"
  while IFS=$'\t' read -r name kind address port; do
    assert_lab_route "$address"
    i=$((i + 1))
    host_row "$name" "$kind" "$address" "$port" "$tmp/$i.n" >"$tmp/$i.row" &
  done <<<"$hosts"
  wait
  for ((j = 1; j <= i; j++)); do
    cat "$tmp/$j.row"
    problems=$((problems + $(cat "$tmp/$j.n" 2>/dev/null || echo 1)))
  done

  if [ "$problems" -gt 0 ]; then
    echo
    echo "$problems problem(s)"
    exit 1
  fi
}

main "$@"
