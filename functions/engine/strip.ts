// The inverse of injection: the source back from a twin, or from a revision copied from one
// (recognised by the sidecar's environment or the bootstrap entry point even without tags).
import { ENV_PREFIX, KIT_BOOTSTRAP, PROXY_ENV_NAMES, RESERVED_TAGS, SIDECAR_ENV } from './constants';
import { normalizeRegisterInput, parseSourceReference, tagValue, userTags } from './document';
import { envValue, forgetSidecar, removeEnv } from './mutators/container-edits';
import { isFargate } from './mutators/context';
import { proxyUrl } from './mutators/proxy';
import { shiftTaskResources } from './mutators/task-resources';
import { unwrapTransparentBridge } from './mutators/transparent-bridge';
import type { ContainerDefinition, ImageConfig, TaskDefinitionDocument } from './types';

export interface Unwrapped {
  doc: TaskDefinitionDocument;
  /** Image configs the twin was made with, so re-injecting it needs no registry. */
  imageConfigs: Record<string, ImageConfig>;
  wasInjected: boolean;
}

function isSidecar(container: ContainerDefinition): boolean {
  return envValue(container, SIDECAR_ENV.mode) !== undefined;
}

export function looksInjected(doc: TaskDefinitionDocument): boolean {
  return (
    tagValue(doc.register.tags, RESERVED_TAGS.source) !== undefined ||
    (doc.register.containerDefinitions ?? []).some(
      (container) => isSidecar(container) || container.entryPoint?.[0] === KIT_BOOTSTRAP,
    )
  );
}

export function unwrap(doc: TaskDefinitionDocument): Unwrapped {
  if (!looksInjected(doc)) return { doc, imageConfigs: {}, wasInjected: false };
  const register = structuredClone(doc.register);
  const containers = register.containerDefinitions ?? [];
  const sidecar = containers.find(isSidecar);
  const imageConfigs: Record<string, ImageConfig> = {};

  for (const container of containers) {
    if (container === sidecar) continue;
    const image = unwrapTransparentBridge(container);
    if (image) imageConfigs[container.name!] = image;
    if (sidecar) {
      removeProxyEnvironment(container, sidecar.name!);
      forgetSidecar(container, sidecar.name!);
    }
    removeEnv(container, (name) => name.startsWith(ENV_PREFIX));
  }
  if (sidecar) {
    register.containerDefinitions = containers.filter((container) => container !== sidecar);
    if (!isFargate(register)) {
      shiftTaskResources(register, { cpu: sidecar.cpu ?? 0, memory: sidecar.memoryReservation ?? 0 }, -1);
    }
  }
  const reference = tagValue(register.tags, RESERVED_TAGS.source);
  register.tags = userTags(register.tags ?? []);
  return {
    doc: { register: normalizeRegisterInput(register), source: reference ? parseSourceReference(reference) : doc.source },
    imageConfigs,
    wasInjected: true,
  };
}

/** Proxy variables are ours when HTTP_PROXY points at the sidecar (sources that set them are refused). */
function removeProxyEnvironment(container: ContainerDefinition, sidecarName: string): void {
  const ours = [proxyUrl('bridge', sidecarName), proxyUrl('awsvpc', sidecarName)];
  if (ours.includes(envValue(container, 'HTTP_PROXY') ?? '')) {
    removeEnv(container, (name) => (PROXY_ENV_NAMES as readonly string[]).includes(name));
  }
}

/** The source task definition back from a twin; any other input comes back as it is. */
export function strip(doc: TaskDefinitionDocument): TaskDefinitionDocument {
  return unwrap(doc).doc;
}
