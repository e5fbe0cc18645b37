# run: run a user command (pre-deploy, post-deploy, health-check command) with sh in the app directory.
# Args: APP_DIR LABEL COMMAND
# Result: exitCode.
APP_DIR=$1 LABEL=$2 COMMAND=$3
enter_app_dir
sh -c "$COMMAND"
rc=$?
res_raw exitCode "$rc"
[ "$rc" -eq 0 ] || fail "$LABEL exited with code $rc"
ok
