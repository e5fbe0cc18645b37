#!/bin/sh
# `docker compose …` through compose v1: the Docker CLI runs a CLI plugin as `<plugin> compose <args>`
# and asks it for metadata first. Only compose v1 (/usr/bin/docker-compose) exists on Debian 12.
if [ "${1:-}" = docker-cli-plugin-metadata ]; then
  printf '{"SchemaVersion":"0.1.0","Vendor":"deploylab","Version":"1.29.2","ShortDescription":"Docker Compose v1"}\n'
  exit 0
fi
shift
exec /usr/bin/docker-compose "$@"
