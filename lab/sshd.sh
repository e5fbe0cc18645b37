#!/usr/bin/env bash
# lab/sshd.sh start|stop <host> — stop or (re)start one lab host's sshd, e.g. to restore a host after a
# test killed its sshd. The host's namespace, keys and config stay as lab/up.sh made them.
set -euo pipefail
# shellcheck source=lab/lib.sh
source "$(dirname "$0")/lib.sh"

require_root
[ "$#" -eq 2 ] || die "usage: lab/sshd.sh start|stop <host>"
name="$2"
dir="$(host_dir "$name")"
[ -f "$dir/sshd_config" ] || die "no lab host '$name' (is the lab up?)"

case "$1" in
  stop) stop_pidfile "$dir/sshd.pid" 2 ;;
  start)
    if pid_alive "$(read_pid "$dir/sshd.pid")"; then
      log "sshd of $name already running"
      exit 0
    fi
    rm -f "$dir/sshd.pid"
    start_sshd "$name"
    assert_lab_route "$(host_address "$name")"
    wait_tcp "$(host_address "$name")" "$(host_ssh_port "$name")" 100 || die "sshd of $name did not start; see $dir/sshd.log"
    log "sshd of $name listening on $(host_address "$name"):$(host_ssh_port "$name")"
    ;;
  *) die "usage: lab/sshd.sh start|stop <host>" ;;
esac
