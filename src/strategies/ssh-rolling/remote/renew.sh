# renew: push this run's deploy lock out to TTL seconds from now (this host's clock), only while it holds TOKEN.
# Args: APP_DIR TOKEN TTL
# Result: lock (renewed|absent|other), lockOwner (when another run holds it), expires (epoch seconds, when renewed).
APP_DIR=$1 TOKEN=$2 TTL=$3
enter_app_dir
lock_paths
lock_mutex_wait || fail "the deploy lock is busy (another run is taking it over)"
if lock_check; then
  write_expiry "$LOCK_DIR" || {
    unlock_mutex
    fail "cannot write $LOCK_DIR/expires"
  }
  LOCK=renewed
  res_raw expires "$(cat "$LOCK_DIR/expires")"
fi
unlock_mutex
report_lock
ok
