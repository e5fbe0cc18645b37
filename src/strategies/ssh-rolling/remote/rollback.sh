# rollback: restore the files of a backup, make the recorded image ids run again, then up without pulling.
# Works with the registry unreachable and with a re-pushed (mutable) tag: each recorded image id is tagged again as
# the reference its container was created from, which the restored files resolve to.
# Only while the deploy lock still holds TOKEN: a run whose lock was taken over never undoes the new owner's deploy.
# A start-first deploy cut short before its switch (RETIRE: "service<TAB>grace seconds" lines) first removes the
# new containers of those services, each stopped within its grace period: every container the backup does not list.
# The old ones never stopped, and the restored files are what they run, so `up` then leaves them alone.
# Args: APP_DIR COMPOSE_KIND COMPOSE_FILES SERVICES BACKUP_DIR TOKEN RETIRE PROJECT
# Result: restored (files), retagged (count), missing [image ids no longer on the host], previous (the backup the
#   restored one records as holding the release before its own); refused: lock (other|absent), lockOwner.
APP_DIR=$1 COMPOSE_KIND=$2 COMPOSE_FILES=$3 SERVICES=$4 BACKUP_DIR=$5 TOKEN=$6 RETIRE=${7:-} PROJECT=${8:-}
enter_app_dir
if ! lock_check; then
  report_lock
  fail "the deploy lock is no longer this run's"
fi
[ -f "$BACKUP_DIR/manifest" ] || fail "backup $BACKUP_DIR is missing or incomplete (no manifest)"

retired=0
if [ -n "$RETIRE" ] && [ -f "$BACKUP_DIR/containers" ]; then
  kept=$(cat "$BACKUP_DIR/containers")
  list_containers
  doomed=''
  pids=''
  for row in $ROWS; do
    id=${row%%"$TAB"*}
    rest=${row#*"$TAB"}
    svc=${rest%%"$TAB"*}
    case "$NL$kept$NL" in *"$TAB$id$NL"*) continue ;; esac
    for r in $RETIRE; do
      [ "${r%%"$TAB"*}" = "$svc" ] || continue
      grace=${r#*"$TAB"}
      case $grace in '' | *[!0-9]*) grace=10 ;; esac
      docker stop -t "$grace" "$id" >/dev/null 2>&1 &
      pids="$pids$!$NL"
      doomed="$doomed$id$NL"
    done
  done
  # By pid: a bare `wait` would also wait for the phase's watcher.
  for pid in $pids; do wait "$pid"; done
  for id in $doomed; do
    if ! docker rm -f "$id" >/dev/null 2>&1 && docker inspect "$id" >/dev/null 2>&1; then
      fail "cannot remove the new container $id"
    fi
    retired=$((retired + 1))
  done
fi
res_raw retired "$retired"
restore_backup "$BACKUP_DIR"

compose up -d --no-build $SERVICES
rc=$?
[ "$rc" -eq 0 ] || fail "docker compose up failed with exit code $rc"
ok
