#!/usr/bin/env bash
# lab/dockerd.sh start|stop|restart <host> — stop or (re)start one full lab host's dockerd with the flags lab/up.sh
# gives it (e.g. after a change of those flags, without rebuilding the lab). Its data stays: images and containers
# are kept, but the containers it stopped stay stopped (the lab's projects have no restart policy):
# `docker compose up -d` in the host's /app brings them back.
set -euo pipefail
# shellcheck source=lab/lib.sh
source "$(dirname "$0")/lib.sh"

usage() { die "usage: lab/dockerd.sh start|stop|restart <host>"; }

require_root
[ "$#" -eq 2 ] || usage
name="$2"
dir="$(host_dir "$name")"
[ -f "$dir/daemon.json" ] || die "no full lab host '$name' (is the lab up?)"

stop() { stop_pidfile "$dir/dockerd.pid" 15; }
start() {
  if pid_alive "$(read_pid "$dir/dockerd.pid")"; then
    log "dockerd of $name already running"
    return 0
  fi
  rm -f "$dir/dockerd.pid"
  start_dockerd "$name"
  wait_dockerd "$name"
  log "dockerd of $name ready"
}

case "$1" in
  stop) stop ;;
  start) start ;;
  restart) stop && start ;;
  *) usage ;;
esac
