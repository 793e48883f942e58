// The reconciliation sweep over 10 clusters x 1,000 services against a fake ECS that enforces
// the documented rate limits, on a simulated clock (the real run would take minutes). The
// lower bound is what the token buckets allow for the calls the sweep cannot avoid.
import { RESERVED_TAGS } from '../../functions/engine/constants';
import { DESCRIBE_SERVICES_BATCH, LIST_PAGE_SIZE } from '../../functions/operator/ecs';
import { ECS_RATE_LIMITS, type EcsRateFamily } from '../../functions/operator/rate-limits';
import { fixture, plainInput, registerEvent, sourceInput } from '../../test/operator/inputs';
import { simulate } from './simulation';

const CLUSTERS = 10;
const SERVICES_PER_CLUSTER = 1_000;
const LATENCY_MS = 20;
const LAMBDA_TIMEOUT_MS = 900_000;

export interface SweepScenario {
  name: string;
  /** Opted-in sources that already have a twin, and plain revisions. */
  linkedSources: number;
  unlinkedSources: number;
  plainRevisions: number;
  /** Services per cluster still on an opted-in source (lost events). */
  driftedPerCluster: number;
}

export interface SweepResult {
  scenario: string;
  services: number;
  simulatedSeconds: number;
  boundSeconds: number;
  boundFamily: EcsRateFamily;
  ratio: number;
  throttled: number;
  moved: number;
  wallSeconds: number;
}

/** Seconds a token bucket needs for `calls` calls: the burst is free, the rest at the rate. */
function bucketSeconds(family: EcsRateFamily, calls: number): number {
  const { burst, perSecond } = ECS_RATE_LIMITS[family];
  return Math.max(0, calls - burst) / perSecond;
}

export async function measureSweep(scenario: SweepScenario): Promise<SweepResult> {
  const sim = simulate({ latencyMs: LATENCY_MS, enforceLimits: true });
  const wallStart = performance.now();
  try {
    // Sources whose twins exist, registered by the operator itself.
    const linked = Array.from({ length: scenario.linkedSources }, (_, i) => sim.ecs.seed(sourceInput(`linked-${i}`)));
    for (const source of linked) await sim.clock.run(() => sim.handler(registerEvent(source)));
    const twins = linked.map((source) => sim.ecs.tagsOf(source)[RESERVED_TAGS.twin]!);
    const unlinked = Array.from({ length: scenario.unlinkedSources }, (_, i) => sim.ecs.seed(sourceInput(`unlinked-${i}`)));
    const plain = Array.from({ length: scenario.plainRevisions }, (_, i) => sim.ecs.seed(plainInput(`plain-${i}`)));
    const drifting = [...linked, ...unlinked];

    for (let c = 0; c < CLUSTERS; c++) {
      for (let s = 0; s < SERVICES_PER_CLUSTER; s++) {
        const n = c * SERVICES_PER_CLUSTER + s;
        const taskDefinition =
          s < scenario.driftedPerCluster ? drifting[n % drifting.length]! : s % 2 === 0 ? twins[n % twins.length]! : plain[n % plain.length]!;
        sim.ecs.addService(`cluster-${c}`, `service-${s}`, taskDefinition);
      }
    }
    // Let every bucket refill before the measured sweep.
    await sim.clock.run(() => sim.clock.sleep(120_000));
    sim.ecs.clearLog();
    sim.throttled = 0;

    const start = sim.clock.now();
    const outcome = (await sim.clock.run(() =>
      sim.handler(fixture('scheduled-event'), { getRemainingTimeInMillis: () => LAMBDA_TIMEOUT_MS }),
    )) as { result: { outcomes: Record<string, number>; complete: boolean } };
    const simulatedSeconds = (sim.clock.now() - start) / 1000;

    // The calls no sweep can avoid, per bucket.
    const services = CLUSTERS * SERVICES_PER_CLUSTER;
    const drifted = CLUSTERS * scenario.driftedPerCluster;
    const describedRevisions = new Set(
      [...sim.ecs.clusters.values()].flatMap((svcs) => [...svcs.values()].map((svc) => svc.taskDefinition!)),
    ).size;
    const minimum: Record<EcsRateFamily, number> = {
      serviceRead: CLUSTERS * (Math.ceil(SERVICES_PER_CLUSTER / LIST_PAGE_SIZE) + Math.ceil(SERVICES_PER_CLUSTER / DESCRIBE_SERVICES_BATCH)),
      // ListClusters, each revision the services run, and the source of each twin they run.
      otherRead: Math.ceil(CLUSTERS / LIST_PAGE_SIZE) + describedRevisions + Math.min(twins.length, describedRevisions),
      serviceWrite: drifted,
      taskDefinitionWrite: Math.min(scenario.unlinkedSources, drifted),
      tagging: 2 * Math.min(scenario.unlinkedSources, drifted),
    };
    const [boundFamily, boundSeconds] = (Object.keys(minimum) as EcsRateFamily[])
      .map((family) => [family, bucketSeconds(family, minimum[family])] as const)
      .reduce((a, b) => (b[1] > a[1] ? b : a));
    if (!outcome.result.complete) throw new Error('the sweep did not finish within the Lambda timeout');
    return {
      scenario: scenario.name,
      services,
      simulatedSeconds,
      boundSeconds,
      boundFamily,
      ratio: simulatedSeconds / boundSeconds,
      throttled: sim.throttled,
      moved: outcome.result.outcomes.moved ?? 0,
      wallSeconds: (performance.now() - wallStart) / 1000,
    };
  } finally {
    sim.restore();
  }
}

export const SWEEP_SCENARIOS: SweepScenario[] = [
  { name: 'converged fleet (nothing to move)', linkedSources: 100, unlinkedSources: 0, plainRevisions: 50, driftedPerCluster: 0 },
  { name: 'drifted fleet (1,000 services to move, 20 twins to create)', linkedSources: 100, unlinkedSources: 20, plainRevisions: 50, driftedPerCluster: 100 },
];
