#!/usr/bin/env bash
# lab/down.sh — stop and remove everything lab/up.sh made: compose projects, dockerd, sshd, registry
# (by PID file), any process left in a lab namespace or lab cgroup, the namespaces with their veths and
# bridge, the lab state, and last the blackhole route. Succeeds on a half-made or already removed lab.
set -euo pipefail
# shellcheck source=lab/lib.sh
source "$(dirname "$0")/lib.sh"

require_root
lab_lock
t0="$(now_ms)"
lab_teardown no
log "lab down in $(($(now_ms) - t0)) ms"
