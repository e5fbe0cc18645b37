#!/bin/sh
# One HTTP/1.0 exchange per connection, run by `nc -ll -e`: GET /, /version, /health, /build.
# shellcheck source=/dev/null
. /etc/lab-app.env

# A TCP probe that sends nothing must not leave a handler behind: give up after a few seconds
# (busybox ash has `read -t`).
# shellcheck disable=SC3045,SC2034
read -t 5 -r method path proto || exit 0
cr=$(printf '\r')
# shellcheck disable=SC3045
while read -t 5 -r line; do
  case "$line" in '' | "$cr") break ;; esac
done

respond() { # status body
  body="$2
"
  printf 'HTTP/1.0 %s\r\nContent-Type: text/plain\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' \
    "$1" "${#body}" "$body"
}

health() {
  case "$BEHAVIOUR" in
    unhealthy | late-unhealthy) respond '500 Internal Server Error' 'unhealthy' ;;
    slow)
      started=$(cat /tmp/lab-app-started 2>/dev/null || echo 0)
      if [ $(($(date +%s) - started)) -ge "${SLOW_SECONDS:-5}" ]; then
        respond '200 OK' 'ok'
      else
        respond '503 Service Unavailable' 'starting'
      fi
      ;;
    *) respond '200 OK' 'ok' ;;
  esac
}

case "${path%%\?*}" in
  /health) health ;;
  /version) respond '200 OK' "$VERSION" ;;
  /build) respond '200 OK' "$BUILD" ;;
  /) respond '200 OK' "deploylab app $VERSION" ;;
  *) respond '404 Not Found' 'not found' ;;
esac
