# diagnose: what a user needs to see when a host fails: compose ps, then for each container that is not running
# healthy (all of them when each looks fine) its last 50 log lines and its health log.
# Args: APP_DIR COMPOSE_KIND COMPOSE_FILES SERVICES
APP_DIR=$1 COMPOSE_KIND=$2 COMPOSE_FILES=$3 SERVICES=$4
enter_app_dir
echo "== docker compose ps"
compose ps -a 2>&1
list_containers
rows=$ROWS
bad=''
all=''
for row in $rows; do
  old_ifs=$IFS
  IFS=$TAB
  set -- $row
  IFS=$old_ifs
  if [ -n "$SERVICES" ] && ! in_list "${2:-}" "$SERVICES"; then continue; fi
  all="$all$1$TAB${5:-}$NL"
  if [ "${3:-}" != running ] || [ "${4:-}" = unhealthy ] || [ "${4:-}" = starting ]; then bad="$bad$1$TAB${5:-}$NL"; fi
done
[ -n "$bad" ] || bad=$all
for row in $bad; do
  id=${row%%"$TAB"*}
  name=${row#*"$TAB"}
  echo "== last 50 log lines of $name"
  docker logs --tail 50 "$id" 2>&1
  echo "== health log of $name"
  docker inspect --format '{{if index .State "Health"}}{{range .State.Health.Log}}{{.Start}} exit {{.ExitCode}}: {{.Output}}{{"\n"}}{{end}}{{else}}no healthcheck defined{{end}}' "$id" 2>&1
done
ok
