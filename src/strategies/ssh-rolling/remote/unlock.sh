# unlock: release the deploy lock if this run holds it; another run's lock is left alone. With BACKUP_DIR (a host
# this run backed up and pulled on, but never changed), first tag the image ids of that backup again, so a mutable
# tag the pull moved (a re-pushed `latest`) names what the host ran before.
# Args: APP_DIR TOKEN [BACKUP_DIR]
# Result: lock (released|absent|other), lockOwner (when another run holds it), retagged and retagError (with
#   BACKUP_DIR).
APP_DIR=$1 TOKEN=$2 BACKUP_DIR=${3:-}
enter_app_dir
l="$APP_DIR/.deploy/lock"
if [ ! -d "$l" ]; then
  res_str lock absent
  ok
fi
if [ "$(cat "$l/token" 2>/dev/null)" != "$TOKEN" ]; then
  res_str lock other
  res_str lockOwner "$(cat "$l/owner.json" 2>/dev/null)"
  ok
fi
# Only while the lock is ours: another run may be deploying to this host. A tag that cannot be put back is reported;
# the lock is released all the same.
if [ -n "$BACKUP_DIR" ]; then
  retag_images "$BACKUP_DIR" || res_str retagError "$RETAG_ERROR"
  res_raw retagged "$RETAGGED"
fi
# Rename first, so nobody sees a half-deleted lock.
gone="$l.released.$$"
mv "$l" "$gone" || fail "cannot release the lock $l"
rm -rf "$gone"
res_str lock released
ok
