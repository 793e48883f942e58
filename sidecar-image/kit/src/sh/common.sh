# Shared by every kit program. The caller sets KIT (the kit's directory, from its own path) and
# PROG (its name, for messages) before sourcing this file. Busybox ash, POSIX features only.

BB="$KIT/bin/busybox"
read -r _loader_name <"$KIT/share/loader" || { echo "sigv4-sidecar $PROG: error: kit is incomplete ($KIT/share/loader)" >&2; exit 1; }
KIT_LOADER="$KIT/lib/$_loader_name"

# One line on stderr, then stop: the caller never reaches the next step (fail closed).
fail() {
  echo "sigv4-sidecar $PROG: error: $*" >&2
  exit 1
}

note() {
  echo "sigv4-sidecar $PROG: $*" >&2
}

# The app's dynamic-loader settings (e.g. LD_PRELOAD of its allocator) must not reach the kit's
# binaries, which use the kit's own libc. The bootstrap hands them back to the app at exec.
unset LD_PRELOAD LD_LIBRARY_PATH LD_AUDIT

# Runs one of the kit's dynamic binaries with the kit's own loader and libraries, so the image's
# libc (or its absence) never matters.
kit_run() {
  _bin=$1
  shift
  "$KIT_LOADER" --library-path "$KIT/lib" "$KIT/bin/$_bin" "$@"
}

kit_jq() {
  kit_run jq "$@"
}

now() {
  "$BB" date +%s
}

# SIGV4_SIDECAR_WAIT_SECONDS bounds every wait of the kit (default 300). Sets WAIT_SECONDS.
load_wait_seconds() {
  WAIT_SECONDS=${SIGV4_SIDECAR_WAIT_SECONDS:-300}
  is_uint "$WAIT_SECONDS" && [ "$WAIT_SECONDS" -ge 1 ] && [ "$WAIT_SECONDS" -le 3600 ] \
    || fail "SIGV4_SIDECAR_WAIT_SECONDS='$WAIT_SECONDS' is not a number of seconds between 1 and 3600"
}

is_uint() {
  case "$1" in '' | *[!0-9]*) return 1 ;; esac
  [ ${#1} -le 5 ]
}

is_port() {
  is_uint "$1" && [ "$1" -ge 1 ] && [ "$1" -le 65535 ]
}

is_ipv4() {
  echo "$1" | "$BB" grep -Eq '^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$' \
    && [ "$1" != 0.0.0.0 ]
}

# Hex groups and colons, at least two colons; no zone index, no embedded IPv4.
is_ipv6() {
  case "$1" in *:*:*) ;; *) return 1 ;; esac
  echo "$1" | "$BB" grep -Eq '^[0-9A-Fa-f:]{2,39}$' && [ "$1" != "::" ]
}

# ADDR or ADDR/LEN, IPv4 or IPv6.
is_cidr() {
  _a=${1%/*}
  _l=
  case "$1" in */*) _l=${1#*/} ;; esac
  if is_ipv4 "$_a" || [ "$_a" = 0.0.0.0 ]; then
    [ -z "$_l" ] || { is_uint "$_l" && [ "$_l" -le 32 ]; }
  elif is_ipv6 "$_a" || [ "$_a" = "::" ]; then
    [ -z "$_l" ] || { is_uint "$_l" && [ "$_l" -le 128 ]; }
  else
    return 1
  fi
}

is_container_name() {
  echo "$1" | "$BB" grep -Eq '^[A-Za-z0-9_-]{1,255}$'
}

# Validates a space-separated list with one of the is_* checks; VAR names the setting.
check_list() {
  _var=$1
  _check=$2
  _val=$3
  _what=$4
  for _item in $_val; do
    "$_check" "$_item" || fail "$_var: '$_item' is not $_what"
  done
}

require_root() {
  [ "$("$BB" id -u)" = 0 ] || fail "must start as user 0 to install iptables rules (got uid $("$BB" id -u))"
}

# True when the kernel gives this namespace IPv6 (loopback ::1 present).
ipv6_loopback() {
  [ -r /proc/net/if_inet6 ] && "$BB" grep -q '^00000000000000000000000000000001 ' /proc/net/if_inet6
}

# True when this namespace has a global IPv6 address on an interface other than lo.
has_global_ipv6() {
  [ -r /proc/net/if_inet6 ] && "$BB" awk '$4 == "00" && $6 != "lo" { found = 1 } END { exit !found }' /proc/net/if_inet6
}
