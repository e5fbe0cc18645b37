# lock: try once to take the deploy lock (pre-flight polls with it while another run holds the lock).
# Args: APP_DIR TOKEN OWNER_JSON NOW EXPIRES
# Result: lock (acquired|taken-over|held), lockOwner (the holder's owner.json, when held or taken over).
APP_DIR=$1 TOKEN=$2 OWNER_JSON=$3 NOW=$4 EXPIRES=$5
enter_app_dir
take_lock
res_str lock "$LOCK"
[ -n "$LOCK_OWNER" ] && res_str lockOwner "$LOCK_OWNER"
ok
