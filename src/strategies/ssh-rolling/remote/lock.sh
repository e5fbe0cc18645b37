# lock: try once to take the deploy lock (pre-flight polls with it while another run holds the lock).
# Args: APP_DIR TOKEN OWNER_JSON TTL (seconds the lock lives on this host's clock unless renewed)
# Result: lock (acquired|taken-over|held), lockOwner (the holder's owner.json, when held or taken over), lockAudit
#   (taken over: the last line of the audit log).
APP_DIR=$1 TOKEN=$2 OWNER_JSON=$3 TTL=$4
enter_app_dir
take_lock
report_lock
ok
