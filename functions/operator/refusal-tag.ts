// The refusal recorded on a source: the refusal codes, space separated (tag values allow no
// commas or quotes; the full messages go to the audit event and the log).
import type { Refusal } from '../engine/types';

const TAG_VALUE_MAX = 256;

export function refusalTagValue(reasons: readonly Refusal[]): string {
  return [...new Set(reasons.map((reason) => reason.code))].sort().join(' ').slice(0, TAG_VALUE_MAX);
}
