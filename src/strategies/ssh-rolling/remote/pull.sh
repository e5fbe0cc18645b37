# pull: pull the images of the services (all when SERVICES is empty) as they will be after `apply`: compose reads a
# copy of .env with the new KEY=value lines merged in (mode 0600 under .deploy, removed on exit), so the new image
# is pulled while .env and the running containers stay as they are. Compose's progress (stderr) is shown when it ends.
# Meanwhile it reads the project's configuration with the current and with the new .env, and reports what the
# update order needs: each service's facts under the new one (never a value: see service_facts) and the services
# the deploy changes (their configuration differs, or their image reference now names another image).
# Args: APP_DIR COMPOSE_KIND COMPOSE_FILES SERVICES PROJECT
# Input ($DEPLOY_INPUT): the KEY=value lines `apply` will set (secret: never on a command line).
# Result: facts (service_facts lines of the new configuration, as one string), changed [services]; both absent when
#   compose could not print its configuration.
APP_DIR=$1 COMPOSE_KIND=$2 COMPOSE_FILES=$3 SERVICES=$4 PROJECT=${5:-}
enter_app_dir
[ -n "${DEPLOY_INPUT:-}" ] || fail "no variables to pull with"
src=.env
[ -f .env ] || src=/dev/null
mkdir -p "$APP_DIR/.deploy" || fail "cannot create $APP_DIR/.deploy"
next=$(new_file "$APP_DIR/.deploy/env.next.$$") || fail "cannot create a temporary file in $APP_DIR/.deploy"
errs=$(new_file "$APP_DIR/.deploy/pull.err.$$") || fail "cannot create a temporary file in $APP_DIR/.deploy"
# The configurations hold the values of .env (secrets): files of our own, mode 0600, removed on exit.
cfg_old=$(new_file "$APP_DIR/.deploy/config.old.$$") || fail "cannot create a temporary file in $APP_DIR/.deploy"
cfg_new=$(new_file "$APP_DIR/.deploy/config.new.$$") || fail "cannot create a temporary file in $APP_DIR/.deploy"
at_exit 'rm -f "$next" "$errs" "$cfg_old" "$cfg_new"'
merge_env "$src" >"$next" || fail "cannot write $next"
compose config >"$cfg_old" 2>/dev/null &
old_pid=$!
compose --env-file "$next" config >"$cfg_new" 2>/dev/null &
new_pid=$!
compose --env-file "$next" pull $SERVICES 2>"$errs"
rc=$?
cat "$errs" >&2
wait "$old_pid"
old_rc=$?
wait "$new_pid"
new_rc=$?
[ "$rc" -eq 0 ] || fail "docker compose pull failed with exit code $rc: $(last_lines "$(cat "$errs")" 2)"
[ "$old_rc" -eq 0 ] && [ "$new_rc" -eq 0 ] || ok

facts=$(service_facts "$cfg_new")
# The same configuration may still change a service: its image reference may name another image now (a tag pushed
# again, then pulled).
pulled_image_id() {
  _ref=$(printf '%s\n' "$facts" | awk -F "$TAB" -v s="$1" '$1 == s && $2 == "image" { print $3; exit }')
  [ -n "$_ref" ] && docker image inspect --format '{{.Id}}' "$_ref" 2>/dev/null
  return 0
}
changed_services "$facts" "$cfg_old" pulled_image_id
res_str facts "$facts"
res_raw changed "[$CHANGED]"
ok
