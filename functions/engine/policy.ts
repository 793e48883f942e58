// Preconditions of injection, as values: each check returns the refusals it finds (none when
// it does not apply), and inject collects all of them.
import {
  ENV_PREFIX,
  MAX_CONTAINERS,
  MAX_TAGS,
  PROXY_ENV_NAMES,
  SETTING_TAGS,
} from './constants';
import { userTags } from './document';
import { startCommandKnown } from './mutators/transparent-bridge';
import type { ImageConfig, RegisterInput, Refusal, ResolvedSettings } from './types';

export interface PolicyInput {
  source: RegisterInput;
  settings: Partial<ResolvedSettings>;
  imageConfigs: Readonly<Record<string, ImageConfig>>;
}

type Check = (input: PolicyInput) => Refusal[];

const networkMode: Check = ({ source }) => {
  const mode = source.networkMode ?? 'bridge';
  if (mode === 'bridge' || mode === 'awsvpc') return [];
  return [{
    code: 'UNSUPPORTED_NETWORK_MODE',
    where: '$.networkMode',
    message: `networkMode ${mode} is not supported: use bridge or awsvpc (${mode} has no per-task namespace to redirect or firewall)`,
  }];
};

const platform: Check = ({ source, settings }) => {
  const refusals: Refusal[] = [];
  const os = source.runtimePlatform?.operatingSystemFamily;
  if (os !== undefined && os.startsWith('WINDOWS')) {
    refusals.push({
      code: 'UNSUPPORTED_PLATFORM',
      where: '$.runtimePlatform.operatingSystemFamily',
      message: `${os} is not supported in any mode: the sidecar image is Linux only`,
    });
  }
  if ((source.requiresCompatibilities ?? []).includes('FARGATE') && settings.mode === 'transparent') {
    refusals.push({
      code: 'UNSUPPORTED_PLATFORM',
      where: '$.requiresCompatibilities',
      message: `Fargate does not allow NET_ADMIN, so transparent mode cannot work: tag ${SETTING_TAGS.mode}=proxy`,
    });
  }
  return refusals;
};

const taskRole: Check = ({ source }) =>
  source.taskRoleArn
    ? []
    : [{
        code: 'NO_TASK_ROLE',
        where: '$.taskRoleArn',
        message: 'taskRoleArn is required: without task role credentials Envoy would forward requests unsigned',
      }];

const proxyConfiguration: Check = ({ source }) =>
  source.proxyConfiguration
    ? [{
        code: 'PROXY_CONFIGURATION_CONFLICT',
        where: '$.proxyConfiguration',
        message: 'proxyConfiguration (App Mesh) already redirects the task\'s traffic; remove it or do not opt in',
      }]
    : [];

const containerNames: Check = ({ source, settings }) => {
  const names = new Set((source.containerDefinitions ?? []).map((container) => container.name));
  const refusals: Refusal[] = [];
  for (const name of settings.containers ?? []) {
    if (!names.has(name)) {
      refusals.push({
        code: 'UNKNOWN_CONTAINER',
        where: SETTING_TAGS.containers,
        message: `tag ${SETTING_TAGS.containers} names ${JSON.stringify(name)}, which is not a container of this task definition (containers: ${[...names].join(' ')})`,
      });
    }
  }
  if (settings.containers?.length === 0) {
    refusals.push({
      code: 'NOTHING_TO_INTERCEPT',
      where: SETTING_TAGS.containers,
      message: `no container to intercept: every container is a FireLens log router; list the ones to intercept in ${SETTING_TAGS.containers}`,
    });
  }
  if (settings.sidecarName && names.has(settings.sidecarName)) {
    refusals.push({
      code: 'SIDECAR_NAME_TAKEN',
      where: '$.containerDefinitions[].name',
      message: `a container is already named ${JSON.stringify(settings.sidecarName)}, the sidecar's name: rename it`,
    });
  }
  return refusals;
};

const reservedEnvironment: Check = ({ source }) =>
  (source.containerDefinitions ?? []).flatMap((container, index) =>
    (container.environment ?? [])
      .filter((variable) => (variable.name ?? '').startsWith(ENV_PREFIX))
      .map((variable) => ({
        code: 'RESERVED_ENVIRONMENT' as const,
        where: `$.containerDefinitions[${index}].environment`,
        message: `${container.name}: environment variable ${variable.name} uses the prefix ${ENV_PREFIX}, reserved for sigv4-sidecar`,
      })),
  );

const startCommands: Check = ({ source, settings, imageConfigs }) => {
  if (settings.mode !== 'transparent' || (source.networkMode ?? 'bridge') !== 'bridge') return [];
  return (source.containerDefinitions ?? []).flatMap((container, index) =>
    (settings.containers ?? []).includes(container.name!) && !startCommandKnown(container, imageConfigs[container.name!])
      ? [{
          code: 'UNKNOWN_START_COMMAND' as const,
          where: `$.containerDefinitions[${index}].entryPoint`,
          message:
            `${container.name}: no entryPoint, so its start command comes from the image's ENTRYPOINT/CMD, which is ` +
            'needed to wrap it; the operator reads it from ECR, offline set entryPoint (and command) in the task definition',
        }]
      : [],
  );
};

const proxyEnvironment: Check = ({ source, settings }) => {
  if (settings.mode !== 'proxy') return [];
  return (source.containerDefinitions ?? []).flatMap((container, index) => {
    if (!(settings.containers ?? []).includes(container.name!)) return [];
    const taken = (container.environment ?? [])
      .map((variable) => variable.name ?? '')
      .filter((name) => (PROXY_ENV_NAMES as readonly string[]).includes(name));
    return taken.length === 0
      ? []
      : [{
          code: 'PROXY_ENV_CONFLICT' as const,
          where: `$.containerDefinitions[${index}].environment`,
          message: `${container.name}: already sets ${taken.join(' ')}, which proxy mode must set; remove them or use transparent mode`,
        }];
  });
};

const limits: Check = ({ source }) => {
  const refusals: Refusal[] = [];
  const containers = (source.containerDefinitions ?? []).length + 1;
  if (containers > MAX_CONTAINERS) {
    refusals.push({
      code: 'TOO_MANY_CONTAINERS',
      where: '$.containerDefinitions',
      message: `${containers} containers with the sidecar; ECS allows at most ${MAX_CONTAINERS} per task definition`,
    });
  }
  const tags = userTags(source.tags ?? []).length + 2;
  if (tags > MAX_TAGS) {
    refusals.push({
      code: 'TOO_MANY_TAGS',
      where: '$.tags',
      message: `${tags} tags with the 2 that record the twin; ECS allows at most ${MAX_TAGS}`,
    });
  }
  return refusals;
};

const CHECKS: Check[] = [
  networkMode,
  platform,
  taskRole,
  proxyConfiguration,
  containerNames,
  reservedEnvironment,
  startCommands,
  proxyEnvironment,
  limits,
];

export function checkPolicy(input: PolicyInput): Refusal[] {
  return CHECKS.flatMap((check) => check(input));
}
