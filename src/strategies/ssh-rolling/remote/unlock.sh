# unlock: release the deploy lock if this run holds it; another run's lock is left alone.
# Args: APP_DIR TOKEN
# Result: lock (released|absent|other), lockOwner (when another run holds it).
APP_DIR=$1 TOKEN=$2
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
# Rename first, so nobody sees a half-deleted lock.
gone="$l.released.$$"
mv "$l" "$gone" || fail "cannot release the lock $l"
rm -rf "$gone"
res_str lock released
ok
