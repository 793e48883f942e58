// Every name, port and default that the engine, the operator, the sidecar image, the CDK
// stacks, the docs and the tests share. Change a value here and nowhere else.

/** The opt-in tag and the prefix of the per-task-definition settings tags. */
export const OPT_IN_TAG = 'sigv4-sidecar';
export const OPT_IN_VALUE = 'true';

/** Settings tags that application teams set on their task definition. */
export const SETTING_TAGS = {
  containers: 'sigv4-sidecar/containers',
  ports: 'sigv4-sidecar/ports',
  cidrs: 'sigv4-sidecar/cidrs',
  hosts: 'sigv4-sidecar/hosts',
  mode: 'sigv4-sidecar/mode',
  region: 'sigv4-sidecar/region',
  signing: 'sigv4-sidecar/signing',
  cpu: 'sigv4-sidecar/cpu',
  memory: 'sigv4-sidecar/memory',
  logLevel: 'sigv4-sidecar/log-level',
} as const;

/**
 * Tags only sigv4-sidecar writes (`sigv4-sidecar:` with a colon). They are never copied from a
 * source to its twin, and the engine strips them from any input.
 */
export const RESERVED_TAG_PREFIX = 'sigv4-sidecar:';
export const RESERVED_TAGS = {
  /** On a twin: the source revision it was made from (ARN when known, else family[:revision]). */
  source: 'sigv4-sidecar:source',
  /** On a twin: hash of the normalized source, the resolved settings and the engine version. */
  fingerprint: 'sigv4-sidecar:fingerprint',
  /** On a source: the ARN of its twin. */
  twin: 'sigv4-sidecar:twin',
  /** On a source: why the operator refused to inject it. */
  refused: 'sigv4-sidecar:refused',
  /**
   * On a source: fingerprint of the twin the operator is about to register (written before
   * RegisterTaskDefinition). After a crash it tells the operator to look for an unlinked twin
   * instead of registering a second one.
   */
  intent: 'sigv4-sidecar:intent',
  /**
   * On a source: fingerprint of the twin that `twin` names, written in the same TagResource call
   * as the link. The link is current when it equals the engine's fingerprint.
   */
  twinFingerprint: 'sigv4-sidecar:twin-fingerprint',
} as const;

/** Tags with this prefix belong to AWS and are never copied. */
export const AWS_RESERVED_PREFIX = 'aws:';

/** Part of the fingerprint (which hashes the twin itself): bump it when what a twin means changes
 * without its content changing, e.g. a new bootstrap contract, so every twin is made again. */
export const ENGINE_VERSION = '1';

export const DEFAULT_SIDECAR_NAME = 'sigv4-sidecar';
/** Envoy's listener in every mode. */
export const SIDECAR_PORT = 9090;
/** Envoy's admin interface, bound to 127.0.0.1 only; `/ready` backs the health check. */
export const SIDECAR_ADMIN_PORT = 9901;

export const DEFAULT_PORTS = [80] as const;
export const LATTICE_IPV4_CIDR = '169.254.171.0/24';
export const LATTICE_IPV6_CIDR = 'fd00:ec2:80::/64';
export const DEFAULT_CIDRS = [LATTICE_IPV4_CIDR, LATTICE_IPV6_CIDR] as const;

/** SigV4 service name of VPC Lattice. */
export const LATTICE_SIGNING_SERVICE = 'vpc-lattice-svcs';
/** Host names the sidecar always signs for: `*.vpc-lattice-svcs.<region>.on.aws`. */
export function latticeDomain(region: string): string {
  return `.${LATTICE_SIGNING_SERVICE}.${region}.on.aws`;
}

/** Sidecar reservation defaults (cpu units, MiB): Envoy idles near 30 MiB. */
export const DEFAULT_SIDECAR_CPU = 128;
export const DEFAULT_SIDECAR_MEMORY_MIB = 128;
/** Bounds accepted from the cpu/memory tags. */
export const SIDECAR_CPU_RANGE = { min: 32, max: 4096 } as const;
export const SIDECAR_MEMORY_RANGE_MIB = { min: 32, max: 4096 } as const;

export const MODES = ['transparent', 'proxy'] as const;
export type Mode = (typeof MODES)[number];
export const SIGNING_ALGORITHMS = ['sigv4', 'sigv4a'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];
/** debug and trace are left out on purpose: at those levels Envoy prints credentials. */
export const LOG_LEVELS = ['info', 'warn', 'error', 'critical', 'off'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** ECS limits the engine enforces (FACTS.md). */
export const MAX_CONTAINERS = 10;
export const MAX_TAGS = 50;

/**
 * Paths inside the sidecar image. `KIT_DIR` is a Docker VOLUME of the image, so an intercepted
 * container that has `volumesFrom` the sidecar sees the kit at the same path.
 */
export const KIT_DIR = '/opt/sigv4-sidecar';
/** Entry point of intercepted containers: runs the bootstrap, then execs the original argv. */
export const KIT_BOOTSTRAP = `${KIT_DIR}/bootstrap`;
/** Health check program of the sidecar (the Envoy image has no curl and no shell). */
export const SIDECAR_HEALTHCHECK = `${KIT_DIR}/healthcheck`;

/** Every environment variable sigv4-sidecar sets starts with this; strip removes them all. */
export const ENV_PREFIX = 'SIGV4_SIDECAR_';

/** Environment of the sidecar container: the contract between the engine and the image. */
export const SIDECAR_ENV = {
  /** `transparent` or `proxy`. */
  mode: 'SIGV4_SIDECAR_MODE',
  /** `bridge` or `awsvpc`. */
  networkMode: 'SIGV4_SIDECAR_NETWORK_MODE',
  /** Signing region. */
  region: 'SIGV4_SIDECAR_REGION',
  /** `sigv4` or `sigv4a`. */
  signing: 'SIGV4_SIDECAR_SIGNING',
  /** Extra host names, space separated: exact names, or `.example.com` for a domain. */
  hosts: 'SIGV4_SIDECAR_HOSTS',
  /** Envoy log level, one of LOG_LEVELS. */
  logLevel: 'SIGV4_SIDECAR_LOG_LEVEL',
  /** Listener port (SIDECAR_PORT). */
  port: 'SIGV4_SIDECAR_PORT',
  /** Bridge mode: names of the containers allowed to connect, space separated. */
  clients: 'SIGV4_SIDECAR_CLIENTS',
  /** awsvpc transparent: destinations the sidecar redirects, space separated. */
  cidrs: 'SIGV4_SIDECAR_CIDRS',
  /** awsvpc transparent: TCP ports the sidecar redirects, space separated. */
  ports: 'SIGV4_SIDECAR_PORTS',
} as const;

/** Environment of intercepted containers in bridge transparent mode, read by the bootstrap. */
export const BOOTSTRAP_ENV = {
  /** Container name of the sidecar, to find its address in task metadata. */
  sidecar: 'SIGV4_SIDECAR_NAME',
  /** Destinations to DNAT to the sidecar, space separated. */
  cidrs: 'SIGV4_SIDECAR_CIDRS',
  /** TCP destination ports to DNAT, space separated. */
  ports: 'SIGV4_SIDECAR_PORTS',
  /** The sidecar's listener port. */
  port: 'SIGV4_SIDECAR_PORT',
  /** The container's original user: the bootstrap runs as root, then switches to it. */
  runAs: 'SIGV4_SIDECAR_RUN_AS',
  /** Capabilities the engine added and the bootstrap drops for good, space separated. */
  dropCaps: 'SIGV4_SIDECAR_DROP_CAPS',
  /**
   * Fields of the container that the engine filled in from the image config (entryPoint,
   * command, user), space separated, so that strip can leave them unset again.
   */
  fromImage: 'SIGV4_SIDECAR_FROM_IMAGE',
} as const;

/**
 * Optional settings read by the sidecar image and the kit; the engine does not set them (the
 * defaults apply). An operator may add them to a container's environment.
 */
export const KIT_OPTIONAL_ENV = {
  /** Sidecar: path of a PEM bundle trusted for upstream TLS next to the system CAs. */
  caBundle: 'SIGV4_SIDECAR_CA_BUNDLE',
  /** Bootstrap and sidecar firewall watcher: bound of every wait, in seconds (1-3600). */
  waitSeconds: 'SIGV4_SIDECAR_WAIT_SECONDS',
} as const;
/** Default of KIT_OPTIONAL_ENV.waitSeconds. */
export const KIT_DEFAULT_WAIT_SECONDS = 300;

/** Proxy mode: variables set on intercepted containers. */
export const PROXY_ENV_NAMES = ['HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'] as const;
/** Kept direct in proxy mode: task metadata, container credentials, instance metadata. */
export const NO_PROXY_HOSTS = ['169.254.170.2', '169.254.169.254', 'localhost', '127.0.0.1'] as const;

/** Capabilities the bootstrap needs: NET_ADMIN for iptables, SETPCAP to drop from the bounding set. */
export const NET_ADMIN = 'NET_ADMIN';
export const SETPCAP = 'SETPCAP';
/**
 * What else the bootstrap uses from Docker's default set, so a container that drops it gets it
 * back for the bootstrap only: NET_RAW for the legacy iptables backend, SETUID/SETGID to switch
 * back to a non-root user.
 */
export const NET_RAW = 'NET_RAW';
export const USER_SWITCH_CAPABILITIES = ['SETUID', 'SETGID'] as const;


// ---- Operator (Lambda) contract, shared with the CDK construct --------------------------

/** Environment variables the operator Lambda reads at cold start. */
export const OPERATOR_ENV = {
  /** Required: image URI of the sidecar. */
  sidecarImage: 'SIDECAR_IMAGE',
  /** Space-separated cluster names or ARNs to watch; unset means every cluster of the region. */
  clusters: 'CLUSTERS',
  /** Event bus name or ARN for audit events; unset means the default bus. */
  auditEventBus: 'AUDIT_EVENT_BUS',
} as const;

/** The ECS API calls (CloudTrail eventName) the operator acts on. */
export const HANDLED_ECS_EVENTS = [
  'RegisterTaskDefinition',
  'CreateService',
  'UpdateService',
  'TagResource',
  'DeregisterTaskDefinition',
] as const;
export type HandledEcsEvent = (typeof HANDLED_ECS_EVENTS)[number];

/** `source` of the audit events the operator puts on EventBridge. */
export const AUDIT_EVENT_SOURCE = 'sigv4-sidecar';
/** `detail-type` of each audit event. */
export const AUDIT_DETAIL_TYPES = {
  twinRegistered: 'Twin Registered',
  twinDeregistered: 'Twin Deregistered',
  serviceMoved: 'Service Moved',
  serviceSkipped: 'Service Skipped',
  refused: 'Injection Refused',
  warning: 'Injection Warning',
  failed: 'Operator Failure',
} as const;

/** Envelope of the ECS API calls that CloudTrail hands to EventBridge. */
export const CLOUDTRAIL_ECS_EVENT = {
  source: 'aws.ecs',
  detailType: 'AWS API Call via CloudTrail',
  eventSource: 'ecs.amazonaws.com',
} as const;

/** Envelope of the schedule that triggers the operator's reconciliation sweep. */
export const SCHEDULED_EVENT = { source: 'aws.events', detailType: 'Scheduled Event' } as const;

