// Synth-time checks of the construct's props: a bad value fails `cdk synth` with the prop's
// name and what is allowed, instead of a failed deployment or an operator that never starts.
// Values that are CDK tokens are only known at deploy time and are not checked.
import { Duration, Token } from 'aws-cdk-lib';
import { ConfigError } from '../../../functions/engine/errors';

const PROPS = 'Sigv4SidecarOperatorProps';

const CLUSTER_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const CLUSTER_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster\/[A-Za-z0-9_-]{1,255}$/;
// Docker reference: [registry[:port]/]path[:tag][@sha256:digest], lower-case path components.
const IMAGE_URI =
  /^(?:[a-z0-9][a-z0-9.-]*(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\(\S+( \S+){5}\)$/;
const ROLE_NAME_PATTERN = /^(?:\/(?:[\w+=,.@*?-]+\/)*)?[\w+=,.@*?-]{1,64}$/;
const ECR_REPOSITORY_ARN = /^arn:aws[a-z-]*:ecr:(?:[a-z0-9-]+|\*):\d{12}:repository\/[a-z0-9*._\/-]+$/;

const MINUTES_PER_UNIT: Record<string, number> = { minute: 1, hour: 60, day: 1440 };
const MAX_TIMEOUT = Duration.minutes(15);
const MIN_TIMEOUT = Duration.minutes(1);

function fail(prop: string, message: string): never {
  throw new ConfigError(message, `${PROPS}.${prop}`);
}

export function validateImageUri(uri: string, prop = 'sidecarImage'): void {
  if (Token.isUnresolved(uri)) return;
  if (!IMAGE_URI.test(uri)) {
    fail(prop, `"${uri}" is not an image URI; expected registry/repository:tag or registry/repository@sha256:<digest>`);
  }
  const lastPart = uri.slice(uri.lastIndexOf('/') + 1);
  if (!lastPart.includes(':') && !lastPart.includes('@')) {
    fail(prop, `"${uri}" has neither a tag nor a digest; pin the sidecar with :tag or @sha256:<digest>`);
  }
}

export function validateClusters(clusters: readonly string[] | undefined): void {
  if (clusters === undefined) return;
  if (clusters.length === 0) {
    fail('clusters', 'is empty; omit it to watch every cluster of the region, or list cluster names or ARNs');
  }
  clusters.forEach((cluster, index) => {
    if (Token.isUnresolved(cluster)) return;
    if (!CLUSTER_NAME.test(cluster) && !CLUSTER_ARN.test(cluster)) {
      fail(
        `clusters[${index}]`,
        `"${cluster}" is neither a cluster name (1-255 letters, digits, hyphens, underscores) nor an ECS cluster ARN (arn:aws:ecs:<region>:<account>:cluster/<name>)`,
      );
    }
  });
}

/** The interval of a `rate(...)` expression in minutes; undefined for cron expressions. */
export function validateSchedule(expression: string): number | undefined {
  const rate = RATE.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2]!;
    if (value < 1) fail('sweepSchedule', `"${expression}": the rate must be at least 1`);
    const singular = !unit.endsWith('s');
    if (singular !== (value === 1)) {
      fail('sweepSchedule', `"${expression}": use the singular unit for 1 and the plural otherwise, e.g. rate(1 hour), rate(2 hours)`);
    }
    return value * MINUTES_PER_UNIT[singular ? unit : unit.slice(0, -1)]!;
  }
  if (CRON.test(expression)) return undefined;
  fail('sweepSchedule', `"${expression}" is not an EventBridge schedule; expected rate(<n> minute(s)|hour(s)|day(s)) or cron(<6 fields>)`);
}

export function validateTimeout(timeout: Duration, sweepIntervalMinutes: number | undefined): void {
  const seconds = timeout.toSeconds();
  if (seconds < MIN_TIMEOUT.toSeconds() || seconds > MAX_TIMEOUT.toSeconds()) {
    fail('timeout', `${timeout.toHumanString()} is out of range; a sweep needs between 1 and 15 minutes`);
  }
  if (sweepIntervalMinutes !== undefined && seconds > sweepIntervalMinutes * 60) {
    fail('timeout', `${timeout.toHumanString()} is longer than the sweep interval (${sweepIntervalMinutes} minutes); sweeps would queue up behind each other`);
  }
}

export function validateMemorySize(memorySize: number): void {
  if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10240) {
    fail('memorySize', `${memorySize} is not a Lambda memory size; use an integer from 128 to 10240 (MiB)`);
  }
}

export function validatePassRoleNamePattern(pattern: string): void {
  if (Token.isUnresolved(pattern)) return;
  if (!ROLE_NAME_PATTERN.test(pattern)) {
    fail('passRoleNamePattern', `"${pattern}" is not a role name pattern; use role name characters (letters, digits, +=,.@_-), the wildcards * and ?, and an optional /path/`);
  }
}

export function validateRepositoryArns(arns: readonly string[] | undefined): void {
  if (arns === undefined) return;
  if (arns.length === 0) fail('imageRepositoryArns', 'is empty; omit it to allow every repository of the account');
  arns.forEach((arn, index) => {
    if (Token.isUnresolved(arn)) return;
    if (!ECR_REPOSITORY_ARN.test(arn)) {
      fail(`imageRepositoryArns[${index}]`, `"${arn}" is not an ECR repository ARN (arn:aws:ecr:<region>:<account>:repository/<name>)`);
    }
  });
}
