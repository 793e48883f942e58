// Dispatches one EventBridge event. Ignored events cost one log line. Failures are audited;
// AWS errors are rethrown so Lambda retries the event (every step is safe to repeat), while
// errors of ours (unreadable task definitions) would fail the same way again and are not.
import type { Context } from 'aws-lambda';
import { Sigv4SidecarError } from '../engine/errors';
import type { OperatorContext } from './context';
import { handleDeregistration } from './deregister';
import { classifyEvent, type OperatorAction } from './events';
import { Reconciler } from './reconciler';
import { clusterNameOf, handleServiceEvent } from './services';
import { sweep } from './sweep';

/** Time kept free at the end of an invocation for the sweep to finish what it started. */
export const SWEEP_RESERVE_MS = 60_000;
/** Sweep budget when no Lambda context tells the remaining time (Lambda's maximum timeout). */
const DEFAULT_BUDGET_MS = 900_000;
const MESSAGE_MAX = 500;

type LambdaContext = Pick<Context, 'getRemainingTimeInMillis'>;

function isWatched(ctx: OperatorContext, cluster: string): boolean {
  return !ctx.clusters || ctx.clusters.map(clusterNameOf).includes(clusterNameOf(cluster));
}

async function act(ctx: OperatorContext, action: Exclude<OperatorAction, { kind: 'ignore' }>, run: Reconciler, context?: LambdaContext) {
  switch (action.kind) {
    case 'sweep': {
      const budget = context ? context.getRemainingTimeInMillis() : DEFAULT_BUDGET_MS;
      const report = await sweep(run, ctx.clock.now() + Math.max(0, budget - SWEEP_RESERVE_MS));
      ctx.logger.info('sweep finished', { report });
      return report;
    }
    case 'source': {
      const described = await run.describe(action.taskDefinition);
      return described ? (await run.twinOf(described)).kind : 'unknown task definition';
    }
    case 'service':
      if (!isWatched(ctx, action.cluster)) return 'cluster not watched';
      return handleServiceEvent(run, action.cluster, action.service, action.taskDefinition);
    case 'deregister':
      return handleDeregistration(run, action.taskDefinition);
  }
}

export function createHandler(ctx: OperatorContext) {
  return async (event: unknown, context?: LambdaContext): Promise<unknown> => {
    const action = classifyEvent(event);
    if (action.kind === 'ignore') {
      ctx.logger.info('event ignored', { reason: action.reason });
      return { ignored: action.reason };
    }
    const trigger = action.kind === 'sweep' ? 'sweep' : action.eventName;
    const run = new Reconciler(ctx, trigger);
    try {
      const result = await act(ctx, action, run, context);
      return { trigger, result };
    } catch (error) {
      const { name, message } = error as Error;
      await ctx.audit('failed', { trigger, error: `${name}: ${String(message).slice(0, MESSAGE_MAX)}` });
      if (error instanceof Sigv4SidecarError) return { trigger, failed: name };
      throw error;
    }
  };
}
