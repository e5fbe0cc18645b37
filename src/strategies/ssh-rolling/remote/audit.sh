# audit: append one line (JSON) to <app-dir>/.deploy/audit.log. With COMPOSE_KIND (an outcome that leaves a known
# release running), the line also records the image id each service's containers run now ("running"), which a later
# `rollback-to: previous` compares with what runs then.
# Args: APP_DIR LINE COMPOSE_KIND COMPOSE_FILES PROJECT
APP_DIR=$1 LINE=$2 COMPOSE_KIND=${3:-} COMPOSE_FILES=${4:-} PROJECT=${5:-}
enter_app_dir
mkdir -p "$APP_DIR/.deploy" || fail "cannot create $APP_DIR/.deploy"
if [ -n "$COMPOSE_KIND" ]; then
  running_images_json
  LINE="${LINE%\}},\"running\":[$RUNNING_JSON]}"
fi
printf '%s\n' "$LINE" >>"$APP_DIR/.deploy/audit.log" || fail "cannot append to $APP_DIR/.deploy/audit.log"
ok
