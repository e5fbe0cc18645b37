# rollback: restore the files of a backup, make the recorded image ids run again, then up without pulling.
# Works with the registry unreachable and with a re-pushed (mutable) tag: each recorded image id is tagged again as
# the reference its container was created from, which the restored files resolve to.
# Args: APP_DIR COMPOSE_KIND COMPOSE_FILES SERVICES BACKUP_DIR
# Result: restored (files), retagged (count), missing [image ids no longer on the host].
APP_DIR=$1 COMPOSE_KIND=$2 COMPOSE_FILES=$3 SERVICES=$4 BACKUP_DIR=$5
enter_app_dir
[ -f "$BACKUP_DIR/manifest" ] || fail "backup $BACKUP_DIR is missing or incomplete (no manifest)"
restored=0
while IFS=$TAB read -r idx existed path; do
  [ -n "$idx" ] || continue
  if [ "$existed" = 1 ]; then
    cp -p "$BACKUP_DIR/files/$idx" "$path.rollback.$$" && mv -f "$path.rollback.$$" "$path" ||
      fail "cannot restore $path from $BACKUP_DIR"
  else
    rm -f "$path" || fail "cannot remove $path (it did not exist before the deploy)"
  fi
  restored=$((restored + 1))
done <"$BACKUP_DIR/manifest"

retagged=0
missing=''
if [ -f "$BACKUP_DIR/images" ]; then
  while IFS=$TAB read -r service image_id image_ref; do
    [ -n "$service" ] || continue
    if ! docker image inspect "$image_id" >/dev/null 2>&1; then
      echo "image $image_id of service $service is no longer on this host; compose will look for $image_ref"
      missing="$missing${missing:+,}\"$(json_str "$image_id")\""
      continue
    fi
    case $image_ref in
    *@*) ;; # a digest reference names the image itself: nothing to re-tag
    *)
      docker tag "$image_id" "$image_ref" || fail "cannot tag $image_id as $image_ref"
      retagged=$((retagged + 1))
      ;;
    esac
  done <"$BACKUP_DIR/images"
fi
res_raw restored "$restored"
res_raw retagged "$retagged"
res_raw missing "[$missing]"

compose up -d --no-build $SERVICES
rc=$?
[ "$rc" -eq 0 ] || fail "docker compose up failed with exit code $rc"
ok
