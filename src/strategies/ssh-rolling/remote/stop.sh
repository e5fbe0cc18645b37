# stop: stop the phases a run left on this host (timed out, cancelled, or cut off with its connection) and wait until
# they are gone. Not supervised itself. Each record <app-dir>/.deploy/run/<run>/<pgid> names a process group; a
# record whose group leader is another process now (its start time differs) is stale and only removed.
# Args: APP_DIR RUN WAIT (naps of 0.2 s that TERM may take before KILL; KILL then gets 25 more)
# Result: stopped (groups that were running and are gone now), left [pgids still running after TERM and KILL].
APP_DIR=$1 RUN=$2 WAIT=$3
case $RUN in '' | *[!A-Za-z0-9_-]*) fail "invalid run id" ;; esac
case $WAIT in '' | *[!0-9]*) fail "invalid wait" ;; esac
if [ ! -d "$APP_DIR/.deploy/run/$RUN" ]; then
  res_raw stopped 0
  res_raw left '[]'
  ok
fi
enter_app_dir
dir=$APP_DIR/.deploy/run/$RUN
set +f
records=$(for f in "$dir"/*; do [ -f "$f" ] && printf '%s\n' "$f"; done)
set -f
running=''
for f in $records; do
  { IFS=' ' read -r pg start pid <"$f"; } 2>/dev/null || pg=''
  case $pg in '' | *[!0-9]* | 0 | 1)
    rm -f "$f"
    continue
    ;;
  esac
  # The leader still exists with another start time: the pid was reused, the group we recorded is gone.
  if proc_stat "$pg"; then
    stat_field 20
    if [ "$FIELD" != "$start" ]; then
      rm -f "$f"
      continue
    fi
  fi
  if group_alive "$pg"; then
    echo "stopping process group $pg (left by this run)"
    kill -s TERM -- "-$pg" 2>/dev/null
    running="$running$pg $pid$NL"
  else
    rm -f "$f"
    remove_temp_files "$APP_DIR" "$pid"
  fi
done
stopped=0
left=''
waited=0
for entry in $running; do
  pg=${entry%% *}
  pid=${entry#* }
  while group_alive "$pg"; do
    if [ "$waited" -ge "$WAIT" ]; then
      [ "$waited" -eq "$WAIT" ] && echo "process group $pg did not stop after TERM: KILL"
      kill -s KILL -- "-$pg" 2>/dev/null
    fi
    [ "$waited" -ge $((WAIT + 25)) ] && break
    nap
    waited=$((waited + 1))
  done
  if group_alive "$pg"; then
    left="$left${left:+,}$pg"
  else
    stopped=$((stopped + 1))
    # What a killed phase could not clean up: its secret-bearing temp files.
    rm -f "$dir/$pg"
    remove_temp_files "$APP_DIR" "$pid"
  fi
done
rmdir "$dir" "$APP_DIR/.deploy/run" 2>/dev/null
res_raw stopped "$stopped"
res_raw left "[$left]"
ok
