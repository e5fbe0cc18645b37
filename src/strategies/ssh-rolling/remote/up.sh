# up: (re)create the containers of the services (all when SERVICES is empty) on the pulled images.
# Args: APP_DIR COMPOSE_KIND COMPOSE_FILES SERVICES
APP_DIR=$1 COMPOSE_KIND=$2 COMPOSE_FILES=$3 SERVICES=$4
enter_app_dir
compose up -d --no-build $SERVICES
rc=$?
[ "$rc" -eq 0 ] || fail "docker compose up failed with exit code $rc"
ok
