# Envoy bootstrap for sigv4-sidecar. Arguments (jq --arg): mode, region, signing, hosts, port,
# listen, listen_also, ca_file; validated by render-config before this runs.

# One DNS cache shared, identical, by the forward proxy filter and both clusters (Envoy requires
# the same name to carry the same settings everywhere).
def dns_cache: {
  name: "sigv4_sidecar_dns",
  dns_lookup_family: "V4_PREFERRED",
  max_hosts: 1024
};

def lattice_domain: ".vpc-lattice-svcs.\($region).on.aws";

# `.example.com` allows the domain and its subdomains; anything else is one exact name.
def signed_domains:
  ["*" + lattice_domain]
  + ($hosts | split(" ") | map(select(length > 0))
     | map(if startswith(".") then [.[1:], "*" + .] else [.] end) | add // []);

def typed(type): {"@type": "type.googleapis.com/\(type)"};

def socket($address): {socket_address: {address: $address, port_value: $port}}
  + (if $address == "::" then {socket_address: {address: $address, port_value: $port, ipv4_compat: true}} else {} end);

def signing_filter: {
  name: "envoy.filters.http.aws_request_signing",
  typed_config: (typed("envoy.extensions.filters.http.aws_request_signing.v3.AwsRequestSigning") + {
    service_name: "vpc-lattice-svcs",
    region: $region,
    signing_algorithm: (if $signing == "sigv4a" then "AWS_SIGV4A" else "AWS_SIGV4" end),
    use_unsigned_payload: true,
    # Only the ECS container credentials endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI):
    # a custom chain replaces the default one, so instance metadata is never asked.
    credential_provider: {
      custom_credential_provider_chain: true,
      container_credential_provider: {}
    }
  })
};

def upstream_codec: {
  name: "envoy.filters.http.upstream_codec",
  typed_config: typed("envoy.extensions.filters.http.upstream_codec.v3.UpstreamCodec")
};

def dfp_cluster_type: {
  name: "envoy.clusters.dynamic_forward_proxy",
  typed_config: (typed("envoy.extensions.clusters.dynamic_forward_proxy.v3.ClusterConfig") + {dns_cache_config: dns_cache})
};

# Signed traffic only ever leaves over TLS on 443 (the forward proxy's default port for a TLS
# cluster), with SNI and certificate name checks; the signature is added as an upstream filter
# of this cluster, so no other cluster can carry it.
def signed_cluster: {
  name: "lattice_signed",
  connect_timeout: "5s",
  lb_policy: "CLUSTER_PROVIDED",
  cluster_type: dfp_cluster_type,
  transport_socket: {
    name: "envoy.transport_sockets.tls",
    typed_config: (typed("envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext") + {
      common_tls_context: {validation_context: {trusted_ca: {filename: $ca_file}}}
    })
  },
  typed_extension_protocol_options: {
    "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": (typed("envoy.extensions.upstreams.http.v3.HttpProtocolOptions") + {
      upstream_http_protocol_options: {auto_sni: true, auto_san_validation: true},
      explicit_http_config: {http_protocol_options: {}},
      http_filters: [signing_filter, upstream_codec]
    })
  }
};

# Proxy mode only: other hosts go out as they came, plain HTTP, unsigned.
def passthrough_cluster: {
  name: "passthrough_unsigned",
  connect_timeout: "5s",
  lb_policy: "CLUSTER_PROVIDED",
  cluster_type: dfp_cluster_type
};

def other_hosts_route:
  if $mode == "transparent" then
    {match: {prefix: "/"}, direct_response: {status: 403, body: {inline_string: "sigv4-sidecar: host not allowed\n"}}}
  else
    {match: {prefix: "/"}, route: {cluster: "passthrough_unsigned", timeout: "60s"}}
  end;

# No authorization, token or cookie header, and the path without its query string (presigned
# URLs carry credentials there).
def access_log: [{
  name: "envoy.access_loggers.stdout",
  typed_config: (typed("envoy.extensions.access_loggers.stream.v3.StdoutAccessLog") + {
    log_format: {
      json_format: {
        start_time: "%START_TIME%",
        method: "%REQ(:METHOD)%",
        authority: "%REQ(:AUTHORITY)%",
        path: "%REQ_WITHOUT_QUERY(X-ENVOY-ORIGINAL-PATH?:PATH)%",
        protocol: "%PROTOCOL%",
        response_code: "%RESPONSE_CODE%",
        response_flags: "%RESPONSE_FLAGS%",
        duration_ms: "%DURATION%",
        bytes_received: "%BYTES_RECEIVED%",
        bytes_sent: "%BYTES_SENT%",
        upstream_cluster: "%UPSTREAM_CLUSTER%",
        upstream_host: "%UPSTREAM_HOST%",
        downstream_remote_address: "%DOWNSTREAM_REMOTE_ADDRESS%",
        user_agent: "%REQ(USER-AGENT)%",
        request_id: "%REQ(X-REQUEST-ID)%"
      },
      formatters: [{
        name: "envoy.formatter.req_without_query",
        typed_config: typed("envoy.extensions.formatter.req_without_query.v3.ReqWithoutQuery")
      }]
    }
  })
}];

def connection_manager: {
  name: "envoy.filters.network.http_connection_manager",
  typed_config: (typed("envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager") + {
    stat_prefix: "sigv4_sidecar",
    codec_type: "AUTO",
    # Transparent mode: the app's Host may carry the intercepted port (svc:8080); routing and
    # the upstream (always 443) use the bare name.
    strip_any_host_port: ($mode == "transparent"),
    normalize_path: true,
    access_log: access_log,
    route_config: {
      name: "sigv4_sidecar",
      virtual_hosts: [
        {name: "signed", domains: signed_domains, routes: [{match: {prefix: "/"}, route: {cluster: "lattice_signed", timeout: "60s"}}]},
        {name: "other_hosts", domains: ["*"], routes: [other_hosts_route]}
      ]
    },
    http_filters: [
      {
        name: "envoy.filters.http.dynamic_forward_proxy",
        typed_config: (typed("envoy.extensions.filters.http.dynamic_forward_proxy.v3.FilterConfig") + {dns_cache_config: dns_cache})
      },
      {name: "envoy.filters.http.router", typed_config: typed("envoy.extensions.filters.http.router.v3.Router")}
    ]
  })
};

{
  node: {id: "sigv4-sidecar", cluster: "sigv4-sidecar"},
  admin: {address: {socket_address: {address: "127.0.0.1", port_value: 9901}}},
  static_resources: {
    listeners: [
      {
        name: "sigv4_sidecar",
        address: socket($listen),
        filter_chains: [{filters: [connection_manager]}]
      } + (if $listen_also != "" then {additional_addresses: [{address: socket($listen_also)}]} else {} end)
    ],
    clusters: ([signed_cluster] + (if $mode == "proxy" then [passthrough_cluster] else [] end))
  }
}
