# Task metadata v4 ($ECS_CONTAINER_METADATA_URI_V4/task). Needs common.sh.

# Sets TASK_DOC to the task document; returns non-zero with the reason in METADATA_ERROR.
# (busybox wget's own -T timeout crashes in this build: `timeout` bounds it instead.)
metadata_task() {
  case "${ECS_CONTAINER_METADATA_URI_V4:-}" in
    http://*) ;;
    *) METADATA_ERROR="ECS_CONTAINER_METADATA_URI_V4 is not set to an http:// URL"; return 1 ;;
  esac
  if ! TASK_DOC=$("$BB" timeout 5 "$BB" wget -q -Y off -O - "$ECS_CONTAINER_METADATA_URI_V4/task" 2>&1); then
    METADATA_ERROR="task metadata unreachable at $ECS_CONTAINER_METADATA_URI_V4/task ($(echo "${TASK_DOC:-timed out}" | "$BB" head -n1))"
    return 1
  fi
}

# What task metadata says of container NAME, for error messages.
container_state() {
  printf '%s' "$2" | kit_jq -r --arg n "$1" '
    [.Containers[]? | select(.Name == $n)] as $c
    | if ($c | length) == 0 then "not in task metadata"
      else "KnownStatus=\($c[0].KnownStatus // "none"), addresses=\([$c[0].Networks[]? | (.IPv4Addresses // [])[], (.IPv6Addresses // [])[]] | tojson)"
      end' 2>/dev/null || echo "task metadata is not valid JSON"
}

# Prints the valid IPv4 and IPv6 addresses of container NAME, one a line, only once it is RUNNING.
# `null`, "" and anything that is not an address are dropped: a container is never trusted
# before it has a real address.
container_addresses() {
  _name=$1
  _doc=$2
  printf '%s' "$_doc" | kit_jq -r --arg n "$_name" '
    .Containers[]? | select(.Name == $n and .KnownStatus == "RUNNING")
    | .Networks[]? | ((.IPv4Addresses // [])[], (.IPv6Addresses // [])[]) | strings' 2>/dev/null \
    | while read -r _addr; do
        if is_ipv4 "$_addr" || is_ipv6 "$_addr"; then echo "$_addr"; fi
      done
}
