# health: one look at the containers: every container of the services must run, and be healthy where it defines a
# healthcheck. One try; the runner decides when to try again.
# Args: APP_DIR COMPOSE_KIND COMPOSE_FILES SERVICES PROJECT ALL_SERVICES COMPLETED
#   PROJECT: the project name pre-flight confirmed (containers found with docker alone), or empty;
#   ALL_SERVICES: with SERVICES empty, services that must have a container (those that ran before the deploy);
#   every service with a container now is checked as well.
#   COMPLETED: one-shot services (migrations, init jobs): their container had exited with code 0 before the deploy,
#   so exited with code 0 is what they should be now too.
# Result: state (healthy|starting|unhealthy), problems [text], containers [{service,name,status,health}].
APP_DIR=$1 COMPOSE_KIND=$2 COMPOSE_FILES=$3 SERVICES=$4 PROJECT=$5 ALL_SERVICES=$6 COMPLETED=${7:-}
enter_app_dir
list_containers
rows=$ROWS
services=$SERVICES
if [ -z "$services" ]; then
  # Sorted and unique: ALL_SERVICES, then the services the containers carry.
  services=$(printf '%s\n%s\n' "$ALL_SERVICES" "$(printf '%s\n' "$rows" | cut -f 2)" | sed '/^$/d' | sort -u)
  [ -n "$services" ] || fail "the project has no containers"
fi
state=healthy
problems=''
containers=''
problem() { problems="$problems${problems:+,}\"$(json_str "$1")\""; }
one_shot() { case "$NL$COMPLETED$NL" in *"$NL$1$NL"*) return 0 ;; esac; return 1; }
for svc in $services; do
  found=no
  for row in $rows; do
    old_ifs=$IFS
    IFS=$TAB
    set -- $row
    IFS=$old_ifs
    [ "${2:-}" = "$svc" ] || continue
    found=yes
    id=${1:-} status=${3:-} health=${4:-} name=${5:-}
    if [ "$status" = exited ] && one_shot "$svc"; then
      # Asked only for a one-shot service's container: one more docker call.
      code=$(docker inspect --format '{{.State.ExitCode}}' "$id" 2>/dev/null)
      [ "$code" = 0 ] && status=completed || status="exited (code ${code:-unknown})"
    fi
    containers="$containers${containers:+,}{\"service\":\"$(json_str "$svc")\",\"name\":\"$(json_str "$name")\",\"status\":\"$(json_str "$status")\",\"health\":\"$(json_str "$health")\"}"
    if [ "$status" = completed ]; then
      :
    elif [ "$status" != running ]; then
      state=unhealthy
      problem "$name is $status"
    elif [ "$health" = unhealthy ]; then
      state=unhealthy
      problem "$name is unhealthy"
    elif [ "$health" = starting ]; then
      [ "$state" = healthy ] && state=starting
      problem "$name is starting (healthcheck not passed yet)"
    fi
  done
  if [ "$found" = no ]; then
    state=unhealthy
    problem "service $svc has no container"
  fi
done
res_str state "$state"
res_raw problems "[$problems]"
res_raw containers "[$containers]"
ok
