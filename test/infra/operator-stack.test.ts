// The operator stack as synthesized: the Lambda, its least-privilege policy, failure handling,
// the trail, the sidecar image, and cdk-nag.
import { type App, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR_ENV } from '../../functions/engine/constants';
import { OPERATOR_ACTIONS, operatorPolicy } from '../../functions/operator/permissions';
import { Sigv4SidecarOperatorStack, type Sigv4SidecarOperatorStackProps } from '../../infra/lib/index';
import { fakeAssets, newApp, templateOf, unacknowledgedFindings } from './support/synth';

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown; Effect: string };

const assets = fakeAssets();
const SIDECAR_URI = '111122223333.dkr.ecr.eu-west-1.amazonaws.com/sigv4-sidecar:1.0.0';

interface Synthesized {
  app: App;
  stack: Sigv4SidecarOperatorStack;
  template: Template;
}

function synth(props: Sigv4SidecarOperatorStackProps = {}): Synthesized {
  const app = newApp();
  const stack = new Sigv4SidecarOperatorStack(app, 'Operator', {
    operatorBundleDir: assets.bundleDir,
    sidecarImageDirectory: assets.imageDir,
    ...props,
  });
  return { app, stack, template: templateOf(stack) };
}

function statements(template: Template): Statement[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  expect(policies).toHaveLength(1);
  return policies[0]!.Properties.PolicyDocument.Statement as Statement[];
}

function actionsOf(statement: Statement): string[] {
  return [statement.Action].flat().sort();
}

function bySid(template: Template, sid: string): Statement {
  const found = statements(template).filter((s) => s.Sid === sid);
  expect(found, sid).toHaveLength(1);
  return found[0]!;
}

const arn = (...parts: unknown[]) => ({ 'Fn::Join': ['', parts] });
const PARTITION = { Ref: 'AWS::Partition' };
const REGION = { Ref: 'AWS::Region' };
const ACCOUNT = { Ref: 'AWS::AccountId' };

let defaults: Synthesized;
let custom: Synthesized;

beforeAll(() => {
  defaults = synth();
  custom = synth({
    sidecarImage: SIDECAR_URI,
    clusters: ['prod', 'arn:aws:ecs:eu-west-1:111122223333:cluster/staging'],
    passRoleNamePattern: 'app-*',
    sweepSchedule: 'rate(30 minutes)',
    memorySize: 1024,
    createTrail: false,
    alarmEmail: 'platform@example.com',
  });
});

describe('operator Lambda', () => {
  it('runs the operator bundle on arm64 Node.js 24, one invocation at a time, traced', () => {
    defaults.template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      ReservedConcurrentExecutions: 1,
      Timeout: 300,
      MemorySize: 512,
      TracingConfig: { Mode: 'Active' },
    });
    defaults.template.resourceCountIs('AWS::Lambda::Function', 1);
  });

  it('logs to its own log group with a retention', () => {
    defaults.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    defaults.template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^OperatorLogs') } },
    });
  });

  it('sets the operator environment: built sidecar image, default bus, no cluster filter', () => {
    const fn = Object.values(defaults.template.findResources('AWS::Lambda::Function'))[0]!;
    const env = fn.Properties.Environment.Variables as Record<string, unknown>;
    expect(Object.keys(env).sort()).toEqual([OPERATOR_ENV.auditEventBus, OPERATOR_ENV.sidecarImage].sort());
    expect(JSON.stringify(env[OPERATOR_ENV.sidecarImage])).toContain('container-assets');
    expect(env[OPERATOR_ENV.auditEventBus]).toEqual(arn('arn:', PARTITION, ':events:', REGION, ':', ACCOUNT, ':event-bus/default'));
  });

  it('passes the given image URI and clusters through, space separated', () => {
    custom.template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 1024,
      Environment: {
        Variables: {
          [OPERATOR_ENV.sidecarImage]: SIDECAR_URI,
          [OPERATOR_ENV.clusters]: 'prod arn:aws:ecs:eu-west-1:111122223333:cluster/staging',
        },
      },
    });
  });

  it('retries failed events twice, then sends them to the dead-letter queue', () => {
    defaults.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OperatorDeadLettersQueue'), 'Arn'] } } },
    });
  });
});

function assetManifest(app: App) {
  const directory = app.synth().directory;
  const manifest = JSON.parse(readFileSync(join(directory, 'Operator.assets.json'), 'utf8'));
  return { directory, manifest };
}

describe('operator code', () => {
  it('is the directory of the npm run build bundle, zipped as it is', () => {
    const { directory, manifest } = assetManifest(defaults.app);
    const zips = Object.values(manifest.files as Record<string, { source: { path: string; packaging: string } }>).filter(
      (file) => file.source.packaging === 'zip',
    );
    expect(zips).toHaveLength(1);
    const staged = readFileSync(join(directory, zips[0]!.source.path, 'index.js'), 'utf8');
    expect(staged).toBe(readFileSync(join(assets.bundleDir, 'index.js'), 'utf8'));
  });
});

describe('sidecar image', () => {
  function dockerImages(app: App): { source: { directory: string; platform?: string } }[] {
    return Object.values(assetManifest(app).manifest.dockerImages ?? {});
  }

  it('is built from the sidecar image directory for linux/amd64 by default', () => {
    const images = dockerImages(defaults.app);
    expect(images).toHaveLength(1);
    expect(images[0]!.source.platform).toBe('linux/amd64');
  });

  it('is not built when an image URI is given', () => {
    expect(dockerImages(custom.app)).toHaveLength(0);
  });
});

describe('least-privilege policy', () => {
  it('grants exactly the operator actions plus logging, tracing and the dead-letter queue', () => {
    const granted = statements(defaults.template).flatMap(actionsOf).sort();
    const expected = [
      ...Object.values(OPERATOR_ACTIONS).flat(),
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:SendMessage',
    ].sort();
    expect(granted).toEqual(expected);
    expect(granted.filter((action) => action.includes('*'))).toEqual([]);
    expect(statements(defaults.template).every((s) => s.Effect === 'Allow')).toBe(true);
  });

  it('has one statement per operatorPolicy entry, with the same actions', () => {
    const scope = { partition: 'aws', region: 'eu-west-1', account: '111122223333', eventBusArn: 'bus' };
    for (const statement of operatorPolicy(scope)) {
      expect(actionsOf(bySid(defaults.template, statement.sid)), statement.sid).toEqual([...statement.actions].sort());
    }
  });

  it('passes roles only to ECS tasks, and only roles matching passRoleNamePattern', () => {
    expect(bySid(defaults.template, 'PassTaskRolesToEcsTasks')).toMatchObject({
      Action: 'iam:PassRole',
      Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      Resource: arn('arn:', PARTITION, ':iam::', ACCOUNT, ':role/*'),
    });
    expect(bySid(custom.template, 'PassTaskRolesToEcsTasks')).toMatchObject({
      Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      Resource: arn('arn:', PARTITION, ':iam::', ACCOUNT, ':role/app-*'),
    });
  });

  it('puts audit events on the audit bus only', () => {
    expect(bySid(defaults.template, 'PutAuditEvents').Resource).toEqual(
      arn('arn:', PARTITION, ':events:', REGION, ':', ACCOUNT, ':event-bus/default'),
    );
    const app = newApp();
    const busArn = 'arn:aws:events:eu-west-1:111122223333:event-bus/audit';
    const shared = new Stack(app, 'Shared');
    new EventBus(shared, 'Audit', { eventBusName: 'audit' });
    const withBus = new Sigv4SidecarOperatorStack(app, 'WithBus', {
      operatorBundleDir: assets.bundleDir,
      sidecarImage: SIDECAR_URI,
      createTrail: false,
      auditEventBus: EventBus.fromEventBusArn(shared, 'Imported', busArn),
    });
    const template = templateOf(withBus);
    expect(bySid(template, 'PutAuditEvents').Resource).toBe(busArn);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { [OPERATOR_ENV.auditEventBus]: busArn } },
    });
  });

  it('scopes service updates to the watched clusters', () => {
    expect(bySid(defaults.template, 'EcsServices').Resource).toEqual(
      arn('arn:', PARTITION, ':ecs:', REGION, ':', ACCOUNT, ':service/*/*'),
    );
    expect(bySid(custom.template, 'EcsServices').Resource).toEqual([
      arn('arn:', PARTITION, ':ecs:', REGION, ':', ACCOUNT, ':service/prod/*'),
      arn('arn:', PARTITION, ':ecs:', REGION, ':', ACCOUNT, ':service/staging/*'),
    ]);
  });

  it('writes logs only to its log group and sends only to its dead-letter queue', () => {
    const logs = statements(defaults.template).find((s) => actionsOf(s).includes('logs:PutLogEvents'))!;
    expect(logs.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^OperatorLogs/), 'Arn'] });
    const sqs = statements(defaults.template).find((s) => actionsOf(s).includes('sqs:SendMessage'))!;
    expect(sqs.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^OperatorDeadLettersQueue/), 'Arn'] });
  });

  it('uses no managed policies', () => {
    defaults.template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });
});

describe('dead-letter queue and alarm', () => {
  it('encrypts the queue and refuses requests without TLS', () => {
    defaults.template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86400 });
    defaults.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('alarms on the first message, without an action unless a topic is given', () => {
    defaults.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      AlarmActions: Match.absent(),
    });
    defaults.template.resourceCountIs('AWS::SNS::Topic', 0);
  });

  it('notifies an encrypted topic with the e-mail subscription when alarmEmail is given', () => {
    custom.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    custom.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'platform@example.com' });
    custom.template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmTopic') }] });
    custom.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });
});

describe('CloudTrail trail', () => {
  it('logs this region’s management write events to an encrypted, access-logged bucket by default', () => {
    defaults.template.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsLogging: true,
      IsMultiRegionTrail: false,
      EnableLogFileValidation: true,
      EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'WriteOnly' }],
    });
    defaults.template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: Match.anyValue(),
      LoggingConfiguration: { DestinationBucketName: Match.anyValue() },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
  });

  it('is not created with createTrail: false', () => {
    custom.template.resourceCountIs('AWS::CloudTrail::Trail', 0);
    custom.template.resourceCountIs('AWS::S3::Bucket', 0);
  });
});

describe('cdk-nag', () => {
  it('AwsSolutions and Serverless: no unacknowledged finding, with defaults or every prop set', () => {
    expect(unacknowledgedFindings(defaults.app, defaults.stack)).toEqual([]);
    expect(unacknowledgedFindings(custom.app, custom.stack)).toEqual([]);
  });
});
