// ECS throttles per account and region with token buckets shared by families of calls
// (FACTS.md, "ECS services and limits"). The operator keeps below them on its own side, so a
// sweep runs at the documented rate instead of bouncing off ThrottlingException.
import type { Clock } from './clock';

export interface BucketLimit {
  /** Tokens available at once (the burst). */
  burst: number;
  /** Tokens added per second (the sustained rate). */
  perSecond: number;
}

export const ECS_RATE_LIMITS = {
  taskDefinitionWrite: { burst: 20, perSecond: 1 },
  serviceWrite: { burst: 50, perSecond: 5 },
  serviceRead: { burst: 100, perSecond: 20 },
  tagging: { burst: 20, perSecond: 10 },
  // Not in FACTS.md: a conservative assumption, to check against the ECS throttling page.
  otherRead: { burst: 20, perSecond: 10 },
} as const satisfies Record<string, BucketLimit>;

export type EcsRateFamily = keyof typeof ECS_RATE_LIMITS;

/** Which bucket each ECS call the operator makes draws from. */
export const ECS_CALL_FAMILY = {
  RegisterTaskDefinition: 'taskDefinitionWrite',
  DeregisterTaskDefinition: 'taskDefinitionWrite',
  UpdateService: 'serviceWrite',
  DescribeServices: 'serviceRead',
  ListServices: 'serviceRead',
  TagResource: 'tagging',
  // Assumed to share the tagging bucket with TagResource.
  UntagResource: 'tagging',
  DescribeTaskDefinition: 'otherRead',
  ListTaskDefinitions: 'otherRead',
  ListClusters: 'otherRead',
} as const satisfies Record<string, EcsRateFamily>;

export type EcsCall = keyof typeof ECS_CALL_FAMILY;

/** A token bucket that hands out tokens in arrival order and waits on the clock when empty. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly limit: BucketLimit,
    private readonly clock: Clock,
  ) {
    this.tokens = limit.burst;
    this.updatedAt = clock.now();
  }

  take(): Promise<void> {
    const turn = this.tail.then(() => this.takeNow());
    this.tail = turn;
    return turn;
  }

  private async takeNow(): Promise<void> {
    this.refill();
    while (this.tokens < 1) {
      await this.clock.sleep(Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.limit.perSecond)));
      this.refill();
    }
    this.tokens -= 1;
  }

  private refill(): void {
    const now = this.clock.now();
    const added = ((now - this.updatedAt) / 1000) * this.limit.perSecond;
    this.tokens = Math.min(this.limit.burst, this.tokens + added);
    this.updatedAt = now;
  }
}

export type EcsLimiter = (call: EcsCall) => Promise<void>;

export function ecsLimiter(clock: Clock, limits: Record<EcsRateFamily, BucketLimit> = ECS_RATE_LIMITS): EcsLimiter {
  const buckets = new Map<EcsRateFamily, TokenBucket>();
  return (call) => {
    const family = ECS_CALL_FAMILY[call];
    let bucket = buckets.get(family);
    if (!bucket) {
      bucket = new TokenBucket(limits[family], clock);
      buckets.set(family, bucket);
    }
    return bucket.take();
  };
}
