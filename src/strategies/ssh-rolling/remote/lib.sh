# Shared helpers, prepended to every phase script. POSIX sh (dash, bash, busybox ash).
# Protocol: arguments are positional parameters; secret input, when any, is in $DEPLOY_INPUT (set on stdin,
# never on a command line); the last stdout line is `@@RESULT {json}` with at least "ok".
set -u
umask 077
LC_ALL=C
export LC_ALL
# Unquoted expansions split on newlines only, without globbing: lists travel as newline-separated arguments.
NL='
'
TAB='	'
IFS=$NL
set -f

R=''

# json_str VALUE: VALUE as the inside of a JSON string (control characters other than tab and newline dropped).
# Plain values (the common case) need no escaping and start no process.
json_str() {
  case $1 in
  *[!A-Za-z0-9\ ._:/@+=,-]*) ;;
  *)
    printf '%s' "$1"
    return
    ;;
  esac
  printf '%s' "$1" | tr -d '\000-\010\013-\037' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e "s/$TAB/\\\\t/g" |
    awk 'NR > 1 { printf "\\n" } { printf "%s", $0 }'
}

# res_str KEY VALUE / res_raw KEY JSON: add a field to the result.
res_str() { R="$R${R:+,}\"$1\":\"$(json_str "$2")\""; }
res_raw() { R="$R${R:+,}\"$1\":$2"; }

# ok: print the result and exit 0. fail MESSAGE: print the result with "error" and exit 1.
ok() {
  printf '\n@@RESULT {"ok":true%s}\n' "${R:+,$R}"
  exit 0
}
fail() {
  res_str error "$1"
  printf '\n@@RESULT {"ok":false,%s}\n' "$R"
  exit 1
}

# last_lines TEXT [N]: the last N (3) non-empty lines of TEXT on one line, for error messages.
last_lines() {
  printf '%s\n' "$1" | sed '/^[[:space:]]*$/d' | tail -n "${2:-3}" | tr '\n' ' ' | sed 's/ *$//'
}

# enter_app_dir: cd into APP_DIR and make it absolute (a relative app-dir is relative to the login directory).
enter_app_dir() {
  [ -d "$APP_DIR" ] || fail "app-dir $APP_DIR does not exist"
  cd "$APP_DIR" || fail "cannot enter app-dir $APP_DIR"
  APP_DIR=$(pwd)
}

# compose ARGS…: docker compose (v2) or docker-compose (v1) with the -f files; only flags both versions have.
# Globals: COMPOSE_KIND (v1|v2), COMPOSE_FILES (newline-separated, may be empty).
compose() {
  _n=$#
  for _f in $COMPOSE_FILES; do set -- "$@" -f "$_f"; done
  # Move the caller's arguments after the -f options.
  _i=0
  while [ "$_i" -lt "$_n" ]; do
    set -- "$@" "$1"
    shift
    _i=$((_i + 1))
  done
  if [ "$COMPOSE_KIND" = v2 ]; then docker compose "$@"; else docker-compose "$@"; fi
}

# compose_file_list: the compose files in use: the given ones, or the defaults compose finds on its own.
compose_file_list() {
  if [ -n "$COMPOSE_FILES" ]; then
    printf '%s\n' "$COMPOSE_FILES"
    return
  fi
  for _f in compose.yaml compose.yml docker-compose.yml docker-compose.yaml \
    compose.override.yaml compose.override.yml docker-compose.override.yml docker-compose.override.yaml; do
    [ -f "$_f" ] && printf '%s\n' "$_f"
  done
}

# project_containers: "id<TAB>service<TAB>status<TAB>health<TAB>name<TAB>image id<TAB>image reference" per container
# of the project (one-off run containers excluded; health "none" without a healthcheck), from docker inspect, which
# compose v1 and v2 share. With PROJECT set (the name pre-flight confirmed), the containers are found by their
# compose project label with docker alone; otherwise compose lists them.
# Globals: PROJECT (may be empty), and compose's (COMPOSE_KIND, COMPOSE_FILES).
project_containers() {
  if [ -n "${PROJECT:-}" ]; then
    _ids=$(docker ps -a -q --no-trunc --filter "label=com.docker.compose.project=$PROJECT") || return 1
  else
    _ids=$(compose ps -a -q) || return 1
  fi
  [ -n "$_ids" ] || return 0
  # One docker inspect for all of them; the ids split on newlines (IFS).
  _rows=$(docker inspect --format '{{.Id}}{{"\t"}}{{index .Config.Labels "com.docker.compose.service"}}{{"\t"}}{{.State.Status}}{{"\t"}}{{if index .State "Health"}}{{.State.Health.Status}}{{end}}{{"\t"}}{{.Name}}{{"\t"}}{{index .Config.Labels "com.docker.compose.oneoff"}}{{"\t"}}{{.Image}}{{"\t"}}{{.Config.Image}}' $_ids) ||
    return 1
  printf '%s\n' "$_rows" | awk -F "$TAB" '$6 != "True" { sub(/^\//, "", $5); print $1 "\t" $2 "\t" $3 "\t" ($4 == "" ? "none" : $4) "\t" $5 "\t" $7 "\t" $8 }'
}

# capture VAR COMMAND…: COMMAND's stdout into VAR and its stderr into ERR_TEXT (also passed on: compose may warn,
# e.g. of an unset variable); returns COMMAND's exit code.
capture() {
  _var=$1
  shift
  _errs=$(mktemp 2>/dev/null) || _errs="/tmp/deploy-err.$$"
  _rc=0
  _out=$("$@" 2>"$_errs") || _rc=$?
  ERR_TEXT=''
  if [ -s "$_errs" ]; then
    ERR_TEXT=$(cat "$_errs")
    printf '%s\n' "$ERR_TEXT" >&2
  fi
  rm -f "$_errs"
  eval "$_var=\$_out"
  return "$_rc"
}

# list_containers: project_containers into ROWS, or fail naming docker's (or compose's) reason.
list_containers() {
  capture ROWS project_containers && return 0
  _reason=$(last_lines "$ERR_TEXT" 2)
  fail "cannot list the containers of the project${_reason:+: $_reason}"
}

# running_images_json: list_containers, then one {service, imageId, image} JSON object per service (its first
# container) in RUNNING_JSON (comma-separated, no brackets).
running_images_json() {
  list_containers
  RUNNING_JSON=''
  _seen=''
  for _row in $ROWS; do
    _ifs=$IFS
    IFS=$TAB
    set -- $_row
    IFS=$_ifs
    case "$NL$_seen$NL" in *"$NL${2:-}$NL"*) continue ;; esac
    _seen="$_seen$NL${2:-}"
    RUNNING_JSON="$RUNNING_JSON${RUNNING_JSON:+,}{\"service\":\"$(json_str "${2:-}")\",\"imageId\":\"$(json_str "${6:-}")\",\"image\":\"$(json_str "${7:-}")\"}"
  done
}

# changed_services FACTS CFG_OLD WANT_FN: the services an update changes, as JSON strings (comma-separated) in
# CHANGED: those whose configuration hash in FACTS (service_facts of the new configuration) differs from CFG_OLD's,
# and those with the same configuration whose running containers run another image id than `WANT_FN SERVICE` prints
# (nothing printed: no image check).
changed_services() {
  _facts=$1 _want_fn=$3
  _before=$(service_facts "$2" | awk -F "$TAB" '$2 == "hash"')
  capture _rows project_containers || _rows=''
  CHANGED=''
  for _line in $_facts; do
    _ifs=$IFS
    IFS=$TAB
    set -- $_line
    IFS=$_ifs
    [ "${2:-}" = hash ] || continue
    _svc=$1 _differs=no
    case "$NL$_before$NL" in *"$NL$_svc${TAB}hash$TAB${3:-}$NL"*) ;; *) _differs=yes ;; esac
    if [ "$_differs" = no ]; then
      _want=$("$_want_fn" "$_svc")
      for _row in $_rows; do
        IFS=$TAB
        set -- $_row
        IFS=$_ifs
        [ "${2:-}" = "$_svc" ] || continue
        [ -n "$_want" ] && [ "${6:-}" != "$_want" ] && _differs=yes
      done
    fi
    [ "$_differs" = yes ] && CHANGED="$CHANGED${CHANGED:+,}\"$(json_str "$_svc")\""
  done
}

# restore_backup BACKUP_DIR: restore_files and retag_images, their counts and the backup's `previous` as results;
# fails the phase on the first error.
restore_backup() {
  restore_files "$1" || fail "$RESTORE_ERROR"
  retag_images "$1" || fail "$RETAG_ERROR"
  res_raw restored "$RESTORED"
  res_raw retagged "$RETAGGED"
  res_raw missing "[$MISSING]"
  _previous=$(meta_value "$1" previous)
  [ -n "$_previous" ] && res_str previous "$_previous"
  return 0
}

# merge_env SRC: SRC (a .env file, or /dev/null) with the KEY=value lines of $DEPLOY_INPUT merged in: a key already
# there is replaced in place (its first line; later duplicates dropped), a new key is appended, every other line is
# kept as it is. Written to stdout; the values come from stdin through printf, a builtin: never a process argument.
merge_env() {
  printf '%s\n' "$DEPLOY_INPUT" | awk '
    NR == FNR {
      if ($0 == "") next
      k = $0; sub(/=.*/, "", k)
      if (!(k in line)) order[++n] = k
      line[k] = $0
      next
    }
    {
      k = $0
      sub(/^[ \t]*(export[ \t]+)?/, "", k)
      if (k ~ /^[A-Za-z_][A-Za-z0-9_]*[ \t]*=/) {
        sub(/[ \t]*=.*/, "", k)
        if (k in line) {
          if (!(k in done)) print line[k]
          done[k] = 1
          next
        }
      }
      print
    }
    END { for (i = 1; i <= n; i++) if (!(order[i] in done)) print line[order[i]] }
  ' - "$1"
}

# retag_images BACKUP_DIR: tag each image id the backup recorded as the reference its container was created from
# again, so that reference resolves to what ran before even if a pull moved it (a re-pushed `latest`). Sets RETAGGED
# (count) and MISSING (JSON strings of the ids no longer on the host); returns 1 with RETAG_ERROR set when a tag fails.
retag_images() {
  RETAGGED=0
  MISSING=''
  RETAG_ERROR=''
  [ -f "$1/images" ] || return 0
  while IFS=$TAB read -r _service _id _ref; do
    [ -n "$_service" ] || continue
    if ! docker image inspect "$_id" >/dev/null 2>&1; then
      echo "image $_id of service $_service is no longer on this host; compose will look for $_ref"
      MISSING="$MISSING${MISSING:+,}\"$(json_str "$_id")\""
      continue
    fi
    case $_ref in
    *@*) ;; # a digest reference names the image itself: nothing to re-tag
    *)
      if ! docker tag "$_id" "$_ref"; then
        RETAG_ERROR="cannot tag $_id as $_ref"
        return 1
      fi
      RETAGGED=$((RETAGGED + 1))
      ;;
    esac
  done <"$1/images"
}

# restore_files BACKUP_DIR: put the files its manifest lists back as they were (a file that did not exist is removed);
# each is replaced atomically. Sets RESTORED (count); returns 1 with RESTORE_ERROR set on the first failure.
restore_files() {
  RESTORED=0
  RESTORE_ERROR=''
  while IFS=$TAB read -r _idx _existed _path; do
    [ -n "$_idx" ] || continue
    if [ "$_existed" = 1 ]; then
      if ! { cp -p "$1/files/$_idx" "$_path.rollback.$$" && mv -f "$_path.rollback.$$" "$_path"; }; then
        RESTORE_ERROR="cannot restore $_path from $1"
        return 1
      fi
    elif ! rm -f "$_path"; then
      RESTORE_ERROR="cannot remove $_path (it did not exist when $1 was taken)"
      return 1
    fi
    RESTORED=$((RESTORED + 1))
  done <"$1/manifest"
}

# meta_value BACKUP_DIR KEY: the value of KEY in the backup's meta file ("key<TAB>value" lines), empty without one.
meta_value() {
  [ -f "$1/meta" ] || return 0
  awk -F "$TAB" -v k="$2" '$1 == k { print $2; exit }' "$1/meta"
}

# in_list ITEM LIST: whether ITEM is one of the newline-separated LIST.
in_list() {
  for _x in $2; do [ "$_x" = "$1" ] && return 0; done
  return 1
}

# service_facts FILE: what decides how each service can be updated, from FILE (the output of `docker compose config`
# or `docker-compose config`), as "service<TAB>key<TAB>value" lines, per service in this order: service (empty value),
# container_name, network_mode, scale, replicas, order (deploy.update_config), stop_grace_period, image, healthcheck
# (test|disable), one port per `ports` item (its short syntax, or published=…,target=…,host_ip=…,protocol=…), one
# volume per `volumes` mount but tmpfs (rw|ro: never its source or target), and
# hash: cksum's "CRC SIZE" of the service's lines, which changes with any of them (an environment value too) and
# reveals none. Nothing else is printed: values that may be secret (environment, command, labels…) never leave.
# The block YAML both versions emit (v1: PyYAML, sequences not indented under their key, long scalars wrapped onto
# more lines; v2: go-yaml) is read by indentation, each key by its whole path in the service: a value's further
# lines (a wrapped, quoted or block scalar) are indented deeper than its key, so they can only fall under that
# key's path, where no key is read (a short-syntax port, the one scalar with keys read beside it, never wraps).
service_facts() {
  awk -v T="$TAB" -v Q="'" '
    function unquote(v, c) {
      c = substr(v, 1, 1)
      if (length(v) >= 2 && (c == Q || c == "\"") && substr(v, length(v)) == c) return substr(v, 2, length(v) - 2)
      return v
    }
    function path(i, p) {
      p = key[1]
      for (i = 2; i <= n; i++) p = p "/" key[i]
      return p
    }
    function finish(i, p) {
      if (svc == "") return
      print svc T "service" T
      for (i = 1; i <= 7; i++) if (FACT[i] in fact) print svc T FACT[i] T fact[FACT[i]]
      if (hc_none) hc = "disable"
      if (hc != "") print svc T "healthcheck" T hc
      for (i = 1; i <= ports; i++) {
        if ((i, "item") in port) {
          print svc T "port" T port[i, "item"]
          continue
        }
        p = ""
        if ((i, "published") in port) p = "published=" port[i, "published"]
        p = p (p == "" ? "" : ",") "target=" port[i, "target"]
        if ((i, "host_ip") in port) p = p ",host_ip=" port[i, "host_ip"]
        if ((i, "protocol") in port) p = p ",protocol=" port[i, "protocol"]
        print svc T "port" T p
      }
      for (i = 1; i <= vols; i++) if (vol[i] != "tmpfs") print svc T "volume" T vol[i]
      printf "%s%shash%s", svc, T, T
      fflush()
      close("cksum")
      svc = ""
    }
    BEGIN {
      split("container_name network_mode scale replicas order stop_grace_period image", FACT, " ")
      SCALAR["container_name"] = SCALAR["network_mode"] = SCALAR["scale"] = SCALAR["stop_grace_period"] = 1
      SCALAR["image"] = 1
      svc_indent = -1
    }
    /^ *$/ { if (svc != "") blanks++; next }
    {
      match($0, /^ */)
      ind = RLENGTH
      if (ind == 0) {
        finish()
        in_services = $0 == "services:"
        next
      }
      if (!in_services) next
      if (svc_indent < 0) svc_indent = ind
      if (ind == svc_indent) {
        finish()
        svc = substr($0, ind + 1)
        sub(/:( .*)?$/, "", svc)
        svc = unquote(svc)
        n = ports = vols = blanks = hc_none = 0
        hc = ""
        split("", port)
        split("", vol)
        split("", fact)
        print | "cksum"
        next
      }
      # Blank lines count only inside the block (PyYAML writes them in multi-line quoted scalars).
      for (; blanks > 0; blanks--) print "" | "cksum"
      print | "cksum"
      rest = substr($0, ind + 1)
      col = ind
      if (rest ~ /^-( |$)/) {
        while (n > 0 && (indent[n] > ind || (indent[n] == ind && key[n] == "-"))) n--
        parent = path()
        indent[++n] = ind
        key[n] = "-"
        if (parent == "ports") ports++
        if (parent == "volumes") vol[++vols] = "rw"
        rest = substr(rest, 3)
        col = ind + 2
        if (rest == "") next
        c = substr(rest, 1, 1)
        if (c == Q || c == "\"" || (index(rest, ": ") == 0 && rest !~ /:$/)) {
          v = unquote(rest)
          if (parent == "ports") port[ports, "item"] = v
          if (parent == "volumes" && v ~ /:ro(,[^:]*)?$|:[^:]*,ro$/) vol[vols] = "ro"
          if (parent == "healthcheck/test" && v == "NONE") hc_none = 1
          next
        }
      } else {
        while (n > 0 && indent[n] >= ind) n--
      }
      k = index(rest, ": ")
      if (k) {
        name = substr(rest, 1, k - 1)
        v = unquote(substr(rest, k + 2))
      } else {
        name = rest
        sub(/:$/, "", name)
        v = ""
      }
      indent[++n] = col
      key[n] = name
      p = path()
      if (n == 1 && name in SCALAR && v != "") fact[name] = v
      else if (p == "deploy/replicas") fact["replicas"] = v
      else if (p == "deploy/update_config/order") fact["order"] = v
      else if (p == "healthcheck/disable" && v == "true") hc_none = 1
      else if (p == "healthcheck/test") hc = "test"
      else if (p ~ /^ports\/-\/(published|target|host_ip|protocol)$/ && v != "") port[ports, name] = v
      else if (p == "volumes/-/read_only" && v == "true") vol[vols] = "ro"
      else if (p == "volumes/-/type" && v == "tmpfs") vol[vols] = "tmpfs"
    }
    END { finish() }
  ' "$1"
}

# Deploy lock: an atomic `mkdir <app-dir>/.deploy/lock` holding owner.json, token and expires: epoch seconds on this
# host's clock (its `date +%s` plus TTL seconds), so runners' clocks do not matter. Every change to an existing lock
# (takeover, renewal, release) is made under the lock's mutex, so a takeover re-reads the expiry with nobody else
# changing the lock: of any number of concurrent takers of an expired lock, exactly one replaces it.
# Globals: APP_DIR TOKEN OWNER_JSON TTL. Sets LOCK (acquired|taken-over|held), LOCK_OWNER (the holder's owner.json,
# when held or taken over) and LOCK_AUDIT (on takeover: the audit log's last line, shortened).
take_lock() {
  lock_paths
  LOCK_OWNER=''
  LOCK_AUDIT=''
  mkdir -p "$LOCK_HOME" || fail "cannot create $LOCK_HOME"
  if mkdir "$LOCK_DIR" 2>/dev/null; then
    write_lock_owner "$LOCK_DIR"
    LOCK=acquired
    return
  fi
  if lock_is_mine; then
    LOCK=acquired
    return
  fi
  LOCK=held
  LOCK_OWNER=$(cat "$LOCK_DIR/owner.json" 2>/dev/null)
  lock_expired || return 0
  lock_mutex || return 0
  # Read again under the mutex: another taker may have replaced the lock since, or its owner renewed it.
  if ! lock_expired; then
    # Replaced or renewed since (held), or released (free to take).
    if mkdir "$LOCK_DIR" 2>/dev/null; then
      write_lock_owner "$LOCK_DIR"
      LOCK=acquired
      LOCK_OWNER=''
    else
      LOCK_OWNER=$(cat "$LOCK_DIR/owner.json" 2>/dev/null)
    fi
    unlock_mutex
    return 0
  fi
  LOCK_OWNER=$(cat "$LOCK_DIR/owner.json" 2>/dev/null)
  # Taken over in place: the lock never stops existing, so no run can find it free and take it meanwhile. The new
  # expiry goes first: a run reading it without the mutex from then on sees a live lock.
  if ! write_expiry "$LOCK_DIR" || ! replace_file "$LOCK_DIR/token" "$TOKEN" ||
    ! replace_file "$LOCK_DIR/owner.json" "$OWNER_JSON"; then
    unlock_mutex
    fail "cannot take over the expired lock $LOCK_DIR"
  fi
  LOCK=taken-over
  drop_stale_mutexes
  unlock_mutex
  if [ "$LOCK" = taken-over ] && [ -s "$LOCK_HOME/audit.log" ]; then
    LOCK_AUDIT=$(tail -n 1 "$LOCK_HOME/audit.log" | cut -c 1-300)
  fi
}

# report_lock: add take_lock's outcome to the result.
report_lock() {
  res_str lock "$LOCK"
  [ -n "$LOCK_OWNER" ] && res_str lockOwner "$LOCK_OWNER"
  [ -n "$LOCK_AUDIT" ] && res_str lockAudit "$LOCK_AUDIT"
  return 0
}

# lock_paths: LOCK_HOME (<app-dir>/.deploy) and LOCK_DIR (its lock).
lock_paths() {
  LOCK_HOME="$APP_DIR/.deploy"
  LOCK_DIR="$LOCK_HOME/lock"
}

# lock_is_mine: whether the lock holds TOKEN.
lock_is_mine() {
  [ "$(cat "$LOCK_DIR/token" 2>/dev/null)" = "$TOKEN" ]
}

# lock_expired: whether the lock has expired by this host's clock. A lock without a readable expiry is being written
# right now, or was left half-written by a killed run: then it is old (by mtime) and counts as expired.
lock_expired() {
  _exp=$(cat "$LOCK_DIR/expires" 2>/dev/null)
  case $_exp in
  '' | *[!0-9]*)
    [ -d "$LOCK_DIR" ] && [ -n "$(find "$LOCK_DIR" -maxdepth 0 -mmin +10 2>/dev/null)" ]
    return
    ;;
  esac
  [ "$_exp" -le "$(date +%s)" ]
}

# lock_mutex: take the lock's mutex, `lock.mutex.N` (an atomic mkdir, held for a few file operations); returns 1
# while another process holds it. A mutex older than a minute was left by a killed process: it is passed over for
# the next N rather than removed, as two processes removing the same old mutex could each remove it and then the
# one the other just made. Sets LOCK_MUTEX.
lock_mutex() {
  _n=1
  while :; do
    LOCK_MUTEX="$LOCK_DIR.mutex.$_n"
    mkdir "$LOCK_MUTEX" 2>/dev/null && return 0
    [ -n "$(find "$LOCK_MUTEX" -maxdepth 0 -mmin +1 2>/dev/null)" ] || return 1
    _n=$((_n + 1))
  done
}

# lock_mutex_wait: lock_mutex, waiting up to 10 s for another process to finish with it.
lock_mutex_wait() {
  _w=0
  until lock_mutex; do
    [ "$_w" -lt 10 ] || return 1
    sleep 1
    _w=$((_w + 1))
  done
}

unlock_mutex() {
  rmdir "$LOCK_MUTEX" 2>/dev/null || rm -rf "$LOCK_MUTEX"
}

# drop_stale_mutexes: remove the old mutexes LOCK_MUTEX passed over. Safe only once the lock is live again: a process
# that takes one of them now finds nothing to take over.
drop_stale_mutexes() {
  _k=1
  while [ "$LOCK_DIR.mutex.$_k" != "$LOCK_MUTEX" ]; do
    rm -rf "$LOCK_DIR.mutex.$_k"
    _k=$((_k + 1))
  done
}

# lock_check: succeed when the lock holds TOKEN; otherwise set LOCK (other|absent) and LOCK_OWNER, and return 1.
lock_check() {
  lock_paths
  LOCK_OWNER=''
  LOCK_AUDIT=''
  if [ ! -d "$LOCK_DIR" ]; then
    LOCK=absent
    return 1
  fi
  lock_is_mine && return 0
  LOCK=other
  LOCK_OWNER=$(cat "$LOCK_DIR/owner.json" 2>/dev/null)
  return 1
}

# write_expiry DIR: DIR/expires = this host's time + TTL, replaced by rename (readers see the old or the new value).
write_expiry() {
  printf '%s\n' "$(($(date +%s) + TTL))" >"$1/expires.$$" && mv -f "$1/expires.$$" "$1/expires"
}

# replace_file FILE TEXT: FILE holds TEXT, replaced by rename (readers see the old or the new content).
replace_file() {
  printf '%s\n' "$2" >"$1.$$" && mv -f "$1.$$" "$1"
}

write_lock_owner() {
  printf '%s\n' "$TOKEN" >"$1/token" &&
    write_expiry "$1" &&
    printf '%s\n' "$OWNER_JSON" >"$1/owner.json" ||
    fail "cannot write the lock owner into $1"
}

# new_file PREFIX: create PREFIX.<random> as a new file of this user's, mode 0600 (mktemp: never an existing path or
# a symlink someone planted), and print its path. The PREFIX names the phase's shell ($$), for stop's cleanup.
new_file() {
  mktemp "$1.XXXXXX"
}

# remove_temp_files APP_DIR PID: the secret-bearing temp files (new_file) of a phase shell that was killed before it
# could remove them itself.
remove_temp_files() {
  set +f
  rm -f "$1/.env.deploy-tmp.$2".* "$1/.deploy/env.next.$2".* "$1/.deploy/pull.err.$2".* \
    "$1/.deploy/config.old.$2".* "$1/.deploy/config.new.$2".*
  set -f
}

# at_exit COMMAND: run COMMAND (shell text) when the phase exits, after those added before it.
AT_EXIT=''
at_exit() {
  AT_EXIT="$AT_EXIT$1$NL"
  trap 'eval "$AT_EXIT"' EXIT
}

# --- Supervision: every phase can be stopped, and is known to have stopped ----------------------------------------
# sshd starts each command in a session, and so a process group, of its own. `supervise` records that group in
# <app-dir>/.deploy/run/<run>/<pgid> ("<pgid> <leader start time> <shell pid>") and starts a watcher that stops the
# group (TERM, then KILL) when the SSH channel closes: the runner keeps the command's stdin open while it waits, so
# stdin reaching its end means the runner gave up on the phase (timeout, cancel) or is gone. The runner then runs
# `stop` from a new channel, which stops what is left and waits until it is gone.

# proc_stat PID: the fields of /proc/PID/stat after the command name (1 state, 2 ppid, 3 pgrp, 4 session, 20 start
# time) into STAT (space-separated); fails when there is no such process.
proc_stat() {
  { read -r STAT <"/proc/$1/stat"; } 2>/dev/null || return 1
  STAT=${STAT##*) }
}

# stat_field N: field N of STAT into FIELD.
stat_field() {
  _n=$1
  _old_ifs=$IFS
  IFS=' '
  # shellcheck disable=SC2086
  set -- $STAT
  IFS=$_old_ifs
  eval "FIELD=\${$_n:-}"
}

# group_alive PGID [EXCEPT_PID]: whether a live (not zombie) process other than EXCEPT_PID is in process group PGID.
group_alive() {
  set +f
  for _p in /proc/[0-9]*; do
    [ "${_p#/proc/}" = "${2:-}" ] && continue
    proc_stat "${_p#/proc/}" || continue
    case $STAT in Z\ * | X\ *) continue ;; esac
    _rest=${STAT#* }
    _rest=${_rest#* }
    if [ "${_rest%% *}" = "$1" ]; then
      set -f
      return 0
    fi
  done
  set -f
  return 1
}

# nap: sleep a fifth of a second (a whole one where sleep takes no fraction).
nap() { sleep 0.2 2>/dev/null || sleep 1; }

# own_pid: this (sub)shell's own pid into OWN_PID ($$ is the main shell's in a subshell too).
own_pid() {
  { read -r OWN_PID _ </proc/self/stat; } 2>/dev/null
  OWN_PID=${OWN_PID%% *}
}

# supervise APP_DIR: make this phase stoppable (see above). Does nothing without a run id (DEPLOY_RUN, set on stdin)
# or when this shell is not in a session of its own (then its group is not ours to stop).
supervise() {
  PHASE_RECORD=''
  [ -n "${DEPLOY_RUN:-}" ] || return 0
  proc_stat $$ || return 0
  stat_field 3
  _pg=$FIELD
  stat_field 4
  [ "$_pg" = "$FIELD" ] && [ "$_pg" -gt 1 ] || return 0
  proc_stat "$_pg" || return 0
  stat_field 20
  _start=$FIELD
  case $1 in /*) _app=$1 ;; *) _app=$PWD/$1 ;; esac
  _rd=$_app/.deploy/run/$DEPLOY_RUN
  # No app dir (pre-flight then fails on it): nothing to record, the watcher still stops the phase.
  mkdir -p "$_rd" 2>/dev/null && printf '%s %s %s\n' "$_pg" "$_start" $$ >"$_rd/$_pg" 2>/dev/null &&
    PHASE_RECORD=$_rd/$_pg
  exec 3<&0
  (
    trap '' INT TERM HUP
    own_pid
    cat <&3 >/dev/null 2>&1
    # The phase ended by itself: its shell is gone and removed its record on the way out.
    if ! kill -s 0 $$ 2>/dev/null && { [ -z "$PHASE_RECORD" ] || [ ! -f "$PHASE_RECORD" ]; }; then exit 0; fi
    kill -s TERM -- "-$_pg" 2>/dev/null
    _i=0
    while group_alive "$_pg" "$OWN_PID"; do
      [ "$_i" -ge 50 ] && kill -s KILL -- "-$_pg" 2>/dev/null
      nap
      _i=$((_i + 1))
    done
    [ -z "$PHASE_RECORD" ] || rm -f "$PHASE_RECORD"
    remove_temp_files "$_app" $$
  ) </dev/null >/dev/null 2>&1 &
  exec 3<&-
  at_exit '[ -z "$PHASE_RECORD" ] || { rm -f "$PHASE_RECORD"; rmdir "${PHASE_RECORD%/*}" "${PHASE_RECORD%/*/*}" 2>/dev/null; }'
}
