# pull: pull the images of the services (all when SERVICES is empty) as they will be after `apply`: compose reads a
# copy of .env with the new KEY=value lines merged in (mode 0600 under .deploy, removed on exit), so the new image
# is pulled while .env and the running containers stay as they are. Compose's progress (stderr) is shown when it ends.
# Args: APP_DIR COMPOSE_KIND COMPOSE_FILES SERVICES
# Input ($DEPLOY_INPUT): the KEY=value lines `apply` will set (secret: never on a command line).
APP_DIR=$1 COMPOSE_KIND=$2 COMPOSE_FILES=$3 SERVICES=$4
enter_app_dir
[ -n "${DEPLOY_INPUT:-}" ] || fail "no variables to pull with"
src=.env
[ -f .env ] || src=/dev/null
mkdir -p "$APP_DIR/.deploy" || fail "cannot create $APP_DIR/.deploy"
next=$(new_file "$APP_DIR/.deploy/env.next.$$") || fail "cannot create a temporary file in $APP_DIR/.deploy"
errs=$(new_file "$APP_DIR/.deploy/pull.err.$$") || fail "cannot create a temporary file in $APP_DIR/.deploy"
at_exit 'rm -f "$next" "$errs"'
merge_env "$src" >"$next" || fail "cannot write $next"
compose --env-file "$next" pull $SERVICES 2>"$errs"
rc=$?
cat "$errs" >&2
[ "$rc" -eq 0 ] || fail "docker compose pull failed with exit code $rc: $(last_lines "$(cat "$errs")" 2)"
ok
