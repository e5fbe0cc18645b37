# pull: pull the images of the services (all when SERVICES is empty). Compose prints its progress on stderr.
# Args: APP_DIR COMPOSE_KIND COMPOSE_FILES SERVICES
APP_DIR=$1 COMPOSE_KIND=$2 COMPOSE_FILES=$3 SERVICES=$4
enter_app_dir
compose pull $SERVICES
rc=$?
[ "$rc" -eq 0 ] || fail "docker compose pull failed with exit code $rc"
ok
