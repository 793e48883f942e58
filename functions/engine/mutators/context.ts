// What every mutator gets: the source (read-only), the settings, and a draft twin to edit.
import type { ContainerDefinition, ImageConfig, RegisterInput, ResolvedSettings, SourceIdentity } from '../types';

export interface InjectionContext {
  readonly source: RegisterInput;
  readonly identity: SourceIdentity;
  readonly settings: ResolvedSettings;
  readonly imageConfigs: Readonly<Record<string, ImageConfig>>;
}

export interface Draft {
  twin: RegisterInput;
  changes: string[];
  warnings: string[];
}

/** One concern of injection. Mutators run in order on the same draft. */
export type Mutator = (draft: Draft, context: InjectionContext) => void;

export function containersOf(twin: RegisterInput): ContainerDefinition[] {
  return twin.containerDefinitions ?? [];
}

/** The intercepted containers of the draft, in task definition order. */
export function interceptedContainers(draft: Draft, context: InjectionContext): ContainerDefinition[] {
  const names = new Set(context.settings.containers);
  return containersOf(draft.twin).filter((container) => names.has(container.name ?? ''));
}

export function isFargate(input: RegisterInput): boolean {
  return (input.requiresCompatibilities ?? []).includes('FARGATE');
}
