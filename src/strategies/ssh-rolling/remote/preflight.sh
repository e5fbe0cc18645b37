# preflight: check the host can be deployed to, then take the deploy lock. Changes nothing else.
# Args: APP_DIR COMPOSE_FILES IMAGE_VAR MIN_FREE_KB TOKEN OWNER_JSON TTL (lock lifetime, seconds on this host's clock)
#   VALIDATE (yes: dry run)
# Result: compose (v1|v2), dockerVersion, freeKb, imageBefore, services[] and facts (VALIDATE only), project, composeVersion
#   (of the compose that created the project's containers), warnings[], lastAudit (the audit log's last line), lock,
#   lockOwner, lockAudit (as `lock`).
APP_DIR=$1 COMPOSE_FILES=$2 IMAGE_VAR=$3 MIN_FREE_KB=$4 TOKEN=$5 OWNER_JSON=$6 TTL=$7 VALIDATE=${8:-no}
WARNINGS=''
warn() { WARNINGS="$WARNINGS${WARNINGS:+,}\"$(json_str "$1")\""; }

enter_app_dir
[ -w . ] || fail "app-dir $APP_DIR is not writable by $(id -un 2>/dev/null || echo this user)"
# The lock, backups and temp files live in .deploy: it must be this user's own folder, not one planted by another.
if [ -e .deploy ] || [ -L .deploy ]; then
  [ -d .deploy ] && [ ! -L .deploy ] && [ -O .deploy ] ||
    fail "$APP_DIR/.deploy is not a folder owned by $(id -un 2>/dev/null || echo this user): remove it or fix its owner"
fi
command -v docker >/dev/null 2>&1 || fail "docker is not installed (no 'docker' on PATH)"
if ! out=$(docker version --format '{{.Server.Version}}' 2>&1); then
  fail "the docker daemon is not reachable: $(last_lines "$out" 2)"
fi
res_str dockerVersion "$out"

for f in $COMPOSE_FILES; do
  [ -f "$f" ] || fail "compose file $f not found in $APP_DIR"
done
files=$(compose_file_list)
[ -n "$files" ] || fail "no compose file in $APP_DIR (looked for compose.yaml, docker-compose.yml and their .yml/.yaml forms)"
# Which compose: the `compose` CLI plugin (`docker compose`: v2, or v1 behind a plugin shim), else the standalone
# `docker-compose` (v1). COMPOSE_KIND names the command, not the version. Found without starting compose where the
# plugin sits in a directory the docker CLI searches (compose v1 takes 1-2 s of CPU to start); else asked.
COMPOSE_KIND=
for d in "${DOCKER_CONFIG:-${HOME:-/nonexistent}/.docker}/cli-plugins" /usr/local/lib/docker/cli-plugins \
  /usr/local/libexec/docker/cli-plugins /usr/lib/docker/cli-plugins /usr/libexec/docker/cli-plugins; do
  [ -x "$d/docker-compose" ] && COMPOSE_KIND=v2 && break
done
if [ -z "$COMPOSE_KIND" ]; then
  if docker compose version >/dev/null 2>&1; then
    COMPOSE_KIND=v2
  elif command -v docker-compose >/dev/null 2>&1; then
    COMPOSE_KIND=v1
  else
    fail "neither 'docker compose' (v2) nor 'docker-compose' (v1) is available"
  fi
fi
res_str compose "$COMPOSE_KIND"
# A deploy's pull validates the configuration (with the new values) before any host changes; a dry run, which
# pulls nothing, validates it here and lists the services.
if [ "$VALIDATE" = yes ]; then
  capture services compose config --services
  case $? in
  0) ;;
  126 | 127) fail "compose ($COMPOSE_KIND) cannot start: $(last_lines "$ERR_TEXT" 1)" ;;
  *) fail "the compose configuration is invalid: $(last_lines "$ERR_TEXT")" ;;
  esac
  svc_json=''
  for s in $services; do svc_json="$svc_json${svc_json:+,}\"$(json_str "$s")\""; done
  res_raw services "[$svc_json]"
  # The plan's update order per service: the configuration's facts (structure only, never a value; the text itself
  # holds .env's values and stays in this shell).
  if capture config_text compose config 2>/dev/null; then
    res_str facts "$(printf '%s\n' "$config_text" | service_facts /dev/stdin)"
  fi
  config_text=''
fi
referenced=no
for f in $files; do
  if grep -q -F -e "\$$IMAGE_VAR" -e "\${$IMAGE_VAR" "$f" 2>/dev/null; then referenced=yes; fi
done
[ "$referenced" = yes ] || warn "no compose file mentions \${$IMAGE_VAR}: setting it in .env will not change the image"

free=$(df -Pk . 2>/dev/null | awk 'NR == 2 { print $4 }')
case $free in
'' | *[!0-9]*) warn "could not read the free disk space of $APP_DIR" ;;
*)
  res_raw freeKb "$free"
  [ "$free" -ge "$MIN_FREE_KB" ] ||
    fail "only $((free / 1024)) MiB free on the filesystem of $APP_DIR; at least $((MIN_FREE_KB / 1024)) MiB are needed"
  ;;
esac

# unquote: stdin without trailing blanks and one pair of surrounding quotes.
unquote() { sed -e 's/[[:space:]]*$//' -e "s/^'\(.*\)'\$/\1/" -e 's/^"\(.*\)"$/\1/'; }
# env_value KEY: the last value .env gives KEY (plain, `export KEY=`, quoted), empty without one.
env_value() {
  [ -f .env ] || return 0
  sed -n "s/^[[:space:]]*\(export[[:space:]][[:space:]]*\)\{0,1\}$1[[:space:]]*=[[:space:]]*//p" .env | tail -n 1 | unquote
}

before=$(env_value "$IMAGE_VAR")
[ -n "$before" ] && res_str imageBefore "$before"

# The project's containers can be found by their label with docker alone (no compose start in later phases) when
# the name compose gives the project is certain: derived as compose does (COMPOSE_PROJECT_NAME, a top-level
# `name:`, else the directory's name) and carried by containers created from this directory.
name=${COMPOSE_PROJECT_NAME:-}
[ -n "$name" ] || name=$(env_value COMPOSE_PROJECT_NAME)
if [ -z "$name" ]; then
  for f in $files; do
    n=$(sed -n 's/^name:[[:space:]]*//p' "$f" | tail -n 1 | unquote)
    [ -n "$n" ] && name=$n
  done
fi
[ -n "$name" ] || name=${APP_DIR##*/}
case $name in
*'$'*) ;; # interpolated: left to compose
*)
  name=$(printf '%s' "$name" | tr 'A-Z' 'a-z' | tr -cd 'a-z0-9_-')
  # "project<TAB>compose version" of each container created from this directory.
  labelled=$(docker ps -a --filter "label=com.docker.compose.project.working_dir=$APP_DIR" \
    --format '{{.Label "com.docker.compose.project"}}{{"\t"}}{{.Label "com.docker.compose.version"}}' 2>/dev/null)
  for row in $labelled; do
    [ "${row%%"$TAB"*}" = "$name" ] || continue
    res_str project "$name"
    # The compose version that created them (no compose start needed to ask it).
    case $row in *"$TAB"?*) res_str composeVersion "${row#*"$TAB"}" ;; esac
    break
  done
  ;;
esac

# The last outcome recorded here: which backup holds the release before the one that runs (its `previous`).
[ -s .deploy/audit.log ] && res_str lastAudit "$(tail -n 1 .deploy/audit.log)"

take_lock
report_lock
res_raw warnings "[$WARNINGS]"
ok
