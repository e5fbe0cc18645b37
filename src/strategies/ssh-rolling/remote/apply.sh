# apply: merge KEY=value lines into <app-dir>/.env (mode 0600), keeping every other line; atomic (temp file + mv).
# Args: APP_DIR
# Input ($DEPLOY_INPUT): the KEY=value lines to set, already formatted for .env; they hold secrets, so they are
# never put on a command line or in any file but .env.
# Result: keys (the names set), changed (whether .env differs from before).
APP_DIR=$1
enter_app_dir
[ -n "${DEPLOY_INPUT:-}" ] || fail "no variables to write"
src=.env
[ -f .env ] || src=/dev/null
# A new file of our own (mode 0600), never a path someone else prepared: app-dir may be writable by others.
tmp=$(new_file "$APP_DIR/.env.deploy-tmp.$$") || fail "cannot create a temporary file in $APP_DIR"
at_exit 'rm -f "$tmp"'
if ! merge_env "$src" >"$tmp"; then
  fail "cannot write the new .env (the old one is unchanged)"
fi
changed=true
cmp -s "$src" "$tmp" && changed=false
mv -f "$tmp" .env || fail "cannot replace $APP_DIR/.env (the old one is unchanged)"
keys=''
for l in $DEPLOY_INPUT; do
  keys="$keys${keys:+,}\"$(json_str "${l%%=*}")\""
done
res_raw keys "[$keys]"
res_raw changed "$changed"
ok
