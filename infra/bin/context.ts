import type { BridgeModeDemoStackProps, Sigv4SidecarOperatorStackProps } from '../lib/index';
import { ConfigError } from '../../functions/engine/errors';

/** Context keys of the CDK app, documented in the README. */
export const CONTEXT_KEYS = {
  sidecarImage: 'sidecarImage',
  clusters: 'clusters',
  sweepSchedule: 'sweepSchedule',
  alarmEmail: 'alarmEmail',
  createTrail: 'createTrail',
  passRoleNamePattern: 'passRoleNamePattern',
  serviceNetworkId: 'serviceNetworkId',
  latticeServiceUrl: 'latticeServiceUrl',
} as const;

export interface AppContext {
  operator: Sigv4SidecarOperatorStackProps;
  demo: BridgeModeDemoStackProps;
}

function text(get: (key: string) => unknown, key: string): string | undefined {
  const value = get(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' && typeof value !== 'boolean') {
    throw new ConfigError(`expected a string, got ${JSON.stringify(value)}`, `context ${key}`);
  }
  return String(value);
}

function flag(get: (key: string) => unknown, key: string): boolean | undefined {
  const value = text(get, key);
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') throw new ConfigError(`"${value}" is not true or false`, `context ${key}`);
  return value === 'true';
}

/** A list as a space-separated string (`-c clusters="a b"`) or a JSON array of strings (cdk.json). */
function list(get: (key: string) => unknown, key: string): string[] | undefined {
  const value = get(key);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  return text(get, key)?.split(/\s+/).filter(Boolean);
}

/** Stack props from context values (strings from `-c`, or JSON values from cdk.json). */
export function readAppContext(get: (key: string) => unknown): AppContext {
  const k = CONTEXT_KEYS;
  const entries = {
    sidecarImage: text(get, k.sidecarImage),
    clusters: list(get, k.clusters),
    sweepSchedule: text(get, k.sweepSchedule),
    alarmEmail: text(get, k.alarmEmail),
    createTrail: flag(get, k.createTrail),
    passRoleNamePattern: text(get, k.passRoleNamePattern),
  };
  const demo = { serviceNetworkId: text(get, k.serviceNetworkId), latticeServiceUrl: text(get, k.latticeServiceUrl) };
  return { operator: withoutUndefined(entries), demo: withoutUndefined(demo) };
}

function withoutUndefined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}
