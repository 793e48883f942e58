// Read-only helpers over a RegisterTaskDefinition input that tolerate a malformed one: the
// rules run beside the model validator and must report, never throw, on what it rejects.
import { ROOT_PATH, childPath, indexPath } from '../model/violation';
import type { ContainerDefinition, RegisterInput } from '../types';

export interface ContainerAt {
  container: ContainerDefinition;
  index: number;
  /** JSON path of the container, e.g. `$.containerDefinitions[1]`. */
  path: string;
}

export const CONTAINERS_PATH = childPath(ROOT_PATH, 'containerDefinitions');

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The containers that are objects, with their index and path. */
export function containersOf(input: RegisterInput): ContainerAt[] {
  const list: unknown = input.containerDefinitions;
  if (!Array.isArray(list)) return [];
  return list.flatMap((container: unknown, index) =>
    isRecord(container) ? [{ container: container as ContainerDefinition, index, path: indexPath(CONTAINERS_PATH, index) }] : [],
  );
}

/** The list at `value`, or none when it is absent or not a list. */
export function listOf<T>(value: readonly T[] | undefined): readonly T[] {
  return Array.isArray(value) ? value : [];
}

/** First container of each name: a duplicate name is reported on its own. */
export function containersByName(containers: ContainerAt[]): Map<string, ContainerAt> {
  const byName = new Map<string, ContainerAt>();
  for (const at of containers) {
    const name = at.container.name;
    if (typeof name === 'string' && !byName.has(name)) byName.set(name, at);
  }
  return byName;
}

/** ECS treats a container as essential unless it says `essential: false`. */
export const isEssential = (container: ContainerDefinition): boolean => container.essential !== false;

/** `networkMode` absent means bridge. */
export const networkModeOf = (input: RegisterInput): string => input.networkMode ?? 'bridge';

export const isFargate = (input: RegisterInput): boolean => listOf(input.requiresCompatibilities).includes('FARGATE');

export const nameOf = (at: ContainerAt): string =>
  typeof at.container.name === 'string' ? JSON.stringify(at.container.name) : `containerDefinitions[${at.index}]`;
