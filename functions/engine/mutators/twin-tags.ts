// The twin carries the source's tags (not AWS's, not our reserved ones) and records what it is:
// the source it came from and a fingerprint of everything that made it.
import { fingerprintOf } from '../canonical';
import { ENGINE_VERSION, RESERVED_TAGS } from '../constants';
import { userTags } from '../document';
import type { SourceIdentity } from '../types';
import type { Mutator } from './context';

export function sourceReference(identity: SourceIdentity): string {
  if (identity.arn) return identity.arn;
  return identity.revision !== undefined ? `${identity.family}:${identity.revision}` : identity.family;
}

export const recordTwinTags: Mutator = (draft, context) => {
  const tags = [...userTags(draft.twin.tags ?? []), { key: RESERVED_TAGS.source, value: sourceReference(context.identity) }];
  draft.twin.tags = tags;
  // Everything the twin is made of, including which image config it used, is in the twin itself.
  const fingerprint = fingerprintOf({ engine: ENGINE_VERSION, twin: draft.twin });
  draft.twin.tags = [...tags, { key: RESERVED_TAGS.fingerprint, value: fingerprint }];
  draft.changes.push(`tags ${RESERVED_TAGS.source}=${sourceReference(context.identity)} and ${RESERVED_TAGS.fingerprint}=${fingerprint.slice(0, 12)}…`);
};
