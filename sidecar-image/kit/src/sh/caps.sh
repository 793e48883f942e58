# Capability and user switching with util-linux setpriv from the kit. Needs common.sh.

# "NET_ADMIN SETPCAP" -> "-net_admin,-setpcap" (setpriv syntax); validates each name.
setpriv_cap_drops() {
  _out=
  for _c in $1; do
    _c=${_c#CAP_}
    echo "$_c" | "$BB" grep -Eq '^[A-Z_]{2,32}$' || fail "SIGV4_SIDECAR_DROP_CAPS: '$_c' is not a capability name"
    _lc=$(echo "$_c" | "$BB" tr 'A-Z' 'a-z')
    _out="${_out:+$_out,}-$_lc"
  done
  echo "$_out"
}

# Resolves a Docker `user` value (user, uid, user:group, uid:gid, ...) against the image's
# /etc/passwd and /etc/group the way Docker does. Sets RUN_UID, RUN_GID, RUN_GROUPS (comma list,
# may be empty) and RUN_HOME.
resolve_user() {
  _spec=$1
  _u=${_spec%%:*}
  _g=
  case "$_spec" in *:*) _g=${_spec#*:} ;; esac
  [ -n "$_u" ] || fail "SIGV4_SIDECAR_RUN_AS='$_spec' has no user"
  _pw=
  if [ -r /etc/passwd ]; then
    if is_uint "$_u"; then
      _pw=$("$BB" awk -F: -v id="$_u" '$3 == id { print; exit }' /etc/passwd)
    else
      _pw=$("$BB" awk -F: -v n="$_u" '$1 == n { print; exit }' /etc/passwd)
    fi
  fi
  if [ -n "$_pw" ]; then
    RUN_UID=$(echo "$_pw" | "$BB" cut -d: -f3)
    RUN_GID=$(echo "$_pw" | "$BB" cut -d: -f4)
    RUN_HOME=$(echo "$_pw" | "$BB" cut -d: -f6)
    _name=$(echo "$_pw" | "$BB" cut -d: -f1)
  elif is_uint "$_u"; then
    RUN_UID=$_u
    RUN_GID=0
    RUN_HOME=/
    _name=
  else
    fail "SIGV4_SIDECAR_RUN_AS: user '$_u' is not in the image's /etc/passwd"
  fi
  if [ -n "$_g" ]; then
    if is_uint "$_g"; then
      RUN_GID=$_g
    else
      _gr=
      [ -r /etc/group ] && _gr=$("$BB" awk -F: -v n="$_g" '$1 == n { print $3; exit }' /etc/group)
      [ -n "$_gr" ] || fail "SIGV4_SIDECAR_RUN_AS: group '$_g' is not in the image's /etc/group"
      RUN_GID=$_gr
    fi
  fi
  RUN_GROUPS=
  if [ -n "$_name" ] && [ -r /etc/group ]; then
    RUN_GROUPS=$("$BB" awk -F: -v n="$_name" '
      { split($4, m, ","); for (i in m) if (m[i] == n) { printf "%s%s", sep, $3; sep = "," } }' /etc/group)
  fi
}
