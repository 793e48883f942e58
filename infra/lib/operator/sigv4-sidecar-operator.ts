import { Duration, Stack } from 'aws-cdk-lib';
import type { Trail } from 'aws-cdk-lib/aws-cloudtrail';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { DockerImageAsset, Platform } from 'aws-cdk-lib/aws-ecr-assets';
import { EventBus, Rule, Schedule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { type PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFn, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import { OPERATOR_ENV } from '../../../functions/engine/constants';
import { acknowledge, acknowledgeWildcardResources } from '../acknowledge';
import { DeadLetters } from './dead-letters';
import { ecsApiCallPattern } from './event-patterns';
import { ManagementEventsTrail } from './management-events-trail';
import { OPERATOR_HANDLER, operatorBundleDir } from './operator-bundle';
import { operatorPolicyStatements } from './operator-policy';
import type { Sigv4SidecarOperatorProps } from './props';
import {
  validateClusters,
  validateImageUri,
  validateMemorySize,
  validatePassRoleNamePattern,
  validateRepositoryArns,
  validateSchedule,
  validateTimeout,
} from './validate-props';

const SIDECAR_IMAGE_DIR = fileURLToPath(new URL('../../../sidecar-image', import.meta.url));

/**
 * Why each wildcard resource of the operator's policy (by statement id) is as narrow as IAM
 * allows. `*` alone is acknowledged separately: only actions without resource-level permissions use it.
 */
const WILDCARD_REASONS: Record<string, string> = {
  EcsServices: 'Any service of the watched clusters (every cluster when none are given) may be opted in later.',
  EcsTagTaskDefinitions: 'Twins and sources are task definitions of any family that opts in; only task definitions are taggable here.',
  PassTaskRolesToEcsTasks:
    'A twin keeps the task and execution roles of its source, which application teams choose; limited to ecs-tasks.amazonaws.com and to passRoleNamePattern.',
  SimulateTaskRoles: 'Preflight check of whichever task role a source uses; simulation reads policies and changes nothing.',
  ReadImageConfigs: 'Image configs of any repository the opted-in task definitions use (imageRepositoryArns narrows it).',
};

export const DEFAULTS = {
  sweepSchedule: 'rate(1 hour)',
  timeout: Duration.minutes(5),
  memorySize: 512,
  logRetention: RetentionDays.THREE_MONTHS,
  passRoleNamePattern: '*',
  /** Async invocations: Lambda retries a failed event twice before the dead-letter queue. */
  lambdaRetryAttempts: 2,
  /** EventBridge retries delivery (throttling, service errors) for up to this long. */
  deliveryRetryAttempts: 8,
  deliveryMaxEventAge: Duration.hours(4),
} as const;

/**
 * The sigv4-sidecar operator: a Lambda that turns task definitions tagged `sigv4-sidecar=true`
 * into injected twins and moves services onto them, triggered by CloudTrail ECS API calls and
 * by a reconciliation sweep.
 */
export class Sigv4SidecarOperator extends Construct {
  readonly function: LambdaFn;
  readonly role: Role;
  /** Image URI the operator injects (the asset's URI when built from `sidecar-image/`). */
  readonly sidecarImageUri: string;
  readonly auditEventBus: IEventBus;
  readonly apiCallRule: Rule;
  readonly sweepRule: Rule;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;
  /** The trail created for the operator; undefined with `createTrail: false`. */
  readonly trail?: Trail;

  constructor(scope: Construct, id: string, props: Sigv4SidecarOperatorProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);

    const sweepSchedule = props.sweepSchedule ?? DEFAULTS.sweepSchedule;
    const sweepIntervalMinutes = validateSchedule(sweepSchedule);
    const timeout = props.timeout ?? DEFAULTS.timeout;
    validateTimeout(timeout, sweepIntervalMinutes);
    const memorySize = props.memorySize ?? DEFAULTS.memorySize;
    validateMemorySize(memorySize);
    validateClusters(props.clusters);
    const passRoleNamePattern = props.passRoleNamePattern ?? DEFAULTS.passRoleNamePattern;
    validatePassRoleNamePattern(passRoleNamePattern);
    validateRepositoryArns(props.imageRepositoryArns);
    if (props.sidecarImage !== undefined) validateImageUri(props.sidecarImage);
    const bundleDir = operatorBundleDir(props.operatorBundleDir);

    this.sidecarImageUri =
      props.sidecarImage ??
      new DockerImageAsset(this, 'SidecarImage', {
        directory: props.sidecarImageDirectory ?? SIDECAR_IMAGE_DIR,
        platform: props.sidecarImagePlatform ?? Platform.LINUX_AMD64,
      }).imageUri;
    this.auditEventBus = props.auditEventBus ?? EventBus.fromEventBusName(this, 'DefaultEventBus', 'default');

    const logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention ?? DEFAULTS.logRetention });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'sigv4-sidecar operator: registers injected twins of opted-in task definitions',
    });
    logGroup.grantWrite(this.role);
    const statements = operatorPolicyStatements({
      partition: stack.partition,
      region: stack.region,
      account: stack.account,
      ...(props.clusters ? { clusters: props.clusters } : {}),
      eventBusArn: this.auditEventBus.eventBusArn,
      ...(props.imageRepositoryArns ? { ecrRepositoryArns: props.imageRepositoryArns } : {}),
      passRoleArns: [`arn:${stack.partition}:iam::${stack.account}:role/${passRoleNamePattern.replace(/^\//, '')}`],
    });
    for (const statement of statements) this.role.addToPolicy(statement);

    const deadLetters = new DeadLetters(this, 'DeadLetters', props.alarmTopic ? { alarmTopic: props.alarmTopic } : {});
    this.deadLetterQueue = deadLetters.queue;
    this.deadLetterAlarm = deadLetters.alarm;

    this.function = new LambdaFn(this, 'Function', {
      description: 'sigv4-sidecar operator',
      code: Code.fromAsset(bundleDir),
      handler: OPERATOR_HANDLER,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      role: this.role,
      timeout,
      memorySize,
      // One invocation at a time: events of one account never race on the same family.
      reservedConcurrentExecutions: 1,
      logGroup,
      tracing: Tracing.ACTIVE,
      retryAttempts: DEFAULTS.lambdaRetryAttempts,
      onFailure: new SqsDestination(this.deadLetterQueue),
      environment: {
        [OPERATOR_ENV.sidecarImage]: this.sidecarImageUri,
        [OPERATOR_ENV.auditEventBus]: this.auditEventBus.eventBusArn,
        ...(props.clusters ? { [OPERATOR_ENV.clusters]: props.clusters.join(' ') } : {}),
      },
    });

    const target = new LambdaFunction(this.function, {
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: DEFAULTS.deliveryRetryAttempts,
      maxEventAge: DEFAULTS.deliveryMaxEventAge,
    });
    this.apiCallRule = new Rule(this, 'EcsApiCalls', {
      description: 'sigv4-sidecar: successful ECS API calls by anyone but the operator',
      eventPattern: ecsApiCallPattern(this.role.roleArn),
      targets: [target],
    });
    this.sweepRule = new Rule(this, 'Sweep', {
      description: 'sigv4-sidecar: reconciliation sweep over every watched service',
      schedule: Schedule.expression(sweepSchedule),
      targets: [target],
    });

    if (props.createTrail ?? true) this.trail = new ManagementEventsTrail(this, 'Trail').trail;

    this.acknowledgeFindings(statements);
  }

  /** cdk-nag findings that are deliberate, each with the reason. */
  private acknowledgeFindings(statements: readonly PolicyStatement[]): void {
    const policy = this.role.node.findChild('DefaultPolicy');
    acknowledgeWildcardResources(policy, statements, WILDCARD_REASONS);
    acknowledge(
      policy,
      'X-Ray PutTraceSegments/PutTelemetryRecords and the ECS List*/Describe/Register/DeregisterTaskDefinition calls accept no resource-level permissions.',
      'AwsSolutions-IAM5[Resource::*]',
    );
    acknowledge(
      this.function,
      'Runtime pinned on purpose (nodejs24.x, LTS): a runtime upgrade is a reviewed change made together with the esbuild target in scripts/build.mjs.',
      'AwsSolutions-L1',
      'Serverless-LambdaLatestVersion',
    );
    acknowledge(
      this.function,
      'Failed events go to the dead-letter queue through the on-failure destination, which also records the error.',
      'Serverless-LambdaDLQ',
    );
  }
}
