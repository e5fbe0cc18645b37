# audit: append one line (JSON) to <app-dir>/.deploy/audit.log. With COMPOSE_KIND (an outcome that leaves a known
# release running), the line also records the image id each service's containers run now ("running"), which a later
# `rollback-to: previous` compares with what runs then.
# Args: APP_DIR LINE COMPOSE_KIND COMPOSE_FILES PROJECT
APP_DIR=$1 LINE=$2 COMPOSE_KIND=${3:-} COMPOSE_FILES=${4:-} PROJECT=${5:-}
enter_app_dir
mkdir -p "$APP_DIR/.deploy" || fail "cannot create $APP_DIR/.deploy"
if [ -n "$COMPOSE_KIND" ]; then
  list_containers
  json=''
  seen=''
  for row in $ROWS; do
    old_ifs=$IFS
    IFS=$TAB
    set -- $row
    IFS=$old_ifs
    case "$NL$seen$NL" in *"$NL${2:-}$NL"*) continue ;; esac
    seen="$seen$NL${2:-}"
    json="$json${json:+,}{\"service\":\"$(json_str "${2:-}")\",\"imageId\":\"$(json_str "${6:-}")\",\"image\":\"$(json_str "${7:-}")\"}"
  done
  LINE="${LINE%\}},\"running\":[$json]}"
fi
printf '%s\n' "$LINE" >>"$APP_DIR/.deploy/audit.log" || fail "cannot append to $APP_DIR/.deploy/audit.log"
ok
