// The token buckets that keep the operator within ECS's documented rates.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../functions/operator/clock';
import { ECS_CALL_FAMILY, ECS_RATE_LIMITS, ecsLimiter, TokenBucket } from '../../functions/operator/rate-limits';

/** A clock that only moves when someone sleeps. */
function manualClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe('TokenBucket', () => {
  it('gives the burst at once, then one token per 1/rate seconds, in order', async () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ burst: 3, perSecond: 2 }, clock);
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3, 4].map((i) => bucket.take().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(clock.slept).toEqual([500, 500]);
    expect(clock.now()).toBe(1000);
  });

  it('refills up to the burst only', async () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ burst: 2, perSecond: 1 }, clock);
    await clock.sleep(60_000);
    for (let i = 0; i < 3; i++) await bucket.take();
    expect(clock.slept).toEqual([60_000, 1000]);
  });
});

describe('ECS families', () => {
  it('match FACTS.md: Register+Deregister 20/1, UpdateService 50/5, Describe+ListServices 100/20, TagResource 20/10', () => {
    expect(ECS_RATE_LIMITS.taskDefinitionWrite).toEqual({ burst: 20, perSecond: 1 });
    expect(ECS_RATE_LIMITS.serviceWrite).toEqual({ burst: 50, perSecond: 5 });
    expect(ECS_RATE_LIMITS.serviceRead).toEqual({ burst: 100, perSecond: 20 });
    expect(ECS_RATE_LIMITS.tagging).toEqual({ burst: 20, perSecond: 10 });
    expect(ECS_CALL_FAMILY.RegisterTaskDefinition).toBe(ECS_CALL_FAMILY.DeregisterTaskDefinition);
    expect(ECS_CALL_FAMILY.DescribeServices).toBe(ECS_CALL_FAMILY.ListServices);
  });

  it('every ECS command the operator sends is rate limited', () => {
    const source = readFileSync(new URL('../../functions/operator/ecs.ts', import.meta.url), 'utf8');
    const sent = [...source.matchAll(/new (\w+)Command\(/g)].map((m) => m[1]);
    const limited = [...source.matchAll(/this\.limit\('(\w+)'\)/g)].map((m) => m[1]);
    expect(new Set(limited)).toEqual(new Set(sent));
    expect(new Set(sent)).toEqual(new Set(Object.keys(ECS_CALL_FAMILY)));
  });

  it('shares one bucket per family', async () => {
    const clock = manualClock();
    const limit = ecsLimiter(clock, { ...ECS_RATE_LIMITS, serviceRead: { burst: 1, perSecond: 10 } });
    await limit('ListServices');
    await limit('DescribeServices');
    await limit('UpdateService');
    expect(clock.slept).toEqual([100]);
  });
});
