#!/usr/bin/env bash
# lab/registry.sh start|stop|status — the lab's image registry (docker-registry, filesystem storage).
# Stopping keeps its storage, so `start` brings every pushed tag back: tests use stop/start for
# "pull fails" and "rollback while the registry is down".
set -euo pipefail
# shellcheck source=lab/lib.sh
source "$(dirname "$0")/lib.sh"

DIR="$STATE/registry"
PIDFILE="$DIR/registry.pid"

write_config() {
  mkdir -p "$DIR/data"
  cat >"$DIR/config.yml" <<YAML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $DIR/data
  delete:
    enabled: true
http:
  addr: $REGISTRY
  # A fixed secret keeps the warning out of the log; the registry is only reachable inside the lab.
  secret: deploylab-registry
YAML
}

is_running() { pid_alive "$(read_pid "$PIDFILE")"; }

start() {
  ip netns list | grep -q "^$NS_REGISTRY\b" || die "namespace $NS_REGISTRY missing: run lab/up.sh first"
  if is_running; then
    log "registry already running (pid $(read_pid "$PIDFILE"))"
    return 0
  fi
  write_config
  # setsid: the registry must outlive the shell that started it and not hold its terminal.
  setsid nsenter --net="/run/netns/$NS_REGISTRY" -- /usr/bin/docker-registry serve "$DIR/config.yml" \
    </dev/null >>"$DIR/registry.log" 2>&1 9>&- &
  assert_lab_route "$REGISTRY_ADDR"
  local i
  for ((i = 0; i < 100; i++)); do
    if curl -fsS -m 1 -o /dev/null "http://$REGISTRY/v2/" 2>/dev/null; then
      # The registry is the only process in its namespace; this holds even if setsid had to fork.
      ip netns pids "$NS_REGISTRY" | head -n 1 >"$PIDFILE"
      log "registry up at $REGISTRY (pid $(read_pid "$PIDFILE"))"
      return 0
    fi
    sleep 0.1
  done
  die "registry did not start; see $DIR/registry.log"
}

stop() {
  stop_pidfile "$PIDFILE" 3
  log "registry stopped"
}

status() {
  if is_running; then echo "running pid $(read_pid "$PIDFILE") at $REGISTRY"; else
    echo "stopped"
    return 1
  fi
}

require_root
case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: lab/registry.sh start|stop|status" ;;
esac
