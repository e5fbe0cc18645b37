# shellcheck shell=bash
# shellcheck disable=SC2034 # the constants are used by the scripts that source this file
# Shared names, addresses and helpers of the SSH lab. Sourced by up.sh, down.sh, status.sh,
# registry.sh and push.sh; not run on its own.
#
# Safety model (see README.md): every lab address lives in 10.213.0.0/16, which is blackholed in the root
# namespace before anything else exists, so a mistake fails locally instead of leaving through eth0. The
# root namespace reaches the lab through one veth (dl-root) whose connected /20 route is more specific than
# the blackhole; every client checks `ip route get` before its first connect (assert_lab_route).

LAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN_DIR="$LAB_DIR/.run"            # client side: address book, keys, known_hosts (git-ignored)
ASSETS="$LAB_DIR/assets"
STATE=/var/lib/deploylab           # server side: host dirs, dockerd data, registry storage, logs, PID files

LAB_CIDR=10.213.0.0/16             # blackholed in the root namespace
LAB_PREFIX=20                      # the part of it the lab bridge actually uses: 10.213.0.0/20
ROOT_ADDR=10.213.0.1
REGISTRY_ADDR=10.213.0.5
REGISTRY_PORT=5000
REGISTRY="$REGISTRY_ADDR:$REGISTRY_PORT"
IMAGE_REPO="$REGISTRY/lab/app"
APP_PORT=8080
ODD_SSH_PORT_HOST=h4               # listens on 2222 so `[host]:port` known_hosts lines get exercised
ODD_SSH_PORT=2222

NS_PREFIX=deploylab-               # every namespace the lab makes; teardown touches only these
NS_SWITCH=deploylab-sw
NS_REGISTRY=deploylab-reg
BRIDGE=dlbr0                       # in $NS_SWITCH
ROOT_IF=dl-root                    # root namespace end of the root <-> bridge veth
HOST_IF=dleth0                     # the interface inside each host/registry namespace
LINK_PREFIX=dl                     # every link the lab makes in the root namespace starts with this

CLIENT_KEY_PASSPHRASE=deploylab-passphrase

log() { printf '[lab %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
  printf '[lab] ERROR: %s\n' "$*" >&2
  exit 1
}

require_root() {
  [ "$(id -u)" = 0 ] || die "run as root (network namespaces, mounts, dockerd)"
  [ "$(uname -s)" = Linux ] || die "Linux only"
}

require_tools() {
  local bin
  for bin in /usr/sbin/sshd /usr/bin/ssh-keygen /usr/sbin/dockerd /usr/bin/docker /usr/bin/docker-compose \
    /usr/bin/docker-registry /bin/busybox /usr/bin/nsenter /usr/bin/unshare /usr/bin/curl /usr/bin/jq; do
    [ -x "$bin" ] || die "missing $bin: run .ci/install-lab.sh"
  done
}

now_ms() { date +%s%3N; }

# --- naming -----------------------------------------------------------------------------------------

# Full hosts are h1..hN at 10.213.1.(10+K); sshd-only hosts are s1..sM at 10.213.2.K.
host_address() {
  local name="$1" k="${1:1}"
  case "$name" in
    h*) echo "10.213.1.$((10 + k))" ;;
    s*) echo "10.213.2.$k" ;;
    *) die "unknown host name $name" ;;
  esac
}
host_ssh_port() { if [ "$1" = "$ODD_SSH_PORT_HOST" ]; then echo "$ODD_SSH_PORT"; else echo 22; fi; }
host_ns() { echo "$NS_PREFIX$1"; }
host_dir() { echo "$STATE/hosts/$1"; }
bridge_port() { echo "dlp-$1"; }

# --- safety -----------------------------------------------------------------------------------------

# Refuse to talk to an address unless the root namespace routes it through the lab veth: a missing veth
# would otherwise hit the blackhole (fine) or, without it, the default route (never acceptable).
assert_lab_route() {
  local addr="$1" route
  route="$(ip -4 route get "$addr" 2>&1 || true)"
  case "$route" in
    *" via "*) die "route to $addr goes via a gateway ($route): refusing to connect" ;;
    *"dev $ROOT_IF "*) ;;
    *) die "route to $addr is not via $ROOT_IF ($route): is the lab up?" ;;
  esac
}

add_blackhole() {
  ip route replace blackhole "$LAB_CIDR"
}

# --- processes --------------------------------------------------------------------------------------

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
read_pid() { if [ -s "$1" ]; then tr -dc '0-9' <"$1"; fi; }

# Stop the process named by a PID file: SIGTERM, wait up to $2 seconds, then SIGKILL.
stop_pidfile() {
  local file="$1" grace="${2:-5}" pid i
  pid="$(read_pid "$file")"
  if pid_alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do
      pid_alive "$pid" || break
      sleep 0.1
    done
    if pid_alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$file"
}

# Wait until a TCP port accepts connections (from the root namespace, after assert_lab_route).
wait_tcp() {
  local addr="$1" port="$2" tries="${3:-100}" i
  for ((i = 0; i < tries; i++)); do
    if timeout 1 bash -c "exec 3<>/dev/tcp/$addr/$port" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

# Run a command as lab host $1 sees the world (see host-exec.sh).
host_exec() { "$LAB_DIR/host-exec.sh" "$@"; }

# --- docker -----------------------------------------------------------------------------------------

host_docker() {
  local name="$1"
  shift
  DOCKER_HOST="unix://$(host_dir "$name")/docker.sock" DOCKER_CONFIG="$(host_dir "$name")/docker-config" \
    /usr/bin/docker "$@"
}

# --- teardown ---------------------------------------------------------------------------------------

lab_namespaces() { ip netns list 2>/dev/null | awk '{print $1}' | grep "^$NS_PREFIX" || true; }

# Processes that can only be the lab's: inside a lab network namespace, or in a cgroup made for the
# lab's containers (--cgroup-parent /deploylab-<host>), which also holds containers with their own netns.
lab_stray_pids() {
  local ns dir
  for ns in $(lab_namespaces); do ip netns pids "$ns" 2>/dev/null || true; done
  for dir in /sys/fs/cgroup/*/deploylab-* /sys/fs/cgroup/deploylab-*; do
    [ -d "$dir" ] || continue
    find "$dir" -name cgroup.procs -exec cat {} + 2>/dev/null || true
  done
}

kill_strays() {
  local pids i
  pids="$(lab_stray_pids | sort -un | tr '\n' ' ')"
  [ -n "${pids// /}" ] || return 0
  log "stopping leftover lab processes: $pids"
  # shellcheck disable=SC2086 # a list of PIDs
  kill -TERM $pids 2>/dev/null || true
  for ((i = 0; i < 30; i++)); do
    pids="$(lab_stray_pids | sort -un | tr '\n' ' ')"
    [ -n "${pids// /}" ] || return 0
    sleep 0.1
  done
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null || true
  sleep 0.2
}

remove_lab_cgroups() {
  local dir
  for dir in /sys/fs/cgroup/*/deploylab-* /sys/fs/cgroup/deploylab-*; do
    [ -d "$dir" ] || continue
    find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
}

# Links in the root namespace the lab made (the root veth, a veth left half-moved by a failed run).
lab_root_links() {
  ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -E "^($LINK_PREFIX|$NS_PREFIX)" || true
}

# Tear down everything an earlier run left, in reverse order of up. Every step tolerates a missing
# piece, so it also cleans up after an `up` that failed half-way. With keep_blackhole=yes (used by up),
# the blackhole route stays, so there is no moment where lab addresses route through eth0.
lab_teardown() {
  local keep_blackhole="${1:-no}" dir name ns link

  # 1. Apps first, while their dockerd still runs: compose down per host, in parallel.
  if [ -d "$STATE/hosts" ]; then
    for dir in "$STATE"/hosts/h*; do
      [ -d "$dir" ] || continue
      name="$(basename "$dir")"
      if pid_alive "$(read_pid "$dir/dockerd.pid")" && [ -S "$dir/docker.sock" ]; then
        compose_down "$name" &
      fi
    done
    wait
    # 2. The daemons, by their PID files: dockerd stops its containers and containerd on SIGTERM.
    for dir in "$STATE"/hosts/*; do
      [ -d "$dir" ] || continue
      stop_pidfile "$dir/dockerd.pid" 15 &
      stop_pidfile "$dir/sshd.pid" 2 &
    done
    wait
  fi
  stop_pidfile "$STATE/registry/registry.pid" 3

  # 3. Whatever still runs in a lab namespace or lab cgroup (shims, containers of a crashed dockerd).
  kill_strays
  remove_lab_cgroups

  # 4. Namespaces (deleting one destroys the veth ends inside it), then root-namespace links.
  for ns in $(lab_namespaces); do ip netns delete "$ns" 2>/dev/null || true; done
  for link in $(lab_root_links); do ip link delete "$link" 2>/dev/null || true; done

  # 5. Server-side state. Nothing of it is mounted in the root namespace (mounts live in private ones).
  rm -rf "$STATE"
  rm -f "$RUN_DIR/lab.json" "$RUN_DIR/env.sh"

  # 6. Last: the blackhole route.
  if [ "$keep_blackhole" != yes ]; then
    ip route del blackhole "$LAB_CIDR" 2>/dev/null || true
  fi
}

compose_down() {
  local name="$1"
  # Project name and compose file come from /app as the host sees it: run compose inside the host.
  host_exec "$name" env DOCKER_HOST="unix://$(host_dir "$name")/docker.sock" \
    DOCKER_CONFIG="$(host_dir "$name")/docker-config" PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    timeout 30 sh -c 'cd /app && if ls compose.y*ml docker-compose.y*ml >/dev/null 2>&1; then docker compose down -t 1 --remove-orphans; fi' \
    >>"$(host_dir "$name")/teardown.log" 2>&1 || true
}
