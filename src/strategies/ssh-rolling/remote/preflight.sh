# preflight: check the host can be deployed to, then take the deploy lock. Changes nothing else.
# Args: APP_DIR COMPOSE_FILES IMAGE_VAR MIN_FREE_KB TOKEN OWNER_JSON NOW EXPIRES
# Result: compose (v1|v2), composeVersion, dockerVersion, freeKb, imageBefore, warnings[], lock, lockOwner.
APP_DIR=$1 COMPOSE_FILES=$2 IMAGE_VAR=$3 MIN_FREE_KB=$4 TOKEN=$5 OWNER_JSON=$6 NOW=$7 EXPIRES=$8
WARNINGS=''
warn() { WARNINGS="$WARNINGS${WARNINGS:+,}\"$(json_str "$1")\""; }

enter_app_dir
[ -w . ] || fail "app-dir $APP_DIR is not writable by $(id -un 2>/dev/null || echo this user)"
command -v docker >/dev/null 2>&1 || fail "docker is not installed (no 'docker' on PATH)"
if ! out=$(docker version --format '{{.Server.Version}}' 2>&1); then
  fail "the docker daemon is not reachable: $(last_lines "$out" 2)"
fi
res_str dockerVersion "$out"

if docker compose version >/dev/null 2>&1; then
  COMPOSE_KIND=v2
  ver=$(docker compose version --short 2>/dev/null)
elif command -v docker-compose >/dev/null 2>&1 && docker-compose version >/dev/null 2>&1; then
  COMPOSE_KIND=v1
  ver=$(docker-compose version --short 2>/dev/null)
else
  fail "neither 'docker compose' (v2) nor 'docker-compose' (v1) is available"
fi
res_str compose "$COMPOSE_KIND"
res_str composeVersion "$ver"

for f in $COMPOSE_FILES; do
  [ -f "$f" ] || fail "compose file $f not found in $APP_DIR"
done
files=$(compose_file_list)
[ -n "$files" ] || fail "no compose file in $APP_DIR (looked for compose.yaml, docker-compose.yml and their .yml/.yaml forms)"
if ! out=$(compose config -q 2>&1); then
  fail "the compose configuration is invalid: $(last_lines "$out")"
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

if [ -f .env ]; then
  before=$(sed -n "s/^[[:space:]]*\(export[[:space:]][[:space:]]*\)\{0,1\}${IMAGE_VAR}[[:space:]]*=[[:space:]]*//p" .env | tail -n 1)
  before=$(printf '%s' "$before" | sed -e "s/^'\(.*\)'\$/\1/" -e 's/^"\(.*\)"$/\1/')
  [ -n "$before" ] && res_str imageBefore "$before"
fi

take_lock
res_str lock "$LOCK"
[ -n "$LOCK_OWNER" ] && res_str lockOwner "$LOCK_OWNER"
res_raw warnings "[$WARNINGS]"
ok
