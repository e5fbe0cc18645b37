# gate: one look at the new containers of a start-first switch, each on its own (a URL through a proxy cannot tell
# the old from the new): each must run, be healthy where it defines a healthcheck, and, where its service has a
# probe, answer an HTTP GET at its own address with 2xx. One try; the runner decides when to try again.
# Args: APP_DIR IDS (newline-separated container ids) PROBES ("service<TAB>port/path" lines)
# Result: state (healthy|starting|unhealthy), problems [text], containers [{service,name,status,health}], probeFailed
#   (a probe got no 2xx: a failed try, while a healthcheck still starting is only waited for).
APP_DIR=$1 IDS=$2 PROBES=${3:-}
enter_app_dir
[ -n "$IDS" ] || fail "no containers to check"
state=healthy
probe_failed=false
problems=''
containers=''
problem() { problems="$problems${problems:+,}\"$(json_str "$1")\""; }
worse() {
  case $1 in
  unhealthy) state=unhealthy ;;
  starting) [ "$state" = healthy ] && state=starting ;;
  esac
}
# probe_of SERVICE: its "port/path", or nothing.
probe_of() {
  for _p in $PROBES; do
    [ "${_p%%"$TAB"*}" = "$1" ] && printf '%s' "${_p#*"$TAB"}" && return
  done
}
# http_ok URL: whether URL answers 2xx within 3 s (curl, else wget).
http_ok() {
  if command -v curl >/dev/null 2>&1; then
    _code=$(curl -s -o /dev/null --max-time 3 -w '%{http_code}' "$1" 2>/dev/null)
    case $_code in 2??) return 0 ;; esac
    PROBE_ANSWER="HTTP ${_code:-no answer}"
    return 1
  fi
  if command -v wget >/dev/null 2>&1; then
    wget -q -T 3 -O /dev/null "$1" 2>/dev/null && return 0
    PROBE_ANSWER="no 2xx answer"
    return 1
  fi
  PROBE_ANSWER="neither curl nor wget is installed on the host"
  return 1
}
for id in $IDS; do
  if ! row=$(docker inspect --format '{{index .Config.Labels "com.docker.compose.service"}}{{"\t"}}{{.State.Status}}{{"\t"}}{{if index .State "Health"}}{{.State.Health.Status}}{{else}}none{{end}}{{"\t"}}{{.Name}}{{"\t"}}{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$id" 2>/dev/null); then
    state=unhealthy
    problem "container ${id%"${id#????????????}"} is gone"
    continue
  fi
  old_ifs=$IFS
  IFS=$TAB
  set -- $row
  IFS=$old_ifs
  svc=${1:-} status=${2:-} health=${3:-} name=${4:-} addrs=${5:-}
  name=${name#/}
  containers="$containers${containers:+,}{\"service\":\"$(json_str "$svc")\",\"name\":\"$(json_str "$name")\",\"status\":\"$(json_str "$status")\",\"health\":\"$(json_str "$health")\"}"
  if [ "$status" = restarting ] || [ "$status" = exited ] || [ "$status" = dead ]; then
    worse unhealthy
    problem "$name is $status"
    continue
  fi
  if [ "$status" != running ]; then
    worse starting
    problem "$name is $status"
    continue
  fi
  case $health in
  unhealthy)
    worse unhealthy
    problem "$name is unhealthy"
    continue
    ;;
  starting)
    worse starting
    problem "$name is starting (healthcheck not passed yet)"
    continue
    ;;
  esac
  probe=$(probe_of "$svc")
  [ -n "$probe" ] || continue
  addr=${addrs%% *}
  if [ -z "$addr" ]; then
    worse unhealthy
    problem "$name has no address to probe"
    continue
  fi
  PROBE_ANSWER=''
  if ! http_ok "http://$addr:$probe"; then
    worse starting
    probe_failed=true
    problem "$name: GET :${probe}: $PROBE_ANSWER"
  fi
done
res_str state "$state"
res_raw problems "[$problems]"
res_raw containers "[$containers]"
res_raw probeFailed "$probe_failed"
ok
