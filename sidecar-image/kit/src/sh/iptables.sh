# iptables from the kit, nf_tables backend first, legacy as fallback, never both in one namespace.
# Needs common.sh. Chains are named SIGV4_SIDECAR* and rebuilt on every start, so a restart in the
# same namespace replaces its rules instead of failing on them.

export XTABLES_LIBDIR="$KIT/xtables"

# The legacy backend needs a writable lock file; the image's root may be read-only.
xtables_lockfile() {
  for _d in /dev/shm /run /tmp; do
    if [ -d "$_d" ] && [ -w "$_d" ]; then echo "$_d/sigv4-sidecar-xtables.lock"; return; fi
  done
  echo /dev/shm/sigv4-sidecar-xtables.lock
}

_ipt_raw() {
  _multi=$1
  shift
  XTABLES_LOCKFILE=$(xtables_lockfile) kit_run "$_multi" "$@"
}

# Sets IPT_MULTI. A backend that already holds our chains wins (restart); else nft if it works.
# Legacy tables are only listed when /proc says the namespace has some: listing would create them.
ipt_select_backend() {
  _nft_err=$(_ipt_raw xtables-nft-multi iptables -w 5 -t nat -S OUTPUT 2>&1 >/dev/null) && _nft_ok=1 || _nft_ok=
  _legacy_ours=
  for _t in nat filter; do
    "$BB" grep -qx "$_t" /proc/net/ip_tables_names 2>/dev/null || continue
    if _ipt_raw xtables-legacy-multi iptables -w 5 -t "$_t" -S SIGV4_SIDECAR >/dev/null 2>&1; then _legacy_ours=1; fi
  done
  if [ -n "$_legacy_ours" ]; then
    IPT_MULTI=xtables-legacy-multi
  elif [ -n "$_nft_ok" ]; then
    IPT_MULTI=xtables-nft-multi
  elif _legacy_err=$(_ipt_raw xtables-legacy-multi iptables -w 5 -t nat -S OUTPUT 2>&1 >/dev/null); then
    IPT_MULTI=xtables-legacy-multi
  else
    fail "no usable iptables backend (nf_tables: $(echo "$_nft_err" | "$BB" head -n1); legacy: $(echo "$_legacy_err" | "$BB" head -n1))"
  fi
  note "iptables backend: ${IPT_MULTI%-multi}"
}

# ipt 4|6 ARGS...: runs iptables or ip6tables; prints the error and returns non-zero on failure.
ipt() {
  _fam=$1
  shift
  case "$_fam" in 4) _cmd=iptables ;; 6) _cmd=ip6tables ;; esac
  _ipt_raw "$IPT_MULTI" "$_cmd" -w 5 "$@"
}

# ipt_must 4|6 ARGS...: like ipt, but a failure stops the program with iptables' own message.
ipt_must() {
  _fam=$1
  if ! _out=$(ipt "$@" 2>&1); then
    shift
    fail "ip$( [ "$_fam" = 6 ] && echo 6)tables $* failed: $(echo "$_out" | "$BB" tr '\n' ' ')"
  fi
}

# Creates CHAIN in TABLE empty (flushing what a previous start left) and jumps to it from HOOK.
ipt_fresh_chain() {
  _fam=$1
  _table=$2
  _hook=$3
  _chain=$4
  if ipt "$_fam" -t "$_table" -S "$_chain" >/dev/null 2>&1; then
    ipt_must "$_fam" -t "$_table" -F "$_chain"
  else
    ipt_must "$_fam" -t "$_table" -N "$_chain"
  fi
  ipt "$_fam" -t "$_table" -C "$_hook" -j "$_chain" >/dev/null 2>&1 \
    || ipt_must "$_fam" -t "$_table" -I "$_hook" 1 -j "$_chain"
}

# Which family a CIDR or address belongs to.
family_of() {
  case "$1" in *:*) echo 6 ;; *) echo 4 ;; esac
}
