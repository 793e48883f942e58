// The operator's EventBridge rules, taken from the synthesized template and evaluated against
// the same event fixtures the operator's own tests use.
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { HANDLED_ECS_EVENTS, SCHEDULED_EVENT } from '../../functions/engine/constants';
import { Sigv4SidecarOperatorStack } from '../../infra/lib/index';
import { matchesPattern } from './support/event-pattern';
import { fakeAssets, newApp, resolveIntrinsics, templateOf } from './support/synth';

const FIXTURES = new URL('../fixtures/events/', import.meta.url);
/** The operator's role in the fixtures (account 111122223333). */
const FIXTURE_OPERATOR_ROLE_ARN = 'arn:aws:iam::111122223333:role/sigv4-sidecar-operator';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Event = { [key: string]: Json };

function fixture(name: string): Event {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as Event;
}

/** Expected verdict of the API-call rule for every fixture. */
const DELIVERED: Record<string, boolean> = {
  'register-task-definition.json': true,
  'create-service.json': true,
  'update-service.json': true,
  'tag-resource.json': true,
  'deregister-task-definition.json': true,
  'register-task-definition-iam-user.json': true,
  'register-task-definition-root.json': true,
  'register-task-definition-operator.json': false,
  'update-service-operator.json': false,
  'register-task-definition-failed.json': false,
  'scheduled-event.json': false,
};

let apiCallPattern: { [key: string]: Json };
let rules: Record<string, { Properties: Record<string, Json> }>;
let functionLogicalId: string;
let queueLogicalId: string;

beforeAll(() => {
  const assets = fakeAssets();
  const app = newApp();
  const stack = new Sigv4SidecarOperatorStack(app, 'Operator', {
    operatorBundleDir: assets.bundleDir,
    sidecarImageDirectory: assets.imageDir,
  });
  const template = templateOf(stack);
  const { operator } = stack;
  functionLogicalId = stack.getLogicalId(operator.function.node.defaultChild as never);
  queueLogicalId = stack.getLogicalId(operator.deadLetterQueue.node.defaultChild as never);
  const roleLogicalId = stack.getLogicalId(operator.role.node.defaultChild as CfnRole);
  rules = template.findResources('AWS::Events::Rule') as typeof rules;
  const withPattern = Object.values(rules).filter((rule) => rule.Properties.EventPattern !== undefined);
  expect(withPattern).toHaveLength(1);
  apiCallPattern = resolveIntrinsics(withPattern[0]!.Properties.EventPattern!, {
    attributes: { [`${roleLogicalId}.Arn`]: FIXTURE_OPERATOR_ROLE_ARN },
  }) as typeof apiCallPattern;
});

describe('API-call rule against the operator fixtures', () => {
  it('has a verdict for every fixture, so a new fixture cannot go unchecked', () => {
    const files = readdirSync(FIXTURES).filter((name) => name.endsWith('.json'));
    expect(files.sort()).toEqual(Object.keys(DELIVERED).sort());
  });

  it.each(Object.entries(DELIVERED))('%s → delivered: %s', (name, delivered) => {
    expect(matchesPattern(apiCallPattern, fixture(name))).toBe(delivered);
  });

  it('keeps calls from IAM users and root, whose events have no sessionIssuer', () => {
    for (const name of ['register-task-definition-iam-user.json', 'register-task-definition-root.json']) {
      const event = fixture(name);
      expect((event.detail as Event).userIdentity).not.toHaveProperty('sessionContext');
      expect(matchesPattern(apiCallPattern, event)).toBe(true);
    }
  });

  it('excludes exactly the operator role: another role with a longer name still gets through', () => {
    const event = fixture('register-task-definition-operator.json');
    const issuer = ((event.detail as Event).userIdentity as Event).sessionContext as Event;
    (issuer.sessionIssuer as Event).arn = `${FIXTURE_OPERATOR_ROLE_ARN}-2`;
    expect(matchesPattern(apiCallPattern, event)).toBe(true);
  });

  it('takes every handled call and nothing else', () => {
    const event = fixture('register-task-definition.json');
    for (const eventName of HANDLED_ECS_EVENTS) {
      (event.detail as Event).eventName = eventName;
      expect(matchesPattern(apiCallPattern, event), eventName).toBe(true);
    }
    for (const eventName of ['CreateCluster', 'DescribeTaskDefinition', 'UntagResource']) {
      (event.detail as Event).eventName = eventName;
      expect(matchesPattern(apiCallPattern, event), eventName).toBe(false);
    }
  });

  it('ignores the same call names from other services', () => {
    const event = fixture('register-task-definition.json');
    (event.detail as Event).eventSource = 'batch.amazonaws.com';
    expect(matchesPattern(apiCallPattern, event)).toBe(false);
  });
});

describe('sweep rule', () => {
  it('runs hourly by default and only by schedule', () => {
    const sweeps = Object.values(rules).filter((rule) => rule.Properties.ScheduleExpression !== undefined);
    expect(sweeps).toHaveLength(1);
    expect(sweeps[0]!.Properties.ScheduleExpression).toBe('rate(1 hour)');
    expect(sweeps[0]!.Properties.EventPattern).toBeUndefined();
  });

  it('delivers the envelope the operator reads as a sweep', () => {
    const event = fixture('scheduled-event.json');
    expect([event.source, event['detail-type']]).toEqual([SCHEDULED_EVENT.source, SCHEDULED_EVENT.detailType]);
  });
});

describe('rule targets', () => {
  it('both rules invoke the operator, retry delivery, and dead-letter to the queue', () => {
    const ruleList = Object.values(rules);
    expect(ruleList).toHaveLength(2);
    for (const rule of ruleList) {
      expect(rule.Properties.State).toBe('ENABLED');
      expect(rule.Properties.Targets).toEqual([
        expect.objectContaining({
          Arn: { 'Fn::GetAtt': [functionLogicalId, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 4 * 3600 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueLogicalId, 'Arn'] } },
        }),
      ]);
    }
  });
});
