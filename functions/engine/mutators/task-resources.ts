// Task-level cpu/memory: on EC2 raised by the sidecar's share so the app keeps what it had.
// Fargate sizes are fixed pairs, so there the sidecar's reservation must fit in the task as is.
import type { RegisterInput, ResolvedSettings } from '../types';
import { isFargate, type Mutator } from './context';

export const reserveTaskResources: Mutator = (draft, context) => {
  const { twin } = draft;
  const { cpu, memory } = context.settings;
  if (twin.cpu === undefined && twin.memory === undefined) return;
  if (isFargate(twin)) {
    draft.changes.push(
      `task cpu/memory left at ${twin.cpu ?? '-'}/${twin.memory ?? '-'} (Fargate sizes are fixed pairs); ` +
        `the sidecar reserves ${cpu} CPU units and ${memory} MiB of them`,
    );
    return;
  }
  const raised = shiftTaskResources(twin, context.settings, +1);
  draft.changes.push(`task ${raised.join(', ')} (the sidecar's share)`);
};

/** Adds (+1) or removes (-1) the sidecar's share; returns readable "cpu a → b" notes. */
export function shiftTaskResources(input: RegisterInput, share: Pick<ResolvedSettings, 'cpu' | 'memory'>, sign: 1 | -1): string[] {
  const notes: string[] = [];
  if (input.cpu !== undefined) {
    const next = String(Number(input.cpu) + sign * share.cpu);
    notes.push(`cpu ${input.cpu} → ${next}`);
    input.cpu = next;
  }
  if (input.memory !== undefined) {
    const next = String(Number(input.memory) + sign * share.memory);
    notes.push(`memory ${input.memory} → ${next} MiB`);
    input.memory = next;
  }
  return notes;
}
