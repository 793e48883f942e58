// The operator wired to the in-memory ECS of the tests, on a simulated clock, with each ECS call
// taking a fixed latency and ECS's documented token buckets enforced (ThrottlingException when
// a bucket is empty, counted: the operator's own limiter should make that never happen).
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import { eventBridgeAudit } from '../../functions/operator/audit';
import { Ecs } from '../../functions/operator/ecs';
import { createHandler } from '../../functions/operator/handler';
import { ECS_CALL_FAMILY, ECS_RATE_LIMITS, ecsLimiter, type EcsRateFamily } from '../../functions/operator/rate-limits';
import { FakeEcs, REGION, awsError } from '../../test/operator/fake-ecs';
import { SIDECAR_IMAGE } from '../../test/operator/inputs';
import { VirtualClock } from '../virtual-clock';


/** ECS's side of a token bucket: admits a call, or the caller gets ThrottlingException. */
class EnforcedBucket {
  private tokens: number;
  private updatedAt: number;
  constructor(
    private readonly family: EcsRateFamily,
    private readonly clock: VirtualClock,
  ) {
    this.tokens = ECS_RATE_LIMITS[family].burst;
    this.updatedAt = clock.now();
  }
  /** True when ECS would have accepted the call now. */
  admit(): boolean {
    const { burst, perSecond } = ECS_RATE_LIMITS[this.family];
    const now = this.clock.now();
    this.tokens = Math.min(burst, this.tokens + ((now - this.updatedAt) / 1000) * perSecond);
    this.updatedAt = now;
    // A small tolerance for floating point; ECS itself refills in whole tokens.
    if (this.tokens < 1 - 1e-9) return false;
    this.tokens -= 1;
    return true;
  }
}

export interface Simulation {
  ecs: FakeEcs;
  clock: VirtualClock;
  handler: ReturnType<typeof createHandler>;
  throttled: number;
  restore(): void;
}

export function simulate(options: { latencyMs: number; enforceLimits: boolean; clusters?: string[] }): Simulation {
  const clock = new VirtualClock();
  const ecs = new FakeEcs();
  const sim: Simulation = {
    ecs,
    clock,
    throttled: 0,
    handler: undefined as never,
    restore: () => {
      ecs.restore();
      ecr.restore();
      iam.restore();
      events.restore();
    },
  };
  const buckets = new Map<EcsRateFamily, EnforcedBucket>();
  ecs.beforeCall = async (name) => {
    if (options.enforceLimits) {
      const family = ECS_CALL_FAMILY[name];
      if (!buckets.has(family)) buckets.set(family, new EnforcedBucket(family, clock));
      if (!buckets.get(family)!.admit()) {
        sim.throttled += 1;
        throw awsError('ThrottlingException', 'Rate exceeded');
      }
    }
    await clock.sleep(options.latencyMs);
  };
  const ecr = mockClient(ECRClient);
  const iam = mockClient(IAMClient);
  iam.on(SimulatePrincipalPolicyCommand).resolves({ EvaluationResults: [{ EvalActionName: 'vpc-lattice-svcs:Invoke', EvalDecision: 'allowed' }] });
  const events = mockClient(EventBridgeClient);
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
  const logger = new Logger({ serviceName: 'bench', logLevel: 'SILENT' });
  sim.handler = createHandler({
    ecs: new Ecs(new ECSClient({ region: REGION }), ecsLimiter(clock)),
    iam: new IAMClient({ region: REGION }),
    images: { ecr: () => new ECRClient({ region: REGION }), fetch },
    audit: eventBridgeAudit(new EventBridgeClient({ region: REGION }), logger),
    logger,
    clock,
    settings: { sidecarImage: SIDECAR_IMAGE, defaultRegion: REGION },
    ...(options.clusters ? { clusters: options.clusters } : {}),
  });
  return sim;
}
