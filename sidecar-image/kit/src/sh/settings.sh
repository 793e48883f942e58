# The sidecar's settings (SIDECAR_ENV in functions/engine/constants.ts), validated. Needs common.sh.
# Sets MODE NETWORK_MODE REGION SIGNING HOSTS LOG_LEVEL PORT CLIENTS CIDRS PORTS CA_BUNDLE.

is_host_entry() {
  # exact.name.tld or .domain.tld (the domain and its subdomains); two labels at least, so a
  # setting can never open signing to a whole top-level domain.
  echo "$1" | "$BB" grep -Eq '^\.?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$' || return 1
  _labels=$(echo "${1#.}" | "$BB" tr '.' '\n' | "$BB" wc -l)
  [ "$_labels" -ge 2 ] && [ ${#1} -le 253 ]
}

load_settings() {
  MODE=${SIGV4_SIDECAR_MODE:-}
  NETWORK_MODE=${SIGV4_SIDECAR_NETWORK_MODE:-}
  REGION=${SIGV4_SIDECAR_REGION:-}
  SIGNING=${SIGV4_SIDECAR_SIGNING:-}
  HOSTS=${SIGV4_SIDECAR_HOSTS:-}
  LOG_LEVEL=${SIGV4_SIDECAR_LOG_LEVEL:-info}
  PORT=${SIGV4_SIDECAR_PORT:-}
  CLIENTS=${SIGV4_SIDECAR_CLIENTS:-}
  CIDRS=${SIGV4_SIDECAR_CIDRS:-}
  PORTS=${SIGV4_SIDECAR_PORTS:-}
  CA_BUNDLE=${SIGV4_SIDECAR_CA_BUNDLE:-}
  case "$MODE" in transparent | proxy) ;; *) fail "SIGV4_SIDECAR_MODE='$MODE' must be transparent or proxy" ;; esac
  case "$NETWORK_MODE" in bridge | awsvpc) ;; *) fail "SIGV4_SIDECAR_NETWORK_MODE='$NETWORK_MODE' must be bridge or awsvpc" ;; esac
  echo "$REGION" | "$BB" grep -Eq '^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$' \
    || fail "SIGV4_SIDECAR_REGION='$REGION' is not an AWS region name (e.g. eu-west-1)"
  case "$SIGNING" in sigv4 | sigv4a) ;; *) fail "SIGV4_SIDECAR_SIGNING='$SIGNING' must be sigv4 or sigv4a" ;; esac
  # debug and trace print request headers, credentials included: never accepted.
  case "$LOG_LEVEL" in info | warn | error | critical | off) ;; *)
    fail "SIGV4_SIDECAR_LOG_LEVEL='$LOG_LEVEL' must be one of info warn error critical off" ;; esac
  # Envoy runs without capabilities: no privileged port.
  is_port "$PORT" && [ "$PORT" -ge 1024 ] || fail "SIGV4_SIDECAR_PORT='$PORT' must be a TCP port from 1024 to 65535"
  check_list SIGV4_SIDECAR_HOSTS is_host_entry "$HOSTS" "a lower-case host name (exact, or .domain for a domain and its subdomains)"
  if [ "$NETWORK_MODE" = bridge ]; then
    [ -n "$CLIENTS" ] || fail "SIGV4_SIDECAR_CLIENTS is empty: in bridge mode nobody could reach the sidecar"
    check_list SIGV4_SIDECAR_CLIENTS is_container_name "$CLIENTS" "a container name"
  fi
  if [ "$NETWORK_MODE" = awsvpc ] && [ "$MODE" = transparent ]; then
    [ -n "$CIDRS" ] || fail "SIGV4_SIDECAR_CIDRS is empty: nothing to intercept"
    [ -n "$PORTS" ] || fail "SIGV4_SIDECAR_PORTS is empty: nothing to intercept"
    check_list SIGV4_SIDECAR_CIDRS is_cidr "$CIDRS" "an IPv4 or IPv6 address or CIDR"
    check_list SIGV4_SIDECAR_PORTS is_port "$PORTS" "a TCP port (1-65535)"
  fi
  if [ -n "$CA_BUNDLE" ]; then
    [ -f "$CA_BUNDLE" ] && [ -r "$CA_BUNDLE" ] || fail "SIGV4_SIDECAR_CA_BUNDLE='$CA_BUNDLE' is not a readable file"
  fi
}
