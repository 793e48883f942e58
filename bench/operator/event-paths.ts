// ECS calls on the critical path of each event type: the number of sequential round trips
// (measured as simulated elapsed time / per-call latency) and the total number of calls.
import { RESERVED_TAGS } from '../../functions/engine/constants';
import { deregisterEvent, fixture, plainInput, registerEvent, sourceInput, tagEvent, updateServiceEvent } from '../../test/operator/inputs';
import { simulate, type Simulation } from './simulation';

const LATENCY_MS = 10;

export interface PathResult {
  path: string;
  depth: number;
  calls: number;
  minimum: number;
  why: string;
}

interface PathCase {
  path: string;
  minimum: number;
  why: string;
  /** Prepares state, returns the event to measure. */
  arrange(sim: Simulation): Promise<unknown>;
}

async function registeredSource(sim: Simulation, family = 'orders'): Promise<{ source: string; twin: string }> {
  const source = sim.ecs.seed(sourceInput(family));
  await sim.clock.run(() => sim.handler(registerEvent(source)));
  return { source, twin: sim.ecs.tagsOf(source)[RESERVED_TAGS.twin]! };
}

const cases: PathCase[] = [
  {
    path: 'RegisterTaskDefinition, new opted-in revision',
    minimum: 4,
    why: 'read; intent tag (crash safety); register; link tag',
    arrange: async (sim) => registerEvent(sim.ecs.seed(sourceInput('orders'))),
  },
  {
    path: 'RegisterTaskDefinition, duplicate event',
    minimum: 1,
    why: 'read (link current)',
    arrange: async (sim) => registerEvent((await registeredSource(sim)).source),
  },
  {
    path: "RegisterTaskDefinition, operator's own twin",
    minimum: 1,
    why: 'read (it is a twin)',
    arrange: async (sim) => registerEvent((await registeredSource(sim)).twin),
  },
  {
    path: 'RegisterTaskDefinition, not opted in',
    minimum: 1,
    why: 'read',
    arrange: async (sim) => registerEvent(sim.ecs.seed(plainInput('plain'))),
  },
  {
    path: 'UpdateService, twin exists',
    minimum: 2,
    why: 'read service and revision (parallel); UpdateService',
    arrange: async (sim) => {
      const { source } = await registeredSource(sim);
      sim.ecs.addService('prod', 'orders', source);
      return updateServiceEvent('prod', 'orders', source);
    },
  },
  {
    path: 'UpdateService, no twin yet (reordered CloudFormation flow)',
    minimum: 5,
    why: 'reads (parallel); intent; register; link; UpdateService',
    arrange: async (sim) => {
      const source = sim.ecs.seed(sourceInput('orders'));
      sim.ecs.addService('prod', 'orders', source);
      return updateServiceEvent('prod', 'orders', source);
    },
  },
  {
    path: "UpdateService, operator's own move to the twin",
    minimum: 1,
    why: 'reads (parallel)',
    arrange: async (sim) => {
      const { twin } = await registeredSource(sim);
      sim.ecs.addService('prod', 'orders', twin);
      return updateServiceEvent('prod', 'orders', twin);
    },
  },
  {
    path: 'TagResource, opt-in of an existing revision',
    minimum: 4,
    why: 'as a new registration',
    arrange: async (sim) => {
      const arn = sim.ecs.seed(sourceInput('orders'));
      return tagEvent(arn, [{ key: 'sigv4-sidecar', value: 'true' }]);
    },
  },
  {
    path: "TagResource, operator's own link tags",
    minimum: 0,
    why: 'reserved tags only: nothing to read',
    arrange: async (sim) => {
      const { source, twin } = await registeredSource(sim);
      return tagEvent(source, [{ key: RESERVED_TAGS.twin, value: twin }]);
    },
  },
  {
    path: 'DeregisterTaskDefinition of a source',
    minimum: 3,
    why: "read source; read twin (verify it is this source's twin); deregister",
    arrange: async (sim) => {
      const { source } = await registeredSource(sim);
      sim.ecs.taskDefinitions.get(source)!.taskDefinition.status = 'INACTIVE';
      return deregisterEvent(source);
    },
  },
  {
    path: 'failed call (errorCode)',
    minimum: 0,
    why: 'ignored',
    arrange: async () => fixture('register-task-definition-failed'),
  },
];

export async function measureEventPaths(): Promise<PathResult[]> {
  const results: PathResult[] = [];
  for (const c of cases) {
    const sim = simulate({ latencyMs: LATENCY_MS, enforceLimits: false });
    try {
      const event = await c.arrange(sim);
      sim.ecs.clearLog();
      const start = sim.clock.now();
      await sim.clock.run(() => sim.handler(event));
      const depth = (sim.clock.now() - start) / LATENCY_MS;
      results.push({ path: c.path, depth, calls: sim.ecs.calls().length, minimum: c.minimum, why: c.why });
    } finally {
      sim.restore();
    }
  }
  return results;
}
