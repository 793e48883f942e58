// A deregistered source takes its twin with it. The twin is deregistered only when it really is
// the twin of that source (its own source tag says so): a link tag alone, which anyone who can
// tag could set, never makes the operator deregister someone else's revision.
import { RESERVED_TAGS } from '../engine/constants';
import { isTwin, parseDocument, twinSourceOf } from '../engine/index';
import type { Reconciler } from './reconciler';

export type DeregisterOutcome = 'deregistered' | 'unchanged';

export async function handleDeregistration(run: Reconciler, taskDefinition: string): Promise<DeregisterOutcome> {
  const source = await run.describe(taskDefinition);
  if (!source?.taskDefinition || source.taskDefinition.status === 'ACTIVE') return 'unchanged';
  const sourceArn = source.taskDefinition.taskDefinitionArn;
  if (isTwin(parseDocument(source))) return 'unchanged';
  const twinArn = source.tags?.find((tag) => tag.key === RESERVED_TAGS.twin)?.value;
  if (!twinArn) return 'unchanged';
  const twin = await run.describe(twinArn);
  if (!twin?.taskDefinition || twin.taskDefinition.status !== 'ACTIVE') return 'unchanged';
  const twinDoc = parseDocument(twin);
  if (!isTwin(twinDoc) || twinSourceOf(twinDoc) !== sourceArn) {
    run.ctx.logger.warn('link tag names a revision that is not this source\'s twin; left alone', { source: sourceArn, linked: twinArn });
    return 'unchanged';
  }
  await run.ctx.ecs.deregisterTaskDefinition(twinArn);
  await run.ctx.audit('twinDeregistered', { source: sourceArn, twin: twinArn, trigger: run.trigger });
  return 'deregistered';
}
