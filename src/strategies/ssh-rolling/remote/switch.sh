# switch: start-first, step 2, once the new containers passed their gate. Retires the old containers (all at once,
# each stopped within its grace period, then removed), then brings the rest of the project to the new configuration
# as `up` does: the new containers are current already, so compose leaves them alone and only recreates what is
# deployed stop-first.
# Args: APP_DIR COMPOSE_KIND COMPOSE_FILES SERVICES OLD ("container id<TAB>grace seconds" lines)
# Result: retired (count).
APP_DIR=$1 COMPOSE_KIND=$2 COMPOSE_FILES=$3 SERVICES=$4 OLD=$5
enter_app_dir
retired=0
# The stops run at once; waited for by pid (a bare `wait` would also wait for the phase's watcher).
pids=''
for row in $OLD; do
  id=${row%%"$TAB"*} grace=${row#*"$TAB"}
  case $grace in '' | *[!0-9]*) grace=10 ;; esac
  docker stop -t "$grace" "$id" >/dev/null 2>&1 &
  pids="$pids$!$NL"
done
for pid in $pids; do wait "$pid"; done
for row in $OLD; do
  id=${row%%"$TAB"*}
  # Gone already (removed by hand meanwhile) is what we wanted.
  if docker rm -f "$id" >/dev/null 2>&1 || ! docker inspect "$id" >/dev/null 2>&1; then
    retired=$((retired + 1))
  else
    fail "cannot remove the old container $id"
  fi
done
res_raw retired "$retired"
compose up -d --no-build $SERVICES
rc=$?
[ "$rc" -eq 0 ] || fail "docker compose up failed with exit code $rc (the old containers are already retired)"
ok
