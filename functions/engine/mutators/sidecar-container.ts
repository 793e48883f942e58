// Adds the Envoy sidecar: essential, health-checked, with the environment contract of the image.
import {
  NET_ADMIN,
  SIDECAR_ENV,
  SIDECAR_HEALTHCHECK,
  SIDECAR_PORT,
} from '../constants';
import type { ContainerDefinition, ResolvedSettings } from '../types';
import { appendEnv } from './container-edits';
import { containersOf, interceptedContainers, type Mutator } from './context';

/** ECS health check bounds: interval 5-300 s, timeout 2-60 s, retries 1-10, startPeriod 0-300 s. */
const HEALTH_CHECK = { interval: 5, timeout: 2, retries: 3, startPeriod: 10 } as const;

/** The sidecar needs NET_ADMIN for its own rules (client firewall in bridge, redirect in awsvpc
 * transparent), and drops it before Envoy starts. Only awsvpc proxy mode needs none. */
export function sidecarNeedsNetAdmin(settings: ResolvedSettings): boolean {
  return settings.networkMode === 'bridge' || settings.mode === 'transparent';
}

export const addSidecarContainer: Mutator = (draft, context) => {
  const { settings } = context;
  const intercepted = interceptedContainers(draft, context);
  const sidecar: ContainerDefinition = {
    name: settings.sidecarName,
    image: settings.sidecarImage,
    essential: true,
    cpu: settings.cpu,
    memoryReservation: settings.memory,
    healthCheck: { command: ['CMD', SIDECAR_HEALTHCHECK], ...HEALTH_CHECK },
  };
  appendEnv(sidecar, sidecarEnvironment(settings, intercepted));
  if (sidecarNeedsNetAdmin(settings)) {
    sidecar.linuxParameters = { capabilities: { add: [NET_ADMIN] } };
  }
  const logging = intercepted.find((container) => container.logConfiguration)?.logConfiguration;
  if (logging) sidecar.logConfiguration = structuredClone(logging);
  // Logs through FireLens: the log router must be up before the sidecar writes to it.
  const logRouter = containersOf(draft.twin).find((container) => container.firelensConfiguration);
  if (logging?.logDriver === 'awsfirelens' && logRouter) {
    sidecar.dependsOn = [{ containerName: logRouter.name, condition: 'START' }];
  }

  draft.twin.containerDefinitions = [...containersOf(draft.twin), sidecar];
  // The sidecar admits bridge clients by address as each first starts; a restart in place may
  // come back with another address, and its calls are then refused (closed, never unsigned).
  const restarting = settings.networkMode === 'bridge' ? intercepted.filter((c) => c.restartPolicy?.enabled) : [];
  if (restarting.length > 0) {
    draft.warnings.push(
      `${restarting.map((c) => c.name).join(', ')}: restartPolicy is enabled; after a restart in place with a new ` +
        `address, calls through ${settings.sidecarName} are refused until the task is replaced`,
    );
  }
  draft.changes.push(
    `added container ${settings.sidecarName}: image ${settings.sidecarImage}, essential, cpu ${settings.cpu}, ` +
      `memoryReservation ${settings.memory} MiB, health check ${SIDECAR_HEALTHCHECK}` +
      (sidecarNeedsNetAdmin(settings) ? ', NET_ADMIN (dropped before Envoy starts)' : '') +
      (logging ? `, logs like ${intercepted.find((c) => c.logConfiguration)!.name}` : ''),
  );
  draft.changes.push(
    `signing: ${settings.signing} for vpc-lattice-svcs in ${settings.region}` +
      (settings.hosts.length > 0 ? `, extra hosts ${settings.hosts.join(' ')}` : '') +
      `, Envoy log level ${settings.logLevel}`,
  );
};

function sidecarEnvironment(
  settings: ResolvedSettings,
  intercepted: ContainerDefinition[],
): Array<[string, string | undefined]> {
  const redirects = settings.networkMode === 'awsvpc' && settings.mode === 'transparent';
  return [
    [SIDECAR_ENV.mode, settings.mode],
    [SIDECAR_ENV.networkMode, settings.networkMode],
    [SIDECAR_ENV.region, settings.region],
    [SIDECAR_ENV.signing, settings.signing],
    [SIDECAR_ENV.hosts, settings.hosts.join(' ')],
    [SIDECAR_ENV.logLevel, settings.logLevel],
    [SIDECAR_ENV.port, String(SIDECAR_PORT)],
    [SIDECAR_ENV.clients, settings.networkMode === 'bridge' ? intercepted.map((c) => c.name).join(' ') : undefined],
    [SIDECAR_ENV.cidrs, redirects ? settings.cidrs.join(' ') : undefined],
    [SIDECAR_ENV.ports, redirects ? settings.ports.join(' ') : undefined],
  ];
}
