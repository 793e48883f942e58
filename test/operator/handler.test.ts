// Every event type and refusal, asserting the exact ECS, IAM and EventBridge calls and inputs.
import { SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AUDIT_DETAIL_TYPES, AUDIT_EVENT_SOURCE, RESERVED_TAGS } from '../../functions/engine/constants';
import { inject, parseDocument } from '../../functions/engine/index';
import { eventBridgeAudit } from '../../functions/operator/audit';
import { awsError, clusterArn, serviceArn, tdArn } from './fake-ecs';
import {
  deregisterEvent,
  fixture,
  harness,
  plainInput,
  registerEvent,
  SIDECAR_IMAGE,
  sourceInput,
  tagEvent,
  TASK_ROLE,
  updateServiceEvent,
  type Harness,
} from './harness';

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(() => h.restore());

/** The twin the engine makes of a revision as the fake ECS describes it now. */
function expectedTwin(arn: string) {
  const stored = h.ecs.taskDefinitions.get(arn)!;
  const result = inject(parseDocument({ taskDefinition: stored.taskDefinition, tags: stored.tags }), h.ctx.settings);
  if (result.outcome !== 'injected') throw new Error('expected an injectable source');
  return result;
}

/** Registers a source and runs the registration event, returning source and twin ARNs. */
async function registered(family = 'orders') {
  const source = h.ecs.seed(sourceInput(family));
  await h.handler(registerEvent(source));
  const twin = h.ecs.tagsOf(source)[RESERVED_TAGS.twin]!;
  h.ecs.clearLog();
  h.events.resetHistory();
  h.iam.resetHistory();
  return { source, twin };
}

describe('RegisterTaskDefinition', () => {
  it('registers the twin: describe, intent tag, register, link tag, then audits', async () => {
    const source = h.ecs.seed(sourceInput());
    const { twin, fingerprint, changes } = expectedTwin(source);

    await h.handler(registerEvent(source));

    const twinArn = tdArn('orders', 2);
    expect(h.ecs.calls()).toEqual([
      ['DescribeTaskDefinition', { taskDefinition: source, include: ['TAGS'] }],
      ['TagResource', { resourceArn: source, tags: [{ key: RESERVED_TAGS.intent, value: fingerprint }] }],
      ['RegisterTaskDefinition', twin],
      [
        'TagResource',
        {
          resourceArn: source,
          tags: [
            { key: RESERVED_TAGS.twin, value: twinArn },
            { key: RESERVED_TAGS.twinFingerprint, value: fingerprint },
          ],
        },
      ],
    ]);
    expect(twin.tags).toContainEqual({ key: RESERVED_TAGS.source, value: source });
    expect(h.iam).toHaveReceivedCommandExactlyOnceWith(SimulatePrincipalPolicyCommand, {
      PolicySourceArn: TASK_ROLE,
      ActionNames: ['vpc-lattice-svcs:Invoke'],
    });
    expect(h.events).toHaveReceivedCommandExactlyOnceWith(PutEventsCommand, {
      Entries: [
        {
          Source: AUDIT_EVENT_SOURCE,
          DetailType: AUDIT_DETAIL_TYPES.twinRegistered,
          Detail: JSON.stringify({ source, twin: twinArn, fingerprint, changes, warnings: [], trigger: 'RegisterTaskDefinition' }),
          Resources: [source, twinArn],
        },
      ],
    });
  });

  it('a duplicate event only describes: the link is current', async () => {
    const { source } = await registered();
    await h.handler(registerEvent(source));
    expect(h.ecs.calls()).toEqual([['DescribeTaskDefinition', { taskDefinition: source, include: ['TAGS'] }]]);
    expect(h.events).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it("the operator's own registration of a twin only describes it", async () => {
    const { twin } = await registered();
    const own = fixture('register-task-definition-operator');
    own.detail.responseElements.taskDefinition.taskDefinitionArn = twin;
    await h.handler(own);
    expect(h.ecs.calls()).toEqual([['DescribeTaskDefinition', { taskDefinition: twin, include: ['TAGS'] }]]);
  });

  it('leaves a revision that is not opted in alone', async () => {
    const plain = h.ecs.seed(plainInput());
    await h.handler(registerEvent(plain));
    expect(h.ecs.calls()).toEqual([['DescribeTaskDefinition', { taskDefinition: plain, include: ['TAGS'] }]]);
    expect(h.events).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it('falls back to the family when CloudTrail cut the response', async () => {
    const source = h.ecs.seed(sourceInput());
    const event = registerEvent(source);
    event.detail.responseElements = null;
    await h.handler(event);
    expect(h.ecs.calls()[0]).toEqual(['DescribeTaskDefinition', { taskDefinition: 'orders', include: ['TAGS'] }]);
    expect(h.ecs.tagsOf(source)[RESERVED_TAGS.twin]).toBe(tdArn('orders', 2));
  });

  it('warns (audit, not refusal) when the task role cannot invoke Lattice', async () => {
    h.iam.on(SimulatePrincipalPolicyCommand).resolves({ EvaluationResults: [{ EvalActionName: 'vpc-lattice-svcs:Invoke', EvalDecision: 'implicitDeny' }] });
    const source = h.ecs.seed(sourceInput());
    await h.handler(registerEvent(source));
    expect(h.ecs.calls('RegisterTaskDefinition')).toHaveLength(1);
    const warning = h.audits().find((a) => a.type === AUDIT_DETAIL_TYPES.warning)!;
    expect(warning.detail.warnings.at(-1)).toMatch(/orders-task is not allowed vpc-lattice-svcs:Invoke \(simulated decision: implicitDeny\)/);
  });
});

describe('refusals', () => {
  const containers = sourceInput().containerDefinitions!;
  const cases: Array<[string, Parameters<typeof sourceInput>[1], string[]]> = [
    ['no task role', { taskRoleArn: undefined }, ['NO_TASK_ROLE']],
    ['host network mode', { networkMode: 'host' }, ['UNSUPPORTED_NETWORK_MODE']],
    ['Fargate in transparent mode', { networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512' }, ['UNSUPPORTED_PLATFORM']],
    ['too many containers', { containerDefinitions: Array.from({ length: 10 }, (_, i) => ({ ...containers[0]!, name: `c${i}` })) }, ['TOO_MANY_CONTAINERS']],
    ['invalid settings tag', { tags: [{ key: 'sigv4-sidecar', value: 'true' }, { key: 'sigv4-sidecar/mode', value: 'bogus' }] }, ['INVALID_TAG']],
    ['unknown container in tag', { tags: [{ key: 'sigv4-sidecar', value: 'true' }, { key: 'sigv4-sidecar/containers', value: 'nope' }] }, ['UNKNOWN_CONTAINER']],
  ];

  it.each(cases)('%s: tags the source, audits the reasons, registers nothing, once', async (_, overrides, codes) => {
    const source = h.ecs.seed(sourceInput('orders', overrides));
    await h.handler(registerEvent(source));
    expect(h.ecs.calls()).toEqual([
      ['DescribeTaskDefinition', { taskDefinition: source, include: ['TAGS'] }],
      ['TagResource', { resourceArn: source, tags: [{ key: RESERVED_TAGS.refused, value: codes.join(' ') }] }],
    ]);
    const [refusal] = h.audits();
    expect(refusal!.type).toBe(AUDIT_DETAIL_TYPES.refused);
    expect(refusal!.detail.reasons.map((r: { code: string }) => r.code)).toEqual(codes);

    h.ecs.clearLog();
    await h.handler(registerEvent(source));
    expect(h.ecs.calls().map(([name]) => name)).toEqual(['DescribeTaskDefinition']);
    expect(h.audits()).toHaveLength(1);
  });

  it('a service on a refused revision stays where it is', async () => {
    const source = h.ecs.seed(sourceInput('orders', { taskRoleArn: undefined }));
    h.ecs.addService('prod', 'orders', source);
    await h.handler(updateServiceEvent('prod', 'orders', source));
    expect(h.ecs.calls('UpdateService')).toEqual([]);
    expect(h.ecs.serviceTaskDefinition('prod', 'orders')).toBe(source);
    expect(h.ecs.tagsOf(source)[RESERVED_TAGS.refused]).toBe('NO_TASK_ROLE');
  });

  it('clears the refusal tag once the source is injected', async () => {
    const source = h.ecs.seed(sourceInput('orders', { tags: [{ key: 'sigv4-sidecar', value: 'true' }, { key: 'sigv4-sidecar/mode', value: 'bogus' }] }));
    await h.handler(registerEvent(source));
    h.ecs.taskDefinitions.get(source)!.tags = h.ecs.taskDefinitions.get(source)!.tags.filter((t) => t.key !== 'sigv4-sidecar/mode');
    h.ecs.clearLog();
    await h.handler(tagEvent(source, [{ key: 'sigv4-sidecar/mode', value: 'transparent' }]));
    expect(h.ecs.calls().at(-1)).toEqual(['UntagResource', { resourceArn: source, tagKeys: [RESERVED_TAGS.refused] }]);
    expect(h.ecs.tagsOf(source)[RESERVED_TAGS.refused]).toBeUndefined();
  });
});

describe('CreateService and UpdateService', () => {
  it('moves the service to the existing twin: two reads in parallel, then UpdateService', async () => {
    const { source, twin } = await registered();
    h.ecs.addService('prod', 'orders', source);
    await h.handler(updateServiceEvent(clusterArn('prod'), 'orders', source));
    expect(h.ecs.calls()).toEqual([
      ['DescribeServices', { cluster: clusterArn('prod'), services: ['orders'] }],
      ['DescribeTaskDefinition', { taskDefinition: source, include: ['TAGS'] }],
      ['UpdateService', { cluster: clusterArn('prod'), service: serviceArn('prod', 'orders'), taskDefinition: twin }],
    ]);
    expect(h.audits()).toEqual([
      {
        type: AUDIT_DETAIL_TYPES.serviceMoved,
        detail: { cluster: clusterArn('prod'), service: serviceArn('prod', 'orders'), source, trigger: 'UpdateService', twin },
      },
    ]);
  });

  it('CreateService (cluster by name, fixture as CloudTrail sends it) creates the twin and moves the service', async () => {
    for (let i = 0; i < 6; i++) h.ecs.seed(plainInput('orders'));
    const source = h.ecs.seed(sourceInput()); // orders:7, as in the fixture
    h.ecs.addService('prod', 'orders', source);
    await h.handler(fixture('create-service'));
    expect(h.ecs.calls().map(([name]) => name)).toEqual([
      'DescribeServices',
      'DescribeTaskDefinition',
      'TagResource',
      'RegisterTaskDefinition',
      'TagResource',
      'UpdateService',
    ]);
    expect(h.ecs.serviceTaskDefinition('prod', 'orders')).toBe(tdArn('orders', 8));
  });

  it('never rolls back a later deployment: a stale event for an older revision changes nothing', async () => {
    const { source } = await registered();
    const newer = h.ecs.seed(plainInput('orders'));
    h.ecs.addService('prod', 'orders', newer);
    h.ecs.clearLog();
    await h.handler(updateServiceEvent('prod', 'orders', source));
    expect(h.ecs.calls()).toEqual([
      ['DescribeServices', { cluster: 'prod', services: ['orders'] }],
      ['DescribeTaskDefinition', { taskDefinition: source, include: ['TAGS'] }],
      ['DescribeTaskDefinition', { taskDefinition: newer, include: ['TAGS'] }],
    ]);
  });

  it("the operator's own UpdateService onto the twin changes nothing", async () => {
    const { source, twin } = await registered();
    h.ecs.addService('prod', 'orders', twin);
    const own = fixture('update-service-operator');
    own.detail.requestParameters.taskDefinition = twin;
    own.detail.responseElements = null;
    await h.handler(own);
    expect(h.ecs.calls().map(([name]) => name)).toEqual(['DescribeServices', 'DescribeTaskDefinition']);
    expect(source).not.toBe(twin);
  });

  it.each(['CODE_DEPLOY', 'EXTERNAL'] as const)('%s services are reported, never updated', async (controller) => {
    const { source } = await registered();
    h.ecs.addService('prod', 'orders', source, controller);
    await h.handler(updateServiceEvent('prod', 'orders', source));
    expect(h.ecs.calls('UpdateService')).toEqual([]);
    expect(h.audits()).toEqual([
      {
        type: AUDIT_DETAIL_TYPES.serviceSkipped,
        detail: expect.objectContaining({ service: serviceArn('prod', 'orders'), source, reasons: [expect.objectContaining({ code: controller })] }),
      },
    ]);
  });

  it('a service on a revision that is not opted in is not touched', async () => {
    const plain = h.ecs.seed(plainInput());
    h.ecs.addService('prod', 'plain', plain);
    await h.handler(updateServiceEvent('prod', 'plain', plain));
    expect(h.ecs.calls().map(([name]) => name)).toEqual(['DescribeServices', 'DescribeTaskDefinition']);
  });

  it('services of clusters outside CLUSTERS are ignored without a call', async () => {
    h.restore();
    h = harness({ clusters: ['prod'] });
    const source = h.ecs.seed(sourceInput());
    h.ecs.addService('staging', 'orders', source);
    const result = await h.handler(updateServiceEvent(clusterArn('staging'), 'orders', source));
    expect(result).toEqual({ trigger: 'UpdateService', result: 'cluster not watched' });
    expect(h.ecs.calls()).toEqual([]);
  });

  it('a linked twin someone deregistered is replaced, then the service moves', async () => {
    const { source, twin } = await registered();
    h.ecs.taskDefinitions.get(twin)!.taskDefinition.status = 'INACTIVE';
    h.ecs.addService('prod', 'orders', source);
    await h.handler(updateServiceEvent('prod', 'orders', source));
    const newTwin = tdArn('orders', 3);
    expect(h.ecs.serviceTaskDefinition('prod', 'orders')).toBe(newTwin);
    expect(h.ecs.tagsOf(source)[RESERVED_TAGS.twin]).toBe(newTwin);
    expect(h.ecs.calls('UpdateService')).toHaveLength(2);
  });
});

describe('TagResource', () => {
  it('opting in an existing revision registers its twin', async () => {
    const plain = h.ecs.seed(plainInput('orders'));
    h.ecs.taskDefinitions.get(plain)!.tags.push({ key: 'sigv4-sidecar', value: 'true' });
    await h.handler(fixture('tag-resource')); // tags orders:6 in the fixture
    h.ecs.clearLog();
    await h.handler(tagEvent(plain, [{ key: 'sigv4-sidecar', value: 'true' }]));
    expect(h.ecs.calls().map(([name]) => name)).toEqual(['DescribeTaskDefinition', 'TagResource', 'RegisterTaskDefinition', 'TagResource']);
  });

  it('our own reserved tags and non-task-definition resources are ignored without a call', async () => {
    const { source } = await registered();
    const logged = vi.spyOn(h.logger, 'info');
    await h.handler(tagEvent(source, [{ key: RESERVED_TAGS.twin, value: 'x' }, { key: RESERVED_TAGS.intent, value: 'y' }]));
    await h.handler(tagEvent(serviceArn('prod', 'orders'), [{ key: 'sigv4-sidecar', value: 'true' }]));
    expect(h.ecs.calls()).toEqual([]);
    expect(logged.mock.calls).toEqual([
      ['event ignored', { reason: 'TagResource sets only sigv4-sidecar reserved tags' }],
      ['event ignored', { reason: 'TagResource of something other than a task definition' }],
    ]);
  });
});

describe('DeregisterTaskDefinition', () => {
  it('deregisters the twin of a deregistered source', async () => {
    const { source, twin } = await registered();
    h.ecs.taskDefinitions.get(source)!.taskDefinition.status = 'INACTIVE';
    await h.handler(deregisterEvent(source));
    expect(h.ecs.calls()).toEqual([
      ['DescribeTaskDefinition', { taskDefinition: source, include: ['TAGS'] }],
      ['DescribeTaskDefinition', { taskDefinition: twin, include: ['TAGS'] }],
      ['DeregisterTaskDefinition', { taskDefinition: twin }],
    ]);
    expect(h.audits()).toEqual([{ type: AUDIT_DETAIL_TYPES.twinDeregistered, detail: { source, twin, trigger: 'DeregisterTaskDefinition' } }]);
  });

  it('never deregisters a revision that a forged link tag names', async () => {
    const victim = h.ecs.seed(plainInput('payments'));
    const source = h.ecs.seed({ ...sourceInput(), tags: [{ key: RESERVED_TAGS.twin, value: victim }] });
    h.ecs.taskDefinitions.get(source)!.taskDefinition.status = 'INACTIVE';
    await h.handler(deregisterEvent(source));
    expect(h.ecs.calls('DeregisterTaskDefinition')).toEqual([]);
  });

  it('a still ACTIVE revision (stale or odd event) keeps its twin', async () => {
    const { source } = await registered();
    await h.handler(deregisterEvent(source));
    expect(h.ecs.calls().map(([name]) => name)).toEqual(['DescribeTaskDefinition']);
  });
});

describe('ignored events', () => {
  const cases: Array<[string, unknown, string]> = [
    ['a failed call', fixture('register-task-definition-failed'), 'RegisterTaskDefinition failed with AccessDenied'],
    ['an unknown eventName', { ...fixture('register-task-definition'), detail: { ...fixture('register-task-definition').detail, eventName: 'CreateCluster' } }, 'eventName "CreateCluster" is not handled'],
    ['null', null, 'not an EventBridge event (not an object)'],
    ['a string', 'hello', 'not an EventBridge event (not an object)'],
    ['another source', { source: 'aws.ec2', 'detail-type': 'AWS API Call via CloudTrail', detail: {} }, 'unexpected event source "aws.ec2" / detail-type "AWS API Call via CloudTrail"'],
    ['no detail', { source: 'aws.ecs', 'detail-type': 'AWS API Call via CloudTrail' }, 'detail.eventSource is not ECS'],
    ['UpdateService without a service', { ...fixture('update-service'), detail: { ...fixture('update-service').detail, requestParameters: {}, responseElements: null } }, 'UpdateService names no service'],
  ];

  it.each(cases)('%s: one log line, no AWS call, no exception', async (_, event, reason) => {
    const logged = vi.spyOn(h.logger, 'info');
    await expect(h.handler(event)).resolves.toEqual({ ignored: reason });
    expect(logged.mock.calls).toEqual([['event ignored', { reason }]]);
    expect(h.ecs.calls()).toEqual([]);
    expect(h.events).not.toHaveReceivedCommand(PutEventsCommand);
  });
});

describe('failures', () => {
  it('audits an AWS failure and rethrows it so Lambda retries the event', async () => {
    const source = h.ecs.seed(sourceInput());
    h.ecs.failNext('RegisterTaskDefinition', awsError('AccessDeniedException', 'not authorized to perform: iam:PassRole'));
    await expect(h.handler(registerEvent(source))).rejects.toThrow('iam:PassRole');
    expect(h.audits()).toEqual([
      { type: AUDIT_DETAIL_TYPES.failed, detail: { trigger: 'RegisterTaskDefinition', error: 'AccessDeniedException: not authorized to perform: iam:PassRole' } },
    ]);
  });

  it('an audit event that EventBridge rejects does not fail the work', async () => {
    h.events.on(PutEventsCommand).rejects(awsError('AccessDeniedException', 'no'));
    const source = h.ecs.seed(sourceInput());
    await h.handler(registerEvent(source));
    expect(h.ecs.tagsOf(source)[RESERVED_TAGS.twin]).toBe(tdArn('orders', 2));
  });

  it('the twin runs the sidecar image of the settings', async () => {
    const source = h.ecs.seed(sourceInput());
    await h.handler(registerEvent(source));
    const registeredTwin = h.ecs.calls('RegisterTaskDefinition')[0]![1] as { containerDefinitions: Array<{ image: string }> };
    expect(registeredTwin.containerDefinitions.map((c) => c.image)).toContain(SIDECAR_IMAGE);
  });

  it('audit events go to the configured bus', async () => {
    const audit = eventBridgeAudit(new EventBridgeClient({ region: 'eu-west-1' }), h.logger, 'platform-audit');
    await audit('failed', { error: 'X' });
    expect(h.events).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [{ Source: AUDIT_EVENT_SOURCE, DetailType: AUDIT_DETAIL_TYPES.failed, Detail: '{"error":"X"}', Resources: [], EventBusName: 'platform-audit' }],
    });
  });
});
