import type { Duration } from 'aws-cdk-lib';
import type { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';

/** Settings of the `Sigv4SidecarOperator` construct. Every one is optional. */
export interface Sigv4SidecarOperatorProps {
  /**
   * Image URI of the sidecar (`registry/repository:tag` or `@sha256:` digest).
   * @default built from `sidecar-image/` as a Docker image asset (Docker is needed at deploy only)
   */
  readonly sidecarImage?: string;
  /**
   * Directory with the Dockerfile of the sidecar image asset. Ignored when `sidecarImage` is given.
   * @default `sidecar-image/` of this repository
   */
  readonly sidecarImageDirectory?: string;
  /**
   * CPU platform of the sidecar image asset; must match the container instances.
   * Ignored when `sidecarImage` is given.
   * @default Platform.LINUX_AMD64
   */
  readonly sidecarImagePlatform?: Platform;
  /**
   * Names or ARNs of the ECS clusters to watch. Service permissions are scoped to them.
   * @default every cluster of the region
   */
  readonly clusters?: string[];
  /**
   * Event bus that receives the operator's audit events.
   * @default the account's default event bus
   */
  readonly auditEventBus?: IEventBus;
  /**
   * EventBridge schedule expression of the reconciliation sweep, `rate(...)` or `cron(...)`.
   * @default 'rate(1 hour)'
   */
  readonly sweepSchedule?: string;
  /**
   * Lambda timeout: one sweep over every watched service must finish within it.
   * Between 1 and 15 minutes, and no longer than a `rate(...)` sweep interval.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;
  /**
   * Lambda memory in MiB (128 to 10240).
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Retention of the operator's log group.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;
  /**
   * Name pattern (IAM wildcards `*` and `?` allowed, may include a path) of the task and
   * execution roles the operator may pass to ECS when it registers a twin.
   * @default '*' (every role of the account, still only to ecs-tasks.amazonaws.com)
   */
  readonly passRoleNamePattern?: string;
  /**
   * ECR repositories whose image configuration the operator may read (for containers that
   * rely on the image's entry point, command or user).
   * @default every repository of the account
   */
  readonly imageRepositoryArns?: string[];
  /**
   * Create a CloudTrail trail (management write events of this region, to an encrypted,
   * logged S3 bucket). Set to false when the account already has a trail that logs
   * management events in this region: EventBridge receives ECS API calls only through one.
   * @default true
   */
  readonly createTrail?: boolean;
  /**
   * Topic notified when events land in the dead-letter queue.
   * @default no notification (the alarm is still created)
   */
  readonly alarmTopic?: ITopic;
  /**
   * Directory of the operator bundle made by `npm run build`.
   * @default `dist/operator` of this repository
   */
  readonly operatorBundleDir?: string;
}
