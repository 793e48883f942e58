// Whole flows against the stateful fake ECS: whatever order, repetition or interruption, each
// source ends with exactly one twin and every ECS-controlled service on an opted-in source
// ends on that twin.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_DETAIL_TYPES, RESERVED_TAGS } from '../../functions/engine/constants';
import { clusterArn, SimulatedCrash, tdArn } from './fake-ecs';
import {
  deregisterEvent,
  fixture,
  harness,
  plainInput,
  registerEvent,
  sourceInput,
  tagEvent,
  updateServiceEvent,
  type Harness,
} from './harness';

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(() => h.restore());

const sweepEvent = () => fixture('scheduled-event');

/** ACTIVE twins whose source tag names `source`. */
function twinsOf(source: string): string[] {
  return [...h.ecs.taskDefinitions.values()]
    .filter((td) => td.taskDefinition.status === 'ACTIVE' && td.tags.some((t) => t.key === RESERVED_TAGS.source && t.value === source))
    .map((td) => td.taskDefinition.taskDefinitionArn!);
}

function expectConverged(source: string, services: Array<[string, string]>) {
  const twins = twinsOf(source);
  expect(twins).toHaveLength(1);
  expect(h.ecs.tagsOf(source)[RESERVED_TAGS.twin]).toBe(twins[0]);
  for (const [cluster, service] of services) expect(h.ecs.serviceTaskDefinition(cluster, service)).toBe(twins[0]);
}

/** The events the CloudFormation flow produces, plus the operator's own. */
function ownEvents(source: string): unknown[] {
  const twin = h.ecs.tagsOf(source)[RESERVED_TAGS.twin]!;
  const ownRegister = fixture('register-task-definition-operator');
  ownRegister.detail.responseElements.taskDefinition.taskDefinitionArn = twin;
  return [
    ownRegister,
    tagEvent(source, [{ key: RESERVED_TAGS.intent, value: 'x' }]),
    tagEvent(source, [{ key: RESERVED_TAGS.twin, value: twin }]),
    updateServiceEvent('prod', 'orders', twin, 'update-service-operator'),
  ];
}

describe('CloudFormation flow', () => {
  it('register then update service: one twin, service on it, own events change nothing', async () => {
    const source = h.ecs.seed(sourceInput());
    h.ecs.addService('prod', 'orders', source);
    await h.handler(registerEvent(source));
    await h.handler(updateServiceEvent('prod', 'orders', source));
    expectConverged(source, [['prod', 'orders']]);

    h.ecs.clearLog();
    for (const event of ownEvents(source)) await h.handler(event);
    const writes = h.ecs.calls().filter(([name]) => !name.startsWith('Describe') && !name.startsWith('List'));
    expect(writes).toEqual([]);
  });

  it('reordered: the service event before the registration event', async () => {
    const source = h.ecs.seed(sourceInput());
    h.ecs.addService('prod', 'orders', source);
    await h.handler(updateServiceEvent('prod', 'orders', source));
    await h.handler(registerEvent(source));
    expectConverged(source, [['prod', 'orders']]);
    expect(h.ecs.calls('RegisterTaskDefinition')).toHaveLength(1);
  });

  it('every event twice, interleaved: still one twin', async () => {
    const source = h.ecs.seed(sourceInput());
    h.ecs.addService('prod', 'orders', source);
    const events = [registerEvent(source), updateServiceEvent('prod', 'orders', source)];
    for (const event of [...events, ...events.reverse(), ...events]) await h.handler(event);
    expectConverged(source, [['prod', 'orders']]);
    expect(h.ecs.calls('RegisterTaskDefinition')).toHaveLength(1);
    expect(h.ecs.calls('UpdateService')).toHaveLength(1);
  });

  it('a new revision deployed later moves the service again, old twin untouched', async () => {
    const first = h.ecs.seed(sourceInput());
    h.ecs.addService('prod', 'orders', first);
    await h.handler(updateServiceEvent('prod', 'orders', first));
    const second = h.ecs.seed(sourceInput('orders', { cpu: '512', memory: '1024' }));
    h.ecs.addService('prod', 'orders', second);
    await h.handler(registerEvent(second));
    await h.handler(updateServiceEvent('prod', 'orders', second));
    expectConverged(second, [['prod', 'orders']]);
    expect(twinsOf(first)).toHaveLength(1);
  });
});

describe('crash after each API call, then retry or sweep', () => {
  // The register-and-move flow makes these writes in this order; a crash after each one must
  // leave tags from which the next attempt finishes without a second twin.
  const steps: Array<[string, Parameters<typeof h.ecs.crashAfter>[0], number]> = [
    ['DescribeServices', 'DescribeServices', 1],
    ['DescribeTaskDefinition', 'DescribeTaskDefinition', 1],
    ['intent TagResource', 'TagResource', 1],
    ['RegisterTaskDefinition', 'RegisterTaskDefinition', 1],
    ['link TagResource', 'TagResource', 2],
    ['UpdateService', 'UpdateService', 1],
  ];

  for (const recovery of ['retried event', 'sweep'] as const) {
    it.each(steps)(`crash after %s, recovered by a ${recovery}`, async (_, command, nth) => {
      const source = h.ecs.seed(sourceInput());
      h.ecs.addService('prod', 'orders', source);
      const event = updateServiceEvent('prod', 'orders', source);
      h.ecs.crashAfter(command, nth);
      await expect(h.handler(event)).rejects.toBeInstanceOf(SimulatedCrash);
      await h.handler(recovery === 'sweep' ? sweepEvent() : event);
      expectConverged(source, [['prod', 'orders']]);
      expect(h.ecs.calls('RegisterTaskDefinition').length).toBeLessThanOrEqual(1);
    });
  }

  it('recovery finds the unlinked twin among newer revisions, even behind other families and revisions', async () => {
    h.ecs.seed(sourceInput('orders-v2')); // familyPrefix "orders" also lists this family
    const source = h.ecs.seed(sourceInput());
    h.ecs.crashAfter('RegisterTaskDefinition');
    await expect(h.handler(registerEvent(source))).rejects.toBeInstanceOf(SimulatedCrash);
    h.ecs.seed(plainInput('orders')); // someone registers a newer revision in between
    h.ecs.clearLog();
    await h.handler(registerEvent(source));
    expect(h.ecs.calls('RegisterTaskDefinition')).toEqual([]);
    expect(h.ecs.calls('ListTaskDefinitions')).toEqual([
      ['ListTaskDefinitions', { familyPrefix: 'orders', status: 'ACTIVE', sort: 'DESC', maxResults: 100 }],
    ]);
    expectConverged(source, []);
    expect(h.ecs.tagsOf(source)[RESERVED_TAGS.twin]).toBe(tdArn('orders', 2));
  });
});

describe('throttling', () => {
  it('a throttled event fails (after the SDK retries) and its retry converges', async () => {
    const source = h.ecs.seed(sourceInput());
    h.ecs.addService('prod', 'orders', source);
    h.ecs.throttleNext('UpdateService');
    await expect(h.handler(updateServiceEvent('prod', 'orders', source))).rejects.toThrow('Rate exceeded');
    expect(h.audits().at(-1)).toEqual({ type: AUDIT_DETAIL_TYPES.failed, detail: { trigger: 'UpdateService', error: 'ThrottlingException: Rate exceeded' } });
    await h.handler(updateServiceEvent('prod', 'orders', source));
    expectConverged(source, [['prod', 'orders']]);
  });

  it('a throttled batch in a sweep is reported and the rest of the sweep goes on', async () => {
    const sources = [h.ecs.seed(sourceInput('a')), h.ecs.seed(sourceInput('b'))];
    for (let i = 0; i < 20; i++) h.ecs.addService('prod', `s${i}`, sources[i % 2]!);
    h.ecs.throttleNext('DescribeServices');
    const { result } = (await h.handler(sweepEvent())) as { result: { outcomes: Record<string, number> } };
    expect(result.outcomes).toEqual({ moved: 10, unchanged: 0, skipped: 0, refused: 0, failed: 10 });
    await h.handler(sweepEvent());
    for (const source of sources) expect(twinsOf(source)).toHaveLength(1);
    for (let i = 0; i < 20; i++) expect(h.ecs.serviceTaskDefinition('prod', `s${i}`)).toBe(twinsOf(sources[i % 2]!)[0]);
  });
});

describe('sweep', () => {
  it('pages every cluster and service, describes 10 at a time and moves only what it should', async () => {
    const opted = h.ecs.seed(sourceInput('web'));
    const plain = h.ecs.seed(plainInput('batch'));
    const refused = h.ecs.seed(sourceInput('legacy', { taskRoleArn: undefined }));
    for (const cluster of ['c1', 'c2', 'c3']) {
      for (let i = 0; i < 250; i++) h.ecs.addService(cluster, `svc-${i}`, i % 5 === 0 ? opted : i % 5 === 1 ? refused : plain);
    }
    h.ecs.addService('c1', 'blue-green', opted, 'CODE_DEPLOY');
    for (let i = 0; i < 105; i++) h.ecs.addCluster(`empty-${i}`);

    const { result } = (await h.handler(sweepEvent())) as { result: { clusters: number; services: number; outcomes: Record<string, number> } };

    expect(result.clusters).toBe(108);
    expect(result.services).toBe(751);
    expect(result.outcomes).toEqual({ moved: 150, unchanged: 450, skipped: 1, refused: 150, failed: 0 });
    expect(h.ecs.calls('ListClusters')).toEqual([
      ['ListClusters', { maxResults: 100 }],
      ['ListClusters', { maxResults: 100, nextToken: '100' }],
    ]);
    expect(h.ecs.calls('ListServices').filter(([, input]) => (input as { cluster: string }).cluster === clusterArn('c1'))).toHaveLength(3);
    for (const [, input] of h.ecs.calls('DescribeServices')) expect((input as { services: string[] }).services.length).toBeLessThanOrEqual(10);
    expect(h.ecs.calls('RegisterTaskDefinition')).toHaveLength(1);
    expect(h.ecs.calls('DescribeTaskDefinition')).toHaveLength(3); // each revision once
    expectConverged(opted, []);
    expect(h.audits().filter((a) => a.type === AUDIT_DETAIL_TYPES.serviceSkipped)).toHaveLength(1);
    expect(h.audits().filter((a) => a.type === AUDIT_DETAIL_TYPES.refused)).toHaveLength(1);

    h.ecs.clearLog();
    await h.handler(sweepEvent());
    expect(h.ecs.calls().filter(([name]) => !name.startsWith('Describe') && !name.startsWith('List'))).toEqual([]);
  });

  it('watches only CLUSTERS when set', async () => {
    h.restore();
    h = harness({ clusters: ['prod'] });
    const source = h.ecs.seed(sourceInput());
    h.ecs.addService('prod', 'a', source);
    h.ecs.addService('staging', 'b', source);
    await h.handler(sweepEvent());
    expect(h.ecs.calls('ListClusters')).toEqual([]);
    expect(h.ecs.serviceTaskDefinition('prod', 'a')).not.toBe(source);
    expect(h.ecs.serviceTaskDefinition('staging', 'b')).toBe(source);
  });

  it('moves services from a superseded twin after the settings changed', async () => {
    const source = h.ecs.seed(sourceInput());
    h.ecs.addService('prod', 'orders', source);
    await h.handler(updateServiceEvent('prod', 'orders', source));
    const oldTwin = h.ecs.serviceTaskDefinition('prod', 'orders')!;
    h.ecs.taskDefinitions.get(source)!.tags.push({ key: 'sigv4-sidecar/log-level', value: 'warn' });
    await h.handler(tagEvent(source, [{ key: 'sigv4-sidecar/log-level', value: 'warn' }]));
    await h.handler(sweepEvent());
    const newTwin = h.ecs.tagsOf(source)[RESERVED_TAGS.twin]!;
    expect(newTwin).not.toBe(oldTwin);
    expect(h.ecs.serviceTaskDefinition('prod', 'orders')).toBe(newTwin);
    expect(h.ecs.calls('RegisterTaskDefinition')).toHaveLength(2);
  });

  it('stops starting work at the deadline and says the sweep is incomplete', async () => {
    const source = h.ecs.seed(sourceInput());
    for (let i = 0; i < 30; i++) h.ecs.addService('prod', `s${i}`, source);
    const { result } = (await h.handler(sweepEvent(), { getRemainingTimeInMillis: () => 1_000 })) as { result: { complete: boolean; outcomes: Record<string, number> } };
    expect(result.complete).toBe(false);
    expect(h.ecs.calls('UpdateService')).toEqual([]);
  });
});

describe('deregistration', () => {
  it('deregistering the source deregisters its twin; later sweeps do not bring it back', async () => {
    const source = h.ecs.seed(sourceInput());
    h.ecs.addService('prod', 'orders', source);
    await h.handler(updateServiceEvent('prod', 'orders', source));
    const twin = h.ecs.tagsOf(source)[RESERVED_TAGS.twin]!;
    h.ecs.taskDefinitions.get(source)!.taskDefinition.status = 'INACTIVE';
    await h.handler(deregisterEvent(source));
    await h.handler(deregisterEvent(source));
    await h.handler(sweepEvent());
    expect(h.ecs.taskDefinitions.get(twin)!.taskDefinition.status).toBe('INACTIVE');
    expect(h.ecs.calls('DeregisterTaskDefinition')).toHaveLength(1);
    expect(h.ecs.calls('RegisterTaskDefinition')).toHaveLength(1);
    // The running service keeps its (now INACTIVE) twin, as ECS allows.
    expect(h.ecs.serviceTaskDefinition('prod', 'orders')).toBe(twin);
  });

  it("the operator's own deregistration of the twin changes nothing", async () => {
    const source = h.ecs.seed(sourceInput());
    await h.handler(registerEvent(source));
    const twin = h.ecs.tagsOf(source)[RESERVED_TAGS.twin]!;
    h.ecs.taskDefinitions.get(twin)!.taskDefinition.status = 'INACTIVE';
    h.ecs.clearLog();
    await h.handler(deregisterEvent(twin));
    expect(h.ecs.calls().map(([name]) => name)).toEqual(['DescribeTaskDefinition']);
  });
});
