// Every ECS request the operator sends, in a flow that uses all of them, is valid against the
// ECS API model (required members, enums, patterns, lengths).
import { afterEach, expect, it } from 'vitest';
import { RESERVED_TAGS } from '../../functions/engine/constants';
import { validateAgainstModel } from '../../functions/engine/index';
import { VALIDATED_OPERATIONS } from '../../functions/engine/model/operations';
import { SimulatedCrash } from './fake-ecs';
import { deregisterEvent, fixture, harness, registerEvent, sourceInput, updateServiceEvent, type Harness } from './harness';

let h: Harness;
afterEach(() => h.restore());

it('sends only requests the ECS model accepts, for every operation it uses', async () => {
  h = harness();
  const source = h.ecs.seed(sourceInput('orders', { tags: [{ key: 'sigv4-sidecar', value: 'true' }, { key: 'sigv4-sidecar/mode', value: 'bogus' }] }));
  await h.handler(registerEvent(source)); // refused: tags the source
  h.ecs.taskDefinitions.get(source)!.tags = h.ecs.taskDefinitions.get(source)!.tags.filter((t) => t.key !== 'sigv4-sidecar/mode');
  h.ecs.addService('prod', 'orders', source);
  h.ecs.crashAfter('RegisterTaskDefinition');
  await expect(h.handler(updateServiceEvent('prod', 'orders', source))).rejects.toBeInstanceOf(SimulatedCrash);
  await h.handler(fixture('scheduled-event')); // recovery: list, link, untag the refusal, move
  h.ecs.taskDefinitions.get(source)!.taskDefinition.status = 'INACTIVE';
  await h.handler(deregisterEvent(source));

  const operations = new Set(h.ecs.calls().map(([name]) => name));
  expect([...operations].sort()).toEqual([...VALIDATED_OPERATIONS].sort());
  for (const [operation, input] of h.ecs.calls()) {
    expect({ operation, violations: validateAgainstModel(operation, input) }).toEqual({ operation, violations: [] });
  }
  expect(h.ecs.tagsOf(source)[RESERVED_TAGS.refused]).toBeUndefined();
});
