#!/usr/bin/env bash
# lab/host-exec.sh <host> <command> [args…] — run a command as lab host <host> (h1, s3, …) sees the world:
# its network namespace, and its own /app, /tmp, /root and /etc/docker (see host_exec in lib.sh).
# Example: lab/host-exec.sh h2 cat /app/.env
set -euo pipefail
# shellcheck source=lab/lib.sh
source "$(dirname "$0")/lib.sh"

[ "$#" -ge 2 ] || die "usage: lab/host-exec.sh <host> <command> [args…]"
[ -d "$(host_dir "$1")/app" ] || die "no lab host '$1' (is the lab up?)"
host_exec "$@"
