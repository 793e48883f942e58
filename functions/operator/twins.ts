// One twin per source and fingerprint, whatever the order, repetition or interruption of events.
//
// Tags on the source say how far the operator got:
//   intent=F                 it was about to register the twin with fingerprint F;
//   twin=T, twin-fingerprint=F   (one TagResource call) T is the twin with fingerprint F.
// The link is current when twin-fingerprint equals the engine's fingerprint: one describe, no
// write. Without an intent for F, no twin for F can exist, so the operator registers at once.
// With intent=F but no current link, a crash may have left a twin behind: only then does it
// look for one among the family's newer ACTIVE revisions before registering.
import { RESERVED_TAGS } from '../engine/constants';
import { containersNeedingImageConfig, inject, isOptedIn, isTwin, parseDocument, parseTaskDefinitionArn, twinSourceOf } from '../engine/index';
import { tagValue } from '../engine/document';
import type { Injected, Refusal, Tag, TaskDefinitionDocument } from '../engine/types';
import type { OperatorContext } from './context';
import type { DescribedTaskDefinition } from './ecs';
import { latticeInvokeWarning, roleArnOf } from './iam-preflight';
import { resolveImageConfigs } from './image-config';
import { refusalTagValue } from './refusal-tag';

export type TwinOutcome =
  | { kind: 'twin'; twinArn: string; registered: boolean }
  | { kind: 'is-twin'; sourceArn: string }
  | { kind: 'not-opted-in' }
  | { kind: 'inactive' }
  | { kind: 'refused'; reasons: Refusal[] };

export interface EnsureOptions {
  /** What triggered the work, for the audit trail. */
  trigger: string;
  /** The linked twin turned out INACTIVE: make a new one even though the link looks current. */
  replaceInactiveLink?: boolean;
}

const tag = tagValue;
const revisionOf = (arn: string) => parseTaskDefinitionArn(arn)?.revision ?? 0;
const familyOf = (arn: string) => parseTaskDefinitionArn(arn)?.family;

export async function ensureTwin(ctx: OperatorContext, described: DescribedTaskDefinition, options: EnsureOptions): Promise<TwinOutcome> {
  const doc = parseDocument(described);
  const sourceArn = described.taskDefinition?.taskDefinitionArn ?? doc.source.family;
  if (isTwin(doc)) return { kind: 'is-twin', sourceArn: twinSourceOf(doc)! };
  if (described.taskDefinition?.status !== 'ACTIVE') return { kind: 'inactive' };
  if (!isOptedIn(doc)) return { kind: 'not-opted-in' };

  const images = await resolveImageConfigs(
    ctx.images,
    containersNeedingImageConfig(doc, ctx.settings),
    doc.register.runtimePlatform?.cpuArchitecture,
  );
  const result = inject(doc, ctx.settings, { imageConfigs: images.configs });
  if (result.outcome === 'refused') {
    // Why the registry could not tell the start command comes first: it is the actionable part.
    const reasons = [...images.reasons, ...result.reasons];
    await recordRefusal(ctx, sourceArn, described.tags, reasons, result.warnings, options.trigger);
    return { kind: 'refused', reasons };
  }
  // The engine managed without an unreadable config (e.g. only USER was unknown): say so.
  result.warnings.push(...images.reasons.map((reason) => reason.message));

  const tags = described.tags;
  const linked = tag(tags, RESERVED_TAGS.twin);
  if (linked && tag(tags, RESERVED_TAGS.twinFingerprint) === result.fingerprint && !options.replaceInactiveLink) {
    // Finishes a link step that was cut off before the refusal tag came off.
    if (tag(tags, RESERVED_TAGS.refused) !== undefined) await ctx.ecs.untag(sourceArn, [RESERVED_TAGS.refused]);
    return { kind: 'twin', twinArn: linked, registered: false };
  }
  if (tag(tags, RESERVED_TAGS.intent) === result.fingerprint) {
    const found = await findUnlinkedTwin(ctx, sourceArn, result.fingerprint);
    if (found) {
      ctx.logger.info('found the twin of an interrupted registration', { source: sourceArn, twin: found });
      await link(ctx, sourceArn, tags, found, result.fingerprint);
      return { kind: 'twin', twinArn: found, registered: false };
    }
  } else {
    await ctx.ecs.tag(sourceArn, [{ key: RESERVED_TAGS.intent, value: result.fingerprint }]);
  }
  const [twinArn, roleWarning] = await Promise.all([ctx.ecs.registerTaskDefinition(result.twin), preflight(ctx, doc)]);
  await link(ctx, sourceArn, tags, twinArn, result.fingerprint);
  await announce(ctx, sourceArn, twinArn, result, roleWarning, options.trigger);
  return { kind: 'twin', twinArn, registered: true };
}

async function link(ctx: OperatorContext, sourceArn: string, tags: readonly Tag[] | undefined, twinArn: string, fingerprint: string): Promise<void> {
  await ctx.ecs.tag(sourceArn, [
    { key: RESERVED_TAGS.twin, value: twinArn },
    { key: RESERVED_TAGS.twinFingerprint, value: fingerprint },
  ]);
  if (tag(tags, RESERVED_TAGS.refused) !== undefined) await ctx.ecs.untag(sourceArn, [RESERVED_TAGS.refused]);
}

/** A twin of `sourceArn` with `fingerprint` among the family's ACTIVE revisions newer than it. */
async function findUnlinkedTwin(ctx: OperatorContext, sourceArn: string, fingerprint: string): Promise<string | undefined> {
  const family = familyOf(sourceArn)!;
  const sourceRevision = revisionOf(sourceArn);
  // familyPrefix also matches longer family names: keep the exact family only.
  for await (const page of ctx.ecs.listTaskDefinitionsNewestFirst(family)) {
    for (const arn of page) {
      if (familyOf(arn) !== family) continue;
      if (revisionOf(arn) <= sourceRevision) return undefined;
      const candidate = await ctx.ecs.describeTaskDefinition(arn);
      if (tag(candidate?.tags, RESERVED_TAGS.source) === sourceArn && tag(candidate?.tags, RESERVED_TAGS.fingerprint) === fingerprint) {
        return arn;
      }
    }
  }
  return undefined;
}

async function preflight(ctx: OperatorContext, doc: TaskDefinitionDocument): Promise<string | undefined> {
  const role = doc.register.taskRoleArn;
  const roleArn = role ? roleArnOf(role, doc.source.arn) : undefined;
  return roleArn ? latticeInvokeWarning(ctx.iam, roleArn) : undefined;
}

async function announce(
  ctx: OperatorContext,
  sourceArn: string,
  twinArn: string,
  result: Injected,
  roleWarning: string | undefined,
  trigger: string,
): Promise<void> {
  await ctx.audit('twinRegistered', {
    source: sourceArn,
    twin: twinArn,
    fingerprint: result.fingerprint,
    changes: result.changes,
    warnings: result.warnings,
    trigger,
  });
  const warnings = roleWarning ? [...result.warnings, roleWarning] : result.warnings;
  if (roleWarning) await ctx.audit('warning', { source: sourceArn, twin: twinArn, warnings, trigger });
}

/** Tag and report a refusal once: an unchanged refusal tag means it was reported already. */
async function recordRefusal(
  ctx: OperatorContext,
  sourceArn: string,
  tags: readonly Tag[] | undefined,
  reasons: Refusal[],
  warnings: string[],
  trigger: string,
): Promise<void> {
  const value = refusalTagValue(reasons);
  if (tag(tags, RESERVED_TAGS.refused) === value) return;
  await ctx.ecs.tag(sourceArn, [{ key: RESERVED_TAGS.refused, value }]);
  await ctx.audit('refused', { source: sourceArn, reasons, warnings, trigger });
}
