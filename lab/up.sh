#!/usr/bin/env bash
# lab/up.sh [--hosts N] [--sshd-only-hosts M]
#
# Starts the SSH lab: N full hosts h1..hN (default 4; sshd + dockerd + the starter compose project on v1)
# and M sshd-only hosts s1..sM (default 0), each in its own network namespace on one bridge, a registry
# with the lab app images, and writes the address book lab/.run/lab.json. Tears down whatever an earlier
# run left first, so it can be run again at any time. Root, Linux. See lab/README.md.
set -euo pipefail
# shellcheck source=lab/lib.sh
source "$(dirname "$0")/lib.sh"

FULL_HOSTS=4
SSHD_ONLY_HOSTS=0
IMAGE_TAGS=(v1 v2 unhealthy crash slow late-v1 late-v2 late-unhealthy) # each tag's behaviour is its own name (see push.sh)

parse_args() {
  while [ "$#" -gt 0 ]; do
    case "$1" in
      --hosts) FULL_HOSTS="${2:?--hosts needs a number}" && shift 2 ;;
      --sshd-only-hosts) SSHD_ONLY_HOSTS="${2:?--sshd-only-hosts needs a number}" && shift 2 ;;
      -h | --help) sed -n '2,8p' "$0" && exit 0 ;;
      *) die "unknown argument '$1' (usage: lab/up.sh [--hosts N] [--sshd-only-hosts M])" ;;
    esac
  done
  if ! [[ "$FULL_HOSTS" =~ ^[0-9]+$ ]] || [ "$FULL_HOSTS" -gt 20 ]; then die "--hosts must be 0..20"; fi
  if ! [[ "$SSHD_ONLY_HOSTS" =~ ^[0-9]+$ ]] || [ "$SSHD_ONLY_HOSTS" -gt 200 ]; then
    die "--sshd-only-hosts must be 0..200"
  fi
}

full_hosts() { local k; for ((k = 1; k <= FULL_HOSTS; k++)); do echo "h$k"; done; }
sshd_only_hosts() { local k; for ((k = 1; k <= SSHD_ONLY_HOSTS; k++)); do echo "s$k"; done; }
all_hosts() { full_hosts && sshd_only_hosts; }

# --- network ----------------------------------------------------------------------------------------
# Built with `ip -batch`: one process per step instead of one per command keeps 50 hosts quick.

# One namespace per host plus the switch and the registry; every veth is created with both ends
# directly in their namespaces, so no half-made link is ever left in the root namespace. The root
# namespace joins the bridge too (dl-root), so jest and `node dist/index.js` reach the hosts directly:
# its connected /20 route is more specific than the blackholed /16.
create_network() {
  local name
  {
    echo "netns add $NS_SWITCH"
    echo "netns add $NS_REGISTRY"
    for name in $(all_hosts); do echo "netns add $(host_ns "$name")"; done
  } | ip -batch -
  printf 'link set lo up\nlink add %s type bridge\nlink set %s up\n' "$BRIDGE" "$BRIDGE" | ip -n "$NS_SWITCH" -batch -
  {
    echo "link add $ROOT_IF type veth peer name $(bridge_port root) netns $NS_SWITCH"
    echo "link add $HOST_IF netns $NS_REGISTRY type veth peer name $(bridge_port reg) netns $NS_SWITCH"
    for name in $(all_hosts); do
      echo "link add $HOST_IF netns $(host_ns "$name") type veth peer name $(bridge_port "$name") netns $NS_SWITCH"
    done
  } | ip -batch -
  {
    for name in root reg $(all_hosts); do echo "link set $(bridge_port "$name") master $BRIDGE up"; done
  } | ip -n "$NS_SWITCH" -batch -
  # One `ip -n` per namespace is unavoidable; they run side by side.
  local pids=()
  configure_netns "$NS_REGISTRY" "$REGISTRY_ADDR" &
  pids+=("$!")
  for name in $(all_hosts); do
    configure_netns "$(host_ns "$name")" "$(host_address "$name")" &
    pids+=("$!")
  done
  wait_all "${pids[@]}"
  sysctl -qw "net.ipv6.conf.$ROOT_IF.disable_ipv6=1"
  ip addr add "$ROOT_ADDR/$LAB_PREFIX" dev "$ROOT_IF"
  ip link set "$ROOT_IF" up
}

# Inside one namespace: the address and the links up.
configure_netns() { # ns address
  printf 'link set lo up\naddr add %s/%s dev %s\nlink set %s up\n' "$2" "$LAB_PREFIX" "$HOST_IF" "$HOST_IF" |
    ip -n "$1" -batch -
}

# Every lab address must route via the lab veth (one `ip -batch` for all of them; it stops at the
# first address that does not route at all, which then counts as missing).
verify_routes() {
  local name addresses=("$REGISTRY_ADDR") routes good
  for name in $(all_hosts); do addresses+=("$(host_address "$name")"); done
  routes="$(printf 'route get %s\n' "${addresses[@]}" | ip -4 -batch - 2>&1 || true)"
  good="$(awk -v dev="dev $ROOT_IF " '/^[0-9]/ && index($0, dev) > 0 && !/ via /' <<<"$routes" | wc -l)"
  [ "$good" -eq "${#addresses[@]}" ] || die "lab addresses not all routed via $ROOT_IF: $routes"
  # And an unused lab address must hit the blackhole, not eth0.
  if ip -4 route get 10.213.200.1 >/dev/null 2>&1; then die "10.213.200.1 is routable: blackhole missing"; fi
}

# --- keys -------------------------------------------------------------------------------------------

make_client_keys() {
  mkdir -p "$RUN_DIR/keys"
  rm -f "$RUN_DIR"/keys/*
  ssh-keygen -q -t ed25519 -N '' -C deploylab-client -f "$RUN_DIR/keys/id_ed25519"
  cp "$RUN_DIR/keys/id_ed25519" "$RUN_DIR/keys/id_ed25519_encrypted"
  # 4 KDF rounds instead of 16: the bcrypt KDF in JavaScript (ssh2) takes seconds per connect with 16.
  ssh-keygen -q -p -a 4 -P '' -N "$CLIENT_KEY_PASSPHRASE" -f "$RUN_DIR/keys/id_ed25519_encrypted" >/dev/null
  chmod 600 "$RUN_DIR"/keys/id_ed25519*
  mkdir -p "$STATE"
  cp "$RUN_DIR/keys/id_ed25519.pub" "$STATE/authorized_keys"
  # sshd reads it as the user logging in: the non-root login ($DOCKER_USER) too.
  chmod 644 "$STATE/authorized_keys"
}

make_host_keys() {
  local name="$1" dir
  dir="$(host_dir "$name")/ssh"
  mkdir -p "$dir"
  ssh-keygen -q -t ed25519 -N '' -C "deploylab-$name" -f "$dir/ssh_host_ed25519_key"
  if [ "$name" = h1 ]; then
    # One host offers every key type, so clients' key-type handling meets RSA and ECDSA too.
    ssh-keygen -q -t ecdsa -b 256 -N '' -C "deploylab-$name" -f "$dir/ssh_host_ecdsa_key"
    ssh-keygen -q -t rsa -b 3072 -N '' -C "deploylab-$name" -f "$dir/ssh_host_rsa_key"
  fi
}

# A login that is not root but may use docker (group `docker`, which owns every lab dockerd's socket), with the
# lab key (AuthorizedKeysFile is shared) and /tmp (each host's own) as home. Created once; kept by `up`.
ensure_docker_user() {
  getent group docker >/dev/null || die "no group docker on this machine (the docker.io package makes it)"
  # Password `*`: no password login, but not locked (sshd without PAM refuses a locked account even for a key).
  if ! id -u "$DOCKER_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /tmp --shell /bin/sh --user-group --groups docker \
      --password '*' "$DOCKER_USER"
  fi
}

# --- hosts ------------------------------------------------------------------------------------------

write_sshd_config() {
  local name="$1" kind="$2" dir key
  dir="$(host_dir "$name")"
  {
    echo "# deploylab host $name ($kind)"
    echo "Port $(host_ssh_port "$name")"
    [ "$kind" = full ] && echo "Port $ASH_SSH_PORT"
    echo "ListenAddress $(host_address "$name")"
    for key in "$dir"/ssh/ssh_host_*_key; do echo "HostKey $key"; done
    echo "PidFile $dir/sshd.pid"
    echo "AuthorizedKeysFile $STATE/authorized_keys"
    # No PAM, no passwords; StrictModes off because the lab's key files are not in a home directory.
    echo "UsePAM no"
    echo "StrictModes no"
    echo "PasswordAuthentication no"
    echo "KbdInteractiveAuthentication no"
    echo "PermitRootLogin prohibit-password"
    echo "UseDNS no"
    echo "PrintMotd no"
    echo "PrintLastLog no"
    # Room for many concurrent connections from one client (benchmarks, parallel batches).
    echo "MaxStartups 200:30:400"
    echo "MaxSessions 64"
    echo "Subsystem sftp /usr/lib/openssh/sftp-server"
    if [ "$kind" = full ]; then
      # The session talks to this host's own dockerd; `docker` is the Debian client (/usr/bin first),
      # `docker compose` is compose v1 through the CLI-plugin shim in DOCKER_CONFIG. On $ASH_SSH_PORT the same
      # host's `sh` is busybox ash instead of dash. (The first SetEnv that applies wins, hence two Match blocks.)
      local env="DOCKER_HOST=unix://$dir/docker.sock DOCKER_CONFIG=$dir/docker-config"
      local path=/usr/sbin:/usr/bin:/sbin:/bin:/usr/local/sbin:/usr/local/bin
      echo "Match LocalPort $ASH_SSH_PORT"
      echo "  SetEnv $env PATH=$ASH_BIN:$path"
      echo "Match all"
      echo "  SetEnv $env PATH=$path"
    fi
  } >"$dir/sshd_config"
  # One template: checking the first host of each kind is enough (and cheaper with 50 hosts).
  if [ "$name" = h1 ] || [ "$name" = s1 ]; then
    /usr/sbin/sshd -t -f "$dir/sshd_config" || die "invalid sshd config for $name"
  fi
}

prepare_host() {
  local name="$1" kind="$2" dir
  dir="$(host_dir "$name")"
  mkdir -p "$dir/app" "$dir/tmp" "$dir/root"
  chmod 1777 "$dir/tmp"
  chmod 700 "$dir/root"
  make_host_keys "$name"
  write_sshd_config "$name" "$kind"
  if [ "$kind" = full ]; then
    mkdir -p "$dir/docker-config/cli-plugins" "$dir/docker" "$dir/etc-docker"
    install -m 0755 "$ASSETS/docker-compose-plugin.sh" "$dir/docker-config/cli-plugins/docker-compose"
    echo '{}' >"$dir/docker-config/config.json"
    # An explicit (empty) daemon config, so a daemon.json on the machine cannot change the lab's daemons.
    echo '{}' >"$dir/daemon.json"
    install -m 0644 "$ASSETS/compose.yaml" "$dir/app/compose.yaml"
    echo "IMAGE=$IMAGE_REPO:v1" >"$dir/app/.env"
  fi
}

# sshd writes its PID file only after it listens: wait for every PID file (bash builtins only, cheap
# for 50 hosts), then check the full hosts over TCP as well.
wait_sshd_all() {
  local name i missing
  for ((i = 0; i < 200; i++)); do
    missing=""
    for name in $(all_hosts); do
      [ -s "$STATE/hosts/$name/sshd.pid" ] || missing="$missing $name"
    done
    [ -n "$missing" ] || break
    sleep 0.1
  done
  [ -z "$missing" ] || die "sshd not started on:$missing; see $STATE/hosts/<host>/sshd.log"
  for name in $(full_hosts); do
    wait_tcp "$(host_address "$name")" "$(host_ssh_port "$name")" 100 ||
      die "sshd of $name not listening; see $(host_dir "$name")/sshd.log"
  done
}

# --- client side files ------------------------------------------------------------------------------

known_hosts_name() { # host
  local port
  port="$(host_ssh_port "$1")"
  if [ "$port" = 22 ]; then host_address "$1"; else echo "[$(host_address "$1")]:$port"; fi
}

# known_hosts (plain, then a hashed copy) and, for the address book, one row per host key:
# name, kind, address, port, known_hosts name, key type, key, SHA256 fingerprint.
write_known_hosts() {
  local name kind pub type key khname
  : >"$RUN_DIR/known_hosts"
  : >"$STATE/hostkeys.tsv"
  for name in $(all_hosts); do
    kind=sshd-only
    [[ "$name" == h* ]] && kind=full
    khname="$(known_hosts_name "$name")"
    for pub in "$(host_dir "$name")"/ssh/ssh_host_*_key.pub; do
      read -r type key _ <"$pub"
      echo "$khname $type $key" >>"$RUN_DIR/known_hosts"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$kind" "$(host_address "$name")" "$(host_ssh_port "$name")" \
        "$khname" "$type" "$type $key" >>"$STATE/hostkeys.tsv"
    done
  done
  # One ssh-keygen for every fingerprint: it reads known_hosts line by line, in the same order.
  ssh-keygen -l -E sha256 -f "$RUN_DIR/known_hosts" | awk '{print $2}' | paste "$STATE/hostkeys.tsv" - \
    >"$STATE/hostkeys-fp.tsv"
  cp "$RUN_DIR/known_hosts" "$RUN_DIR/known_hosts.hashed"
  ssh-keygen -q -H -f "$RUN_DIR/known_hosts.hashed" >/dev/null 2>&1
  rm -f "$RUN_DIR/known_hosts.hashed.old"
}

lab_ssh() { # host command
  local name="$1"
  shift
  ssh -F /dev/null -i "$RUN_DIR/keys/id_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes \
    -o UserKnownHostsFile="$RUN_DIR/known_hosts" -o GlobalKnownHostsFile=/dev/null \
    -o StrictHostKeyChecking=yes -o ConnectTimeout=5 -o LogLevel=ERROR \
    -p "$(host_ssh_port "$name")" "root@$(host_address "$name")" "$@"
}

# lab/.run/lab.json, in one jq run (format: README.md). Hosts come from the host key rows of
# write_known_hosts, grouped by host in their order.
write_address_book() {
  local tags='{}' tag
  for tag in "${IMAGE_TAGS[@]}"; do tags="$(jq -c --arg t "$tag" --arg r "$IMAGE_REPO:$tag" '. + {($t): $r}' <<<"$tags")"; done
  jq -n --rawfile rows "$STATE/hostkeys-fp.tsv" --arg run "$RUN_DIR" --arg lab "$LAB_DIR" --arg state "$STATE" \
    --arg cidr "$LAB_CIDR" --arg subnet "10.213.0.0/$LAB_PREFIX" --arg rootAddr "$ROOT_ADDR" \
    --arg rootIf "$ROOT_IF" --arg switch "$NS_SWITCH" --arg bridge "$BRIDGE" --arg iface "$HOST_IF" \
    --arg registry "$REGISTRY" --arg regNs "$NS_REGISTRY" --arg repo "$IMAGE_REPO" --argjson tags "$tags" --arg proxy "$PROXY_IMAGE" \
    --arg pass "$CLIENT_KEY_PASSPHRASE" --argjson appPort "$APP_PORT" --arg nsPrefix "$NS_PREFIX" \
    --arg dockerUser "$DOCKER_USER" --argjson ashPort "$ASH_SSH_PORT" \
    --arg created "$(date -u +%Y-%m-%dT%H:%M:%SZ)" '
    def host($keys):
      $keys[0] as $h
      | ($nsPrefix + $h.name) as $ns
      | ($state + "/hosts/" + $h.name) as $dir
      | {
          name: $h.name, kind: $h.kind, address: $h.address, port: $h.port, user: "root",
          knownHostsName: $h.khname,
          hostKeyFingerprints: ($keys | map({(.type): .fp}) | add),
          hostKeys: ($keys | map({(.type): .key}) | add),
          namespace: $ns, interface: $iface, bridgePort: ("dlp-" + $h.name),
          sshdPidFile: ($dir + "/sshd.pid"), sshdLog: ($dir + "/sshd.log"),
          appDir: ($dir + "/app"), tmpDir: ($dir + "/tmp"),
          linkDown: ("ip -n " + $ns + " link set " + $iface + " down"),
          linkUp: ("ip -n " + $ns + " link set " + $iface + " up")
        }
      + (if $h.kind == "full" then {
          dockerHost: ("unix://" + $dir + "/docker.sock"), dockerSocket: ($dir + "/docker.sock"),
          dockerConfig: ($dir + "/docker-config"), dockerdPidFile: ($dir + "/dockerd.pid"),
          dockerdLog: ($dir + "/dockerd.log"),
          appUrl: ("http://" + $h.address + ":" + ($appPort | tostring)),
          ashPort: $ashPort
        } else {} end);
    ($rows | split("\n") | map(select(length > 0) | split("\t")
      | {name: .[0], kind: .[1], address: .[2], port: (.[3] | tonumber), khname: .[4], type: .[5], key: .[6], fp: .[7]})
    ) as $keys
    | ($keys | reduce .[].name as $n ([]; if index([$n]) then . else . + [$n] end)) as $names
    | {
      version: 1,
      createdAt: $created,
      user: "root",
      dockerUser: $dockerUser,
      keys: {
        privateKey: ($run + "/keys/id_ed25519"),
        publicKey: ($run + "/keys/id_ed25519.pub"),
        encryptedPrivateKey: ($run + "/keys/id_ed25519_encrypted"),
        passphrase: $pass
      },
      knownHosts: {plain: ($run + "/known_hosts"), hashed: ($run + "/known_hosts.hashed")},
      network: {
        blackholed: $cidr, subnet: $subnet, rootAddress: $rootAddr, rootInterface: $rootIf,
        switchNamespace: $switch, bridge: $bridge
      },
      registry: {
        address: $registry, namespace: $regNs, pidFile: ($state + "/registry/registry.pid"),
        start: ($lab + "/registry.sh start"), stop: ($lab + "/registry.sh stop")
      },
      images: {repository: $repo, tags: $tags, push: ($lab + "/push.sh <tag> <behaviour>"), proxy: $proxy},
      app: {
        dir: "/app", composeFile: "compose.yaml", envFile: ".env", service: "web", project: "app",
        port: $appPort, healthPath: "/health", versionPath: "/version"
      },
      hosts: [$names[] as $n | host([$keys[] | select(.name == $n)])]
    }' >"$RUN_DIR/lab.json.tmp"
  mv "$RUN_DIR/lab.json.tmp" "$RUN_DIR/lab.json"
}

write_env_sh() {
  local name upper
  {
    echo "# deploylab: source me (. lab/.run/env.sh). Written by lab/up.sh."
    echo "export LAB_JSON='$RUN_DIR/lab.json'"
    echo "export LAB_KEY='$RUN_DIR/keys/id_ed25519'"
    echo "export LAB_KEY_ENCRYPTED='$RUN_DIR/keys/id_ed25519_encrypted'"
    echo "export LAB_KEY_PASSPHRASE='$CLIENT_KEY_PASSPHRASE'"
    echo "export LAB_KNOWN_HOSTS='$RUN_DIR/known_hosts'"
    echo "export LAB_REGISTRY='$REGISTRY'"
    echo "export LAB_IMAGE_REPO='$IMAGE_REPO'"
    for name in $(all_hosts); do
      upper="$(tr '[:lower:]' '[:upper:]' <<<"$name")"
      echo "export LAB_${upper}='$(host_address "$name")' LAB_${upper}_PORT='$(host_ssh_port "$name")'"
      [[ "$name" == h* ]] && echo "export LAB_${upper}_DOCKER_HOST='unix://$(host_dir "$name")/docker.sock'"
    done
    echo "# lab_ssh h1 'docker compose ps'"
    echo "lab_ssh() { local h=\"\$1\"; shift; local a=\"LAB_\${h^^}\" p=\"LAB_\${h^^}_PORT\";"
    echo "  ssh -F /dev/null -i \"\$LAB_KEY\" -o IdentitiesOnly=yes -o UserKnownHostsFile=\"\$LAB_KNOWN_HOSTS\" \\"
    echo "    -o StrictHostKeyChecking=yes -p \"\${!p}\" \"root@\${!a}\" \"\$@\"; }"
  } >"$RUN_DIR/env.sh"
}

# --- app --------------------------------------------------------------------------------------------

# The starter project is brought up over real SSH with the address book's key and known_hosts: `up`
# only succeeds if what it hands to the tests actually works.
deploy_starter() {
  local name="$1"
  lab_ssh "$name" 'cd /app && docker compose up -d' >>"$(host_dir "$name")/starter.log" 2>&1 ||
    die "starter deploy on $name failed; see $(host_dir "$name")/starter.log"
}

wait_app_v1() {
  local name="$1" i id health version
  for ((i = 0; i < 300; i++)); do
    id="$(host_docker "$name" ps -q --filter label=com.docker.compose.project=app \
      --filter label=com.docker.compose.service=web)"
    health=""
    if [ -n "$id" ]; then health="$(host_docker "$name" inspect -f '{{.State.Health.Status}}' "$id" 2>/dev/null || true)"; fi
    version="$(curl -fsS -m 1 "http://$(host_address "$name"):$APP_PORT/version" 2>/dev/null || true)"
    [ "$health" = healthy ] && [ "$version" = v1 ] && return 0
    sleep 0.1
  done
  die "app on $name not healthy on v1 (health=$health version=$version)"
}

# --- main -------------------------------------------------------------------------------------------

T0=0
step() { log "+$(($(now_ms) - T0)) ms: $*"; }

main() {
  local name tag pids
  parse_args "$@"
  require_root
  require_tools
  lab_lock
  T0="$(now_ms)"

  step "removing what an earlier run left"
  add_blackhole # before anything: a lab address must never fall through to the default route
  lab_teardown yes
  add_blackhole

  mkdir -p "$STATE/hosts" "$RUN_DIR" /run/sshd
  # Every host bind-mounts its own directory over /app in a private mount namespace: the mount point
  # has to exist in the shared filesystem.
  mkdir -p /app /etc/docker
  mkdir -p "$ASH_BIN"
  ln -sf /bin/busybox "$ASH_BIN/sh"
  ensure_docker_user

  step "network: bridge $BRIDGE in $NS_SWITCH, root namespace at $ROOT_ADDR via $ROOT_IF"
  create_network
  verify_routes

  step "keys and configs for $FULL_HOSTS full + $SSHD_ONLY_HOSTS sshd-only hosts"
  make_client_keys
  pids=()
  for name in $(full_hosts); do
    prepare_host "$name" full &
    pids+=("$!")
  done
  for name in $(sshd_only_hosts); do
    prepare_host "$name" sshd-only &
    pids+=("$!")
  done
  wait_all "${pids[@]}"

  step "starting registry, sshd and dockerd"
  "$LAB_DIR/registry.sh" start
  for name in $(all_hosts); do start_sshd "$name"; done
  for name in $(full_hosts); do start_dockerd "$name"; done
  wait_sshd_all
  for name in $(full_hosts); do wait_dockerd "$name"; done
  write_known_hosts

  step "pushing images: ${IMAGE_TAGS[*]}, $PROXY_IMAGE"
  # The first push uploads the shared base layer; the others only add their small layer, in parallel.
  "$LAB_DIR/push.sh" "${IMAGE_TAGS[0]}" "${IMAGE_TAGS[0]}" >/dev/null
  pids=()
  "$LAB_DIR/caddy.sh" >/dev/null &
  pids+=("$!")
  for tag in "${IMAGE_TAGS[@]:1}"; do
    "$LAB_DIR/push.sh" "$tag" "$tag" >/dev/null &
    pids+=("$!")
  done
  wait_all "${pids[@]}"

  if [ "$FULL_HOSTS" -gt 0 ]; then
    step "starter project on v1: $(full_hosts | tr '\n' ' ')"
    pids=()
    for name in $(full_hosts); do
      deploy_starter "$name" &
      pids+=("$!")
    done
    wait_all "${pids[@]}"
    for name in $(full_hosts); do wait_app_v1 "$name"; done
  fi

  write_address_book
  write_env_sh
  log "lab up in $(($(now_ms) - T0)) ms: $RUN_DIR/lab.json"
}

# `wait` alone ignores failures of background jobs; fail if any of them failed.
wait_all() {
  local pid failed=0
  for pid in "$@"; do wait "$pid" || failed=1; done
  [ "$failed" = 0 ] || die "a parallel step failed (see the messages above)"
}

main "$@"
