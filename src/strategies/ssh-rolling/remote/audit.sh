# audit: append one line (JSON) to <app-dir>/.deploy/audit.log.
# Args: APP_DIR LINE
APP_DIR=$1 LINE=$2
enter_app_dir
mkdir -p "$APP_DIR/.deploy" || fail "cannot create $APP_DIR/.deploy"
printf '%s\n' "$LINE" >>"$APP_DIR/.deploy/audit.log" || fail "cannot append to $APP_DIR/.deploy/audit.log"
ok
