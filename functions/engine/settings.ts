// Reads the opt-in tag and the settings tags of a task definition. Every invalid value becomes
// a refusal that names the tag, the value and what is allowed; all of them are collected.
import { isIP } from 'node:net';
import {
  DEFAULT_CIDRS,
  DEFAULT_PORTS,
  DEFAULT_SIDECAR_CPU,
  DEFAULT_SIDECAR_MEMORY_MIB,
  DEFAULT_SIDECAR_NAME,
  LOG_LEVELS,
  MODES,
  OPT_IN_TAG,
  OPT_IN_VALUE,
  SETTING_TAGS,
  SIDECAR_CPU_RANGE,
  SIDECAR_MEMORY_RANGE_MIB,
  SIGNING_ALGORITHMS,
} from './constants';
import { tagValue } from './document';
import { ConfigError } from './errors';
import type { OperatorSettings, Refusal, ResolvedSettings, TaskDefinitionDocument } from './types';

/** Destinations a redirect must never catch: task metadata/credentials and instance metadata. */
const PROTECTED_ADDRESSES = ['169.254.170.2', '169.254.169.254', 'fd00:ec2::254'];
/** TLS cannot be signed: the sidecar would see encrypted bytes, not a request. */
const TLS_PORT = 443;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const HOST_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** ECS container names: up to 255 letters, numbers, underscores and hyphens. */
const CONTAINER_NAME = /^[A-Za-z0-9_-]{1,255}$/;
/** An image reference: [registry/]repository[:tag][@digest], no spaces. */
const IMAGE_REFERENCE = /^[a-z0-9]+([._\/:@-][A-Za-z0-9_.-]+)*$/;

/** Operator settings are the platform team's, not the task definition's: a bad one is a ConfigError. */
export function validateOperatorSettings(operator: OperatorSettings): void {
  if (!IMAGE_REFERENCE.test(operator.sidecarImage) || operator.sidecarImage.length > 2048) {
    throw new ConfigError(
      `${JSON.stringify(operator.sidecarImage)} is not an image reference ([registry/]repository[:tag][@sha256:digest])`,
      'sidecarImage',
    );
  }
  if (!REGION.test(operator.defaultRegion)) {
    throw new ConfigError(`${JSON.stringify(operator.defaultRegion)} is not an AWS region name such as us-east-1`, 'defaultRegion');
  }
  if (operator.sidecarName !== undefined && !CONTAINER_NAME.test(operator.sidecarName)) {
    throw new ConfigError(
      `${JSON.stringify(operator.sidecarName)} is not a container name (1-255 letters, numbers, underscores, hyphens)`,
      'sidecarName',
    );
  }
}

export interface SettingsReading {
  optedIn: boolean;
  settings: Partial<ResolvedSettings>;
  refusals: Refusal[];
  warnings: string[];
}

/** Opted in: the tag `sigv4-sidecar` is exactly `true`. */
export function isOptedIn(doc: TaskDefinitionDocument): boolean {
  return tagValue(doc.register.tags, OPT_IN_TAG) === OPT_IN_VALUE;
}

/** Reads every setting; refusals list all invalid tags, not just the first. */
export function readSettings(doc: TaskDefinitionDocument, operator: OperatorSettings): SettingsReading {
  const tags = doc.register.tags ?? [];
  const refusals: Refusal[] = [];
  const warnings: string[] = [];
  const invalid = (tag: string, value: string, allowed: string) =>
    refusals.push({
      code: 'INVALID_TAG',
      where: tag,
      message: `tag ${tag}=${JSON.stringify(value)} is invalid: ${allowed}`,
    });

  const optIn = tagValue(tags, OPT_IN_TAG);
  const optedIn = isOptedIn(doc);
  if (!optedIn) {
    refusals.push({
      code: 'NOT_OPTED_IN',
      where: OPT_IN_TAG,
      message:
        optIn === undefined
          ? `not opted in: tag ${OPT_IN_TAG}=${OPT_IN_VALUE} is absent`
          : `not opted in: tag ${OPT_IN_TAG}=${JSON.stringify(optIn)}; only "${OPT_IN_VALUE}" opts in`,
    });
  }

  const known = new Set<string>([OPT_IN_TAG, ...Object.values(SETTING_TAGS)]);
  for (const tag of tags) {
    const key = tag.key ?? '';
    if (key.startsWith(`${OPT_IN_TAG}/`) && !known.has(key)) {
      invalid(key, tag.value ?? '', `unknown setting; known settings: ${Object.values(SETTING_TAGS).join(' ')}`);
    }
  }

  const read = <T>(tag: string, parse: (value: string) => Parsed<T>, fallback: T): T => {
    const value = tagValue(tags, tag);
    if (value === undefined) return fallback;
    const parsed = parse(value);
    if ('allowed' in parsed) {
      invalid(tag, value, parsed.allowed);
      return fallback;
    }
    return parsed.value;
  };

  const sidecarName = operator.sidecarName ?? DEFAULT_SIDECAR_NAME;
  const settings: Partial<ResolvedSettings> = {
    sidecarName,
    sidecarImage: operator.sidecarImage,
    mode: read(SETTING_TAGS.mode, oneOf(MODES), 'transparent'),
    containers: read(SETTING_TAGS.containers, parseNames, defaultContainers(doc)),
    ports: read(SETTING_TAGS.ports, parsePorts, [...DEFAULT_PORTS]),
    cidrs: read(SETTING_TAGS.cidrs, parseCidrs, [...DEFAULT_CIDRS]),
    hosts: read(SETTING_TAGS.hosts, parseHosts, []),
    region: read(SETTING_TAGS.region, parseRegion, doc.source.region ?? operator.defaultRegion),
    signing: read(SETTING_TAGS.signing, oneOf(SIGNING_ALGORITHMS), 'sigv4'),
    cpu: read(SETTING_TAGS.cpu, integerIn(SIDECAR_CPU_RANGE, 'CPU units'), DEFAULT_SIDECAR_CPU),
    memory: read(SETTING_TAGS.memory, integerIn(SIDECAR_MEMORY_RANGE_MIB, 'MiB'), DEFAULT_SIDECAR_MEMORY_MIB),
    logLevel: read(
      SETTING_TAGS.logLevel,
      oneOf(LOG_LEVELS, ' (debug and trace are refused: at those levels Envoy logs credentials)'),
      'info',
    ),
  };
  const networkMode = doc.register.networkMode ?? 'bridge';
  if (networkMode === 'bridge' || networkMode === 'awsvpc') settings.networkMode = networkMode;
  return { optedIn, settings, refusals, warnings };
}

/** Every container except FireLens log routers (they ship logs, they do not call Lattice). */
function defaultContainers(doc: TaskDefinitionDocument): string[] {
  return (doc.register.containerDefinitions ?? [])
    .filter((container) => container.firelensConfiguration === undefined)
    .map((container) => container.name!);
}

/** A tag value read as T, or what the tag allows. */
type Parsed<T> = { value: T } | { allowed: string };

const oneOf =
  <T extends string>(allowed: readonly T[], note = '') =>
  (value: string): Parsed<T> =>
    (allowed as readonly string[]).includes(value)
      ? { value: value as T }
      : { allowed: `allowed: ${allowed.join(' ')}${note}` };

function words(value: string): string[] {
  return value.split(/\s+/).filter((word) => word !== '');
}

function parseNames(value: string): Parsed<string[]> {
  const names = [...new Set(words(value))];
  return names.length > 0 ? { value: names } : { allowed: 'list at least one container name, separated by spaces' };
}

function parsePorts(value: string): Parsed<number[]> {
  const allowed = 'TCP ports 1-65535 other than 443, separated by spaces';
  const ports = words(value).map((word) => (/^\d{1,5}$/.test(word) ? Number(word) : NaN));
  if (ports.length === 0 || ports.some((port) => !(port >= 1 && port <= 65535))) return { allowed };
  if (ports.includes(TLS_PORT)) {
    return {
      allowed: `${allowed}; TLS on 443 cannot be signed, call Lattice with http:// and the sidecar upgrades to HTTPS`,
    };
  }
  return { value: [...new Set(ports)] };
}

function parseCidrs(value: string): Parsed<string[]> {
  const allowed =
    'IPv4 or IPv6 CIDR blocks separated by spaces, not covering the metadata and credentials addresses ' +
    PROTECTED_ADDRESSES.join(' ');
  const cidrs = words(value);
  if (cidrs.length === 0 || !cidrs.every(isCidr)) return { allowed };
  const covering = cidrs.filter((cidr) => PROTECTED_ADDRESSES.some((address) => cidrContains(cidr, address)));
  if (covering.length > 0) return { allowed: `${allowed}; ${covering.join(' ')} covers one of them` };
  return { value: [...new Set(cidrs)] };
}

function parseHosts(value: string): Parsed<string[]> {
  const allowed = 'DNS names (api.example.com) or domains with a leading dot (.example.com) separated by spaces';
  const hosts = words(value).map((host) => host.toLowerCase());
  const valid = hosts.every((host) => {
    const name = host.startsWith('.') ? host.slice(1) : host;
    const labels = name.split('.');
    return name.length <= 253 && labels.length >= 2 && labels.every((label) => HOST_LABEL.test(label));
  });
  return hosts.length > 0 && valid ? { value: [...new Set(hosts)] } : { allowed };
}

function parseRegion(value: string): Parsed<string> {
  return REGION.test(value) ? { value } : { allowed: 'an AWS region name such as us-east-1' };
}

const integerIn =
  (range: { min: number; max: number }, unit: string) =>
  (value: string): Parsed<number> => {
    const number = /^\d+$/.test(value) ? Number(value) : NaN;
    return number >= range.min && number <= range.max
      ? { value: number }
      : { allowed: `a whole number of ${unit} from ${range.min} to ${range.max}` };
  };

function isCidr(cidr: string): boolean {
  const [address, prefix, ...rest] = cidr.split('/');
  if (rest.length > 0 || address === undefined || prefix === undefined || !/^\d{1,3}$/.test(prefix)) return false;
  const family = isIP(address);
  return family !== 0 && Number(prefix) <= (family === 4 ? 32 : 128);
}

function cidrContains(cidr: string, address: string): boolean {
  const [network, prefix] = cidr.split('/') as [string, string];
  if (isIP(network) !== isIP(address)) return false;
  const bits = (ip: string) => toBits(ip);
  const length = Number(prefix);
  return bits(network).slice(0, length) === bits(address).slice(0, length);
}

function toBits(ip: string): string {
  if (isIP(ip) === 4) {
    return ip.split('.').map((octet) => Number(octet).toString(2).padStart(8, '0')).join('');
  }
  const [head, tail = ''] = ip.split('::') as [string, string?];
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::')
    ? [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups]
    : headGroups;
  return groups.map((group) => parseInt(group, 16).toString(2).padStart(16, '0')).join('');
}
