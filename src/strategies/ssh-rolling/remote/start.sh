# start: start-first, step 1. Creates each listed service's new containers beside its running ones, from the new
# .env, with compose's own scaling: the old containers are neither recreated nor stopped, and the new ones carry the
# service's labels and network aliases, so a proxy that follows Docker (Traefik, Caddy, nginx-proxy) finds them as
# it finds the old. Nothing else in the project is touched (--no-deps).
# Args: APP_DIR COMPOSE_KIND COMPOSE_FILES PROJECT SCALES ("service<TAB>declared count" lines)
# Result: old [{service,id,name}] (the containers that ran before), new [{service,id,name}].
APP_DIR=$1 COMPOSE_KIND=$2 COMPOSE_FILES=$3 PROJECT=$4 SCALES=$5
enter_app_dir
list_containers
before=$ROWS

# count_of SERVICE ROWS: how many of ROWS are containers of SERVICE.
count_of() {
  printf '%s\n' "$2" | awk -F "$TAB" -v s="$1" '$2 == s { n++ } END { print n + 0 }'
}

flags=''
services=''
for row in $SCALES; do
  svc=${row%%"$TAB"*} want=${row#*"$TAB"}
  case $want in '' | *[!0-9]*) fail "invalid scale for $svc: $want" ;; esac
  have=$(count_of "$svc" "$before")
  # Every container the service has stays; `want` new ones are added next to them.
  flags="$flags--scale$NL$svc=$((have + want))$NL"
  services="$services$svc$NL"
done
[ -n "$services" ] || fail "no services to start"

compose up -d --no-build --no-deps --no-recreate $flags $services
rc=$?
[ "$rc" -eq 0 ] || fail "docker compose up (start-first) failed with exit code $rc"

list_containers
after=$ROWS
# json_rows ROWS: [{service,id,name}] of ROWS.
json_rows() {
  _j=''
  for _r in $1; do
    _old_ifs=$IFS
    IFS=$TAB
    set -- $_r
    IFS=$_old_ifs
    _j="$_j${_j:+,}{\"service\":\"$(json_str "${2:-}")\",\"id\":\"$(json_str "${1:-}")\",\"name\":\"$(json_str "${5:-}")\"}"
  done
  printf '%s' "$_j"
}
old=''
new=''
for row in $after; do
  id=${row%%"$TAB"*}
  rest=${row#*"$TAB"}
  svc=${rest%%"$TAB"*}
  in_list "$svc" "$services" || continue
  case "$NL$before" in
  *"$NL$id$TAB"*) old="$old$row$NL" ;;
  *) new="$new$row$NL" ;;
  esac
done
for row in $SCALES; do
  svc=${row%%"$TAB"*} want=${row#*"$TAB"}
  got=$(count_of "$svc" "$new")
  [ "$got" -ge "$want" ] || fail "docker compose created $got new container(s) of $svc, $want expected"
done
res_raw old "[$(json_rows "$old")]"
res_raw new "[$(json_rows "$new")]"
ok
