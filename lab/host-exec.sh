#!/usr/bin/env bash
# lab/host-exec.sh <host> <command> [args…] — run a command as lab host <host> (h1, s3, …) sees the world:
# in its network namespace and in a private mount namespace where the host's own directories are
# bind-mounted over /app, /tmp, /root and /etc/docker (all namespaces share one filesystem otherwise).
# Its own /root also keeps the machine's root dotfiles (.bashrc) out of the lab hosts' SSH sessions.
# Example: lab/host-exec.sh h2 cat /app/.env
#
# nsenter --net rather than `ip netns exec`: the latter remounts /sys, and dockerd then fails with
# "Devices cgroup isn't mounted".
set -euo pipefail
# shellcheck source=lab/lib.sh
source "$(dirname "$0")/lib.sh"

[ "$#" -ge 2 ] || die "usage: lab/host-exec.sh <host> <command> [args…]"
name="$1"
shift
dir="$(host_dir "$name")"
[ -d "$dir/app" ] || die "no lab host '$name' (is the lab up?)"

# shellcheck disable=SC2016 # expanded by the inner shell
exec unshare --mount --propagation private -- /bin/sh -c '
  set -e
  mount --bind "$1/app" /app
  mount --bind "$1/tmp" /tmp
  mount --bind "$1/root" /root
  mount --bind "$1/etc-docker" /etc/docker
  ns="$2"
  shift 2
  exec nsenter --net="/run/netns/$ns" -- "$@"
' host-exec "$dir" "$(host_ns "$name")" "$@"
