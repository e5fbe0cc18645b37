# unlock: release the deploy lock if this run holds it; another run's lock is left alone. With BACKUP_DIR (a host
# this run backed up and pulled on, but never changed), first tag the image ids of that backup again, so a mutable
# tag the pull moved (a re-pushed `latest`) names what the host ran before.
# Args: APP_DIR TOKEN [BACKUP_DIR]
# Result: lock (released|absent|other), lockOwner (when another run holds it), retagged and retagError (with
#   BACKUP_DIR).
APP_DIR=$1 TOKEN=$2 BACKUP_DIR=${3:-}
enter_app_dir
if ! lock_check; then
  report_lock
  ok
fi
# Only while the lock is ours: another run may be deploying to this host. A tag that cannot be put back is reported;
# the lock is released all the same.
if [ -n "$BACKUP_DIR" ]; then
  retag_images "$BACKUP_DIR" || res_str retagError "$RETAG_ERROR"
  res_raw retagged "$RETAGGED"
fi
# Under the mutex, and checked again there: a run taking over a lock that expired must not find it gone mid-way.
lock_mutex_wait || fail "cannot release the lock $LOCK_DIR: it is busy (another run is taking it over)"
if lock_check; then
  # Rename first, so nobody sees a half-deleted lock.
  gone="$LOCK_DIR.released.$$"
  if ! mv "$LOCK_DIR" "$gone"; then
    unlock_mutex
    fail "cannot release the lock $LOCK_DIR"
  fi
  LOCK=released
fi
unlock_mutex
[ "$LOCK" = released ] && rm -rf "$gone"
report_lock
ok
