// Small edits on one container definition that several mutators (and strip) share.
import type { ContainerDefinition } from '../types';

export function envValue(container: ContainerDefinition, name: string): string | undefined {
  return container.environment?.find((variable) => variable.name === name)?.value;
}

/** Appends variables in the given order, leaving the container's own variables where they are. */
export function appendEnv(container: ContainerDefinition, variables: ReadonlyArray<[string, string | undefined]>): void {
  const added = variables
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([name, value]) => ({ name, value }));
  if (added.length > 0) container.environment = [...(container.environment ?? []), ...added];
}

export function removeEnv(container: ContainerDefinition, remove: (name: string) => boolean): void {
  if (!container.environment) return;
  container.environment = container.environment.filter((variable) => !remove(variable.name ?? ''));
}

/** Start after the sidecar is healthy: Envoy listens and its firewall is in place. */
export function dependOnSidecar(container: ContainerDefinition, sidecarName: string): void {
  const others = (container.dependsOn ?? []).filter((dependency) => dependency.containerName !== sidecarName);
  container.dependsOn = [...others, { containerName: sidecarName, condition: 'HEALTHY' }];
}

export function linkToSidecar(container: ContainerDefinition, sidecarName: string): void {
  const others = (container.links ?? []).filter((link) => link.split(':')[0] !== sidecarName);
  container.links = [...others, sidecarName];
}

/** The kit in the sidecar image is a Docker VOLUME: volumesFrom mounts it at the same path. */
export function mountKitFromSidecar(container: ContainerDefinition, sidecarName: string): void {
  const others = (container.volumesFrom ?? []).filter((volume) => volume.sourceContainer !== sidecarName);
  container.volumesFrom = [...others, { sourceContainer: sidecarName, readOnly: true }];
}

/** Removes every reference to the sidecar: links, dependsOn, volumesFrom. */
export function forgetSidecar(container: ContainerDefinition, sidecarName: string): void {
  if (container.links) container.links = container.links.filter((link) => link.split(':')[0] !== sidecarName);
  if (container.dependsOn) {
    container.dependsOn = container.dependsOn.filter((dependency) => dependency.containerName !== sidecarName);
  }
  if (container.volumesFrom) {
    container.volumesFrom = container.volumesFrom.filter((volume) => volume.sourceContainer !== sidecarName);
  }
}
