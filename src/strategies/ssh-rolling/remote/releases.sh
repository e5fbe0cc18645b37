# releases: what a rollback-to needs to choose its backup, read in pre-flight. Changes nothing.
# Args: APP_DIR COMPOSE_KIND COMPOSE_FILES PROJECT
# Result: running [{service,imageId,image}] (one per service),
#   backups [{name, complete, previous, release, images: [{service,imageId,image,present}]}] oldest first
#   (complete: it has its manifest; present: the image id is still on this host).
APP_DIR=$1 COMPOSE_KIND=$2 COMPOSE_FILES=$3 PROJECT=${4:-}
enter_app_dir
running_images_json
res_raw running "[$RUNNING_JSON]"

root=.deploy/backups
list=''
if [ -d "$root" ]; then
  for name in $(ls -1 "$root"); do
    dir="$root/$name"
    [ -d "$dir" ] || continue
    complete=false
    [ -f "$dir/manifest" ] && complete=true
    images=''
    if [ -f "$dir/images" ]; then
      while IFS=$TAB read -r service id ref; do
        [ -n "$service" ] || continue
        present=false
        docker image inspect "$id" >/dev/null 2>&1 && present=true
        images="$images${images:+,}{\"service\":\"$(json_str "$service")\",\"imageId\":\"$(json_str "$id")\",\"image\":\"$(json_str "$ref")\",\"present\":$present}"
      done <"$dir/images"
    fi
    list="$list${list:+,}{\"name\":\"$(json_str "$name")\",\"dir\":\"$(json_str "$APP_DIR/$dir")\",\"complete\":$complete,\"previous\":\"$(json_str "$(meta_value "$dir" previous)")\",\"release\":\"$(json_str "$(meta_value "$dir" release)")\",\"images\":[$images]}"
  done
fi
res_raw backups "[$list]"
ok
