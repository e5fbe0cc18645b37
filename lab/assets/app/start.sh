#!/bin/sh
# PID 1 of the lab app image. The behaviour (healthy / unhealthy / crash / slow / late / late-unhealthy) and the
# version it reports are baked into /etc/lab-app.env when the image is built (lab/push.sh); the port comes from $PORT.
# shellcheck source=/dev/null
. /etc/lab-app.env
PORT="${PORT:-8080}"
echo "lab app version=$VERSION behaviour=$BEHAVIOUR build=$BUILD port=$PORT"

if [ "$BEHAVIOUR" = crash ]; then
  echo "crash: exiting with status 1 on start" >&2
  exit 1
fi

# Stop at once on SIGTERM (PID 1 gets no default handler), so a recreate does not wait for the kill; also
# while a late app is still booting.
server=''
trap '[ -z "$server" ] || kill "$server" 2>/dev/null; exit 0' TERM INT

# A late app (an app that needs seconds to boot): nothing listens on the port for LATE_SECONDS.
case "$BEHAVIOUR" in late | late-unhealthy)
  echo "late: listening in ${LATE_SECONDS:-3} s"
  sleep "${LATE_SECONDS:-3}" &
  wait "$!"
  ;;
esac

# The slow variant measures its start-up from here (see handler.sh).
date +%s >/tmp/lab-app-started

# busybox nc forks handler.sh per connection (-ll keeps listening); it binds every address of the
# network namespace, so with network_mode: host it answers on the lab host's own address.
nc -ll -p "$PORT" -e /handler.sh &
server=$!
wait "$server"
