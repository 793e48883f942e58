// The operator's settings, read once at cold start. Anything missing or malformed throws a
// ConfigError naming the variable, so a bad deployment fails at init, not on the first event.
import { OPERATOR_ENV } from '../engine/constants';
import { ConfigError } from '../engine/errors';

export interface OperatorConfig {
  sidecarImage: string;
  region: string;
  /** Cluster names or ARNs to watch; undefined means every cluster of the region. */
  clusters?: string[];
  /** Event bus name or ARN; undefined means the default bus. */
  auditEventBus?: string;
}

/** Set by the Lambda runtime; the operator works in its own region only. */
export const REGION_ENV = 'AWS_REGION';

// registry[:port]/repository[:tag][@sha256:digest], lowercase repository as Docker requires.
const IMAGE_REFERENCE =
  /^[a-z0-9][a-z0-9.-]*(?::\d+)?(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const CLUSTER_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const CLUSTER_ARN = /^arn:aws[a-z-]*:ecs:([a-z0-9-]+):\d{12}:cluster\/[A-Za-z0-9_-]{1,255}$/;
const BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;
const BUS_ARN = /^arn:aws[a-z-]*:events:([a-z0-9-]+):\d{12}:event-bus\/[/.\-_A-Za-z0-9]{1,256}$/;

type Env = Readonly<Record<string, string | undefined>>;

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function readRegion(env: Env): string {
  const region = optional(env, REGION_ENV);
  if (!region) throw new ConfigError('is not set (the Lambda runtime sets it)', REGION_ENV);
  if (!REGION.test(region)) throw new ConfigError(`"${region}" is not an AWS region`, REGION_ENV);
  return region;
}

function readSidecarImage(env: Env): string {
  const name = OPERATOR_ENV.sidecarImage;
  const image = optional(env, name);
  if (!image) throw new ConfigError('is required: the image URI of the sidecar', name);
  if (!IMAGE_REFERENCE.test(image)) {
    throw new ConfigError(`"${image}" is not an image reference (registry/repository[:tag][@sha256:digest])`, name);
  }
  return image;
}

function readClusters(env: Env, region: string): string[] | undefined {
  const name = OPERATOR_ENV.clusters;
  const value = optional(env, name);
  if (!value) return undefined;
  return [...new Set(value.split(/\s+/))].map((cluster) => {
    const arn = CLUSTER_ARN.exec(cluster);
    if (arn) {
      if (arn[1] !== region) {
        throw new ConfigError(`"${cluster}" is in ${arn[1]}, the operator watches ${region} only`, name);
      }
      return cluster;
    }
    if (CLUSTER_NAME.test(cluster)) return cluster;
    throw new ConfigError(
      `"${cluster}" is neither a cluster name (letters, digits, - and _, up to 255) nor a cluster ARN; separate clusters with spaces`,
      name,
    );
  });
}

function readAuditBus(env: Env, region: string): string | undefined {
  const name = OPERATOR_ENV.auditEventBus;
  const bus = optional(env, name);
  if (!bus) return undefined;
  const arn = BUS_ARN.exec(bus);
  if (arn) {
    if (arn[1] !== region) throw new ConfigError(`"${bus}" is in ${arn[1]}, not in ${region}`, name);
    return bus;
  }
  if (BUS_NAME.test(bus)) return bus;
  throw new ConfigError(`"${bus}" is neither an event bus name nor an event bus ARN`, name);
}

export function loadConfig(env: Env): OperatorConfig {
  const region = readRegion(env);
  return {
    sidecarImage: readSidecarImage(env),
    region,
    clusters: readClusters(env, region),
    auditEventBus: readAuditBus(env, region),
  };
}
