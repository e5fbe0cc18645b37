# run: run a user command (pre-deploy, post-deploy, health-check command) in the app directory.
# Args: APP_DIR LABEL. Input: the command, which so never appears on a command line (`ps` shows only the label).
# It runs in a subshell as `sh -c` would run it (default IFS, globbing on, unset variables allowed), stdin /dev/null.
# Result: exitCode.
APP_DIR=$1 LABEL=$2
enter_app_dir
[ -n "${DEPLOY_INPUT:-}" ] || fail "no $LABEL given"
rc=0
(
  set +u +f
  IFS=' 	
'
  eval "$DEPLOY_INPUT"
) || rc=$?
res_raw exitCode "$rc"
[ "$rc" -eq 0 ] || fail "$LABEL exited with code $rc"
ok
