# restore: the `apply` of a rollback-to: put back the files of an earlier backup and tag its recorded image ids again
# as the references their containers were created from, so `up` runs them without a registry. Changes no container.
# Only while the deploy lock still holds TOKEN. Meanwhile it reads the project's configuration before and after, and
# reports what the update order needs, as `pull` does for a deploy: each service's facts under the restored
# configuration, and the services it changes (their configuration differs, or they run another image id than the
# backup recorded).
# Args: APP_DIR COMPOSE_KIND COMPOSE_FILES SERVICES BACKUP_DIR TOKEN PROJECT
# Result: restored (files), retagged (count), missing [image ids no longer on the host], previous (the backup the
#   restored one records as holding the release before its own), facts and changed (both absent when compose could
#   not print its configuration); refused: lock (other|absent), lockOwner.
APP_DIR=$1 COMPOSE_KIND=$2 COMPOSE_FILES=$3 SERVICES=$4 BACKUP_DIR=$5 TOKEN=$6 PROJECT=${7:-}
enter_app_dir
if ! lock_check; then
  report_lock
  fail "the deploy lock is no longer this run's"
fi
[ -f "$BACKUP_DIR/manifest" ] || fail "backup $BACKUP_DIR is missing or incomplete (no manifest)"
# The configurations hold the values of .env (secrets): files of our own, mode 0600, removed on exit.
cfg_old=$(new_file "$APP_DIR/.deploy/config.old.$$") || fail "cannot create a temporary file in $APP_DIR/.deploy"
cfg_new=$(new_file "$APP_DIR/.deploy/config.new.$$") || fail "cannot create a temporary file in $APP_DIR/.deploy"
at_exit 'rm -f "$cfg_old" "$cfg_new"'
compose config >"$cfg_old" 2>/dev/null
old_rc=$?

restore_backup "$BACKUP_DIR"

compose config >"$cfg_new" 2>/dev/null || ok
[ "$old_rc" -eq 0 ] || ok
facts=$(service_facts "$cfg_new")
# The same configuration may still change a service: the backup's containers ran another image id than the running ones.
recorded_image_id() {
  awk -F "$TAB" -v s="$1" '$1 == s { print $2; exit }' "$BACKUP_DIR/images" 2>/dev/null
  return 0
}
changed_services "$facts" "$cfg_old" recorded_image_id
res_str facts "$facts"
res_raw changed "[$CHANGED]"
ok
