// Bridge mode, transparent: every container has its own network namespace, so each intercepted
// container installs its own DNAT. Its entry point becomes the kit's bootstrap, which needs
// NET_ADMIN and root, drops both, and then execs the original argv unchanged.
import {
  BOOTSTRAP_ENV,
  KIT_BOOTSTRAP,
  NET_ADMIN,
  NET_RAW,
  SETPCAP,
  SIDECAR_PORT,
  USER_SWITCH_CAPABILITIES,
} from '../constants';
import type { ContainerDefinition, ImageConfig } from '../types';
import { appendEnv, dependOnSidecar, envValue, linkToSidecar, mountKitFromSidecar } from './container-edits';
import { interceptedContainers, type Mutator } from './context';

/** Fields the engine may fill in from the image config; strip leaves them unset again. */
type ImageField = 'entryPoint' | 'command' | 'user';

export function isRootUser(user: string): boolean {
  const name = user.split(':')[0];
  return name === '0' || name === 'root';
}

/**
 * Docker runs `entryPoint ?? image ENTRYPOINT` followed by `command ?? image CMD`, except that a
 * task definition entryPoint without command drops the image CMD. To wrap the start command we
 * must know the entry point, from the task definition or from the image config.
 */
export function startCommandKnown(container: ContainerDefinition, image: ImageConfig | undefined): boolean {
  return container.entryPoint !== undefined || image !== undefined;
}

/** Needs the image config: start command unknown, or user unknown (the image's USER applies). */
export function needsImageConfig(container: ContainerDefinition): boolean {
  return container.entryPoint === undefined || container.user === undefined;
}

export const wrapForTransparentBridge: Mutator = (draft, context) => {
  const { sidecarName, cidrs, ports } = context.settings;
  for (const container of interceptedContainers(draft, context)) {
    const name = container.name!;
    const image = context.imageConfigs[name];
    const fromImage: ImageField[] = [];
    const notes: string[] = [];

    if (container.entryPoint === undefined) {
      // startCommandKnown() was checked by policy: the image config is here.
      container.entryPoint = [...(image?.entrypoint ?? [])];
      fromImage.push('entryPoint');
      if (container.command === undefined && image?.cmd?.length) {
        container.command = [...image.cmd];
        fromImage.push('command');
      }
      notes.push(`start command taken from the image config (${fromImage.join(', ')})`);
    }
    container.entryPoint = [KIT_BOOTSTRAP, ...container.entryPoint];
    notes.push(`entryPoint wrapped by ${KIT_BOOTSTRAP}`);

    let user = container.user;
    if (user === undefined && image?.user && !isRootUser(image.user)) {
      user = image.user;
      fromImage.push('user');
    }
    let runAs: string | undefined;
    if (user !== undefined && !isRootUser(user)) {
      runAs = user;
      container.user = '0';
      notes.push(`runs the bootstrap as root, then switches back to user ${user}`);
    } else if (user === undefined && image === undefined) {
      draft.warnings.push(
        `${name}: no user set and the image config is unknown; if the image's USER is not root, the ` +
          'bootstrap cannot install its rules and the container stops before the app starts (fail closed). ' +
          'Set "user" in the task definition to be sure.',
      );
    }

    const added = addCapabilities(container, runAs !== undefined);
    if (added.length > 0) notes.push(`${added.join(', ')} added (dropped for good before the app starts)`);
    else notes.push('already has NET_ADMIN: the bootstrap leaves it');

    linkToSidecar(container, sidecarName);
    dependOnSidecar(container, sidecarName);
    mountKitFromSidecar(container, sidecarName);
    appendEnv(container, [
      [BOOTSTRAP_ENV.sidecar, sidecarName],
      [BOOTSTRAP_ENV.cidrs, cidrs.join(' ')],
      [BOOTSTRAP_ENV.ports, ports.join(' ')],
      [BOOTSTRAP_ENV.port, String(SIDECAR_PORT)],
      [BOOTSTRAP_ENV.runAs, runAs],
      [BOOTSTRAP_ENV.dropCaps, added.join(' ')],
      [BOOTSTRAP_ENV.fromImage, fromImage.join(' ')],
    ]);
    notes.push(`link, dependsOn HEALTHY and read-only volumesFrom ${sidecarName}`);
    draft.changes.push(`${name}: ${notes.join('; ')}; TCP ${ports.join(' ')} to ${cidrs.join(' ')} redirected to ${sidecarName}:${SIDECAR_PORT}`);
  }
};

/**
 * NET_ADMIN for iptables, plus whatever else the bootstrap needs that the container dropped
 * (directly or with ALL): SETPCAP to drop from the bounding set, NET_RAW for legacy iptables,
 * SETUID/SETGID to switch back to a non-root user. Docker gives `add` precedence over `drop`.
 * Returns what was added: exactly what the bootstrap drops again before the app starts.
 */
function addCapabilities(container: ContainerDefinition, switchesUser: boolean): string[] {
  const capabilities = container.linuxParameters?.capabilities ?? {};
  const add = capabilities.add ?? [];
  const drop = capabilities.drop ?? [];
  if (container.privileged || add.includes('ALL')) return [];
  const dropped = (capability: string) => drop.includes('ALL') || drop.includes(capability);
  const needed = [NET_ADMIN, SETPCAP, NET_RAW, ...(switchesUser ? USER_SWITCH_CAPABILITIES : [])];
  const added = needed.filter((capability) => (capability === NET_ADMIN || dropped(capability)) && !add.includes(capability));
  if (added.length > 0) {
    container.linuxParameters = { ...container.linuxParameters, capabilities: { ...capabilities, add: [...add, ...added] } };
  }
  return added;
}

/** Undoes the wrap on one container of a twin and returns the image config it was made with. */
export function unwrapTransparentBridge(container: ContainerDefinition): ImageConfig | undefined {
  if (container.entryPoint?.[0] !== KIT_BOOTSTRAP) return undefined;
  const fromImage = new Set((envValue(container, BOOTSTRAP_ENV.fromImage) ?? '').split(' ').filter(Boolean));
  const runAs = envValue(container, BOOTSTRAP_ENV.runAs);
  const dropped = (envValue(container, BOOTSTRAP_ENV.dropCaps) ?? '').split(' ').filter(Boolean);
  const image: ImageConfig = {};

  const entryPoint = container.entryPoint.slice(1);
  if (fromImage.has('entryPoint')) {
    image.entrypoint = entryPoint;
    delete container.entryPoint;
  } else {
    container.entryPoint = entryPoint;
  }
  if (fromImage.has('command')) {
    image.cmd = container.command;
    delete container.command;
  }
  if (fromImage.has('user')) {
    image.user = runAs;
    delete container.user;
  } else if (runAs !== undefined) {
    container.user = runAs;
  }
  const capabilities = container.linuxParameters?.capabilities;
  if (capabilities?.add) capabilities.add = capabilities.add.filter((capability) => !dropped.includes(capability));
  return fromImage.size > 0 ? image : undefined;
}
