# backup: save the compose file(s), .env and the image id each service's container runs, so a rollback needs
# neither the registry nor the old tag. Prunes backups beyond the retention.
# Args: APP_DIR COMPOSE_KIND COMPOSE_FILES STAMP RETENTION PROJECT (the confirmed project name, or empty)
#   PREVIOUS (the backup holding the release before the one that runs now, as the audit log says; may be empty)
#   RELEASE (the release that runs now, in words: the image variable's value; empty: the first container's image)
#   KEEP (a backup the pruning must leave: the one a rollback-to restores)
# Writes <app-dir>/.deploy/backups/<STAMP>/{manifest,files/N,images,containers,meta}:
#   manifest: "N<TAB>1|0<TAB>path" (0: the file did not exist); images: "service<TAB>image id<TAB>image reference";
#   containers: "service<TAB>container id" (what a start-first rollback keeps); meta: "previous<TAB>…", "release<TAB>…".
# Result: dir, images [{service,imageId,image,completed?}] (completed: the container had exited with code 0), pruned.
APP_DIR=$1 COMPOSE_KIND=$2 COMPOSE_FILES=$3 STAMP=$4 RETENTION=$5 PROJECT=$6 PREVIOUS=${7:-} RELEASE=${8:-} KEEP=${9:-}
enter_app_dir
root="$APP_DIR/.deploy/backups"
mkdir -p "$root" || fail "cannot create $root"
chmod 700 "$APP_DIR/.deploy" "$root" 2>/dev/null
dir="$root/$STAMP"
n=1
while [ -e "$dir" ]; do
  n=$((n + 1))
  dir="$root/$STAMP.$n"
done
mkdir "$dir" "$dir/files" || fail "cannot create $dir"

i=0
manifest=''
for f in $(compose_file_list) .env; do
  i=$((i + 1))
  if [ -f "$f" ]; then
    cp -p "$f" "$dir/files/$i" || fail "cannot copy $f into $dir"
    manifest="$manifest$i${TAB}1$TAB$f$NL"
  else
    manifest="$manifest$i${TAB}0$TAB$f$NL"
  fi
done

list_containers
rows=$ROWS
images=''
json=''
ids=''
for row in $rows; do
  old_ifs=$IFS
  IFS=$TAB
  set -- $row
  IFS=$old_ifs
  service=${2:-} image_id=${6:-} image_ref=${7:-} completed=''
  ids="$ids$service$TAB$1$NL"
  # One line per service (a scaled service runs one image).
  case "$NL$images" in *"$NL$service$TAB"*) continue ;; esac
  [ -n "$image_id" ] || fail "cannot read the image of container $1 of service $service"
  images="$images$service$TAB$image_id$TAB$image_ref$NL"
  # A one-shot service (a migration that ran): the health check after the deploy expects it exited with code 0.
  if [ "${3:-}" = exited ] && [ "$(docker inspect --format '{{.State.ExitCode}}' "$1" 2>/dev/null)" = 0 ]; then
    completed=',"completed":true'
  fi
  json="$json${json:+,}{\"service\":\"$(json_str "$service")\",\"imageId\":\"$(json_str "$image_id")\",\"image\":\"$(json_str "$image_ref")\"$completed}"
done
printf '%s' "$images" >"$dir/images" || fail "cannot write $dir/images"
printf '%s' "$ids" >"$dir/containers" || fail "cannot write $dir/containers"
if [ -z "$RELEASE" ]; then
  first=${images%%"$NL"*}
  RELEASE=${first##*"$TAB"}
fi
printf 'previous\t%s\nrelease\t%s\n' "$PREVIOUS" "$RELEASE" >"$dir/meta" || fail "cannot write $dir/meta"
# The manifest is written last: a backup without one is incomplete and never restored from.
printf '%s' "$manifest" >"$dir/manifest" || fail "cannot write $dir/manifest"

pruned=0
count=$(ls -1 "$root" | wc -l)
excess=$((count - RETENTION))
if [ "$excess" -gt 0 ]; then
  for old in $(ls -1 "$root" | head -n "$excess"); do
    [ "$root/$old" = "$dir" ] && continue
    [ -n "$KEEP" ] && [ "$old" = "$KEEP" ] && continue
    rm -rf "${root:?}/$old" && pruned=$((pruned + 1))
  done
fi

res_str dir "$dir"
res_raw images "[$json]"
res_raw pruned "$pruned"
ok
