// fast-check generators of task definitions that the engine must inject: opted in, with a task
// role, acyclic, with the resources ECS requires, in every network mode and launch type.
import fc from 'fast-check';
import type { ContainerDefinition, ImageConfig, RegisterInput, Tag } from '../../functions/engine/types';

const ROLE = 'arn:aws:iam::111122223333:role/task';
const word = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
/** Arguments with spaces, quotes, dollars, unicode: they must reach the app unchanged. */
const argument = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('a b', '"q"', "'s'", '$HOME', '--x=1 2', 'ünï', ''));
const envName = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,8}$/).filter((name) => !name.startsWith('SIGV4_SIDECAR_') && !/^(HTTP|NO)_PROXY$/.test(name));
const user = fc.constantFrom(undefined, '0', 'root', '1000', '1000:1000', 'app', 'nobody:nogroup');

export interface Generated {
  input: unknown;
  imageConfigs: Record<string, ImageConfig>;
}

interface Shape {
  networkMode: 'bridge' | 'awsvpc' | undefined;
  fargate: boolean;
  mode: 'transparent' | 'proxy';
  taskSize: { cpu: string; memory: string } | undefined;
}

const shape: fc.Arbitrary<Shape> = fc
  .record({
    networkMode: fc.constantFrom<Shape['networkMode']>(undefined, 'bridge', 'awsvpc'),
    fargate: fc.boolean(),
    proxy: fc.boolean(),
    taskSize: fc.option(fc.constantFrom({ cpu: '512', memory: '1024' }, { cpu: '1 vCPU', memory: '2 GB' }, { cpu: '2048', memory: '4096' }), { nil: undefined }),
  })
  .map(({ networkMode, fargate, proxy, taskSize }) => {
    const onFargate = fargate && networkMode === 'awsvpc';
    return {
      networkMode,
      fargate: onFargate,
      mode: onFargate || proxy ? 'proxy' : 'transparent',
      taskSize: onFargate ? (taskSize ?? { cpu: '1024', memory: '2048' }) : taskSize,
    };
  });

function container(s: Shape, name: string, index: number, earlier: string[]): fc.Arbitrary<{ def: ContainerDefinition; image?: ImageConfig }> {
  const bridge = (s.networkMode ?? 'bridge') === 'bridge';
  const wrapped = bridge && s.mode === 'transparent';
  return fc
    .record({
      entryPoint: fc.array(argument, { minLength: 1, maxLength: 3 }),
      command: fc.option(fc.array(argument, { maxLength: 4 }), { nil: undefined }),
      fromImage: fc.boolean(),
      imageUser: user,
      user,
      environment: fc.uniqueArray(fc.record({ name: envName, value: argument }), { selector: (v) => v.name, maxLength: 3 }),
      essential: index === 0 ? fc.constant(true) : fc.boolean(),
      memoryReservation: fc.integer({ min: 16, max: 128 }),
      cpu: fc.option(fc.integer({ min: 0, max: 32 }), { nil: undefined }),
      links: fc.subarray(earlier, { maxLength: Math.min(2, earlier.length) }),
      dependsOn: fc.subarray(earlier, { maxLength: Math.min(2, earlier.length) }),
      add: fc.subarray(s.fargate ? ['SYS_PTRACE'] : ['SYS_PTRACE', 'NET_ADMIN', 'SETPCAP'], { maxLength: s.fargate ? 1 : 2 }),
      drop: fc.subarray(s.fargate ? [] : ['ALL', 'SETPCAP', 'NET_RAW', 'MKNOD'], { maxLength: s.fargate ? 0 : 2 }),
      labels: fc.option(fc.dictionary(word, argument, { maxKeys: 2 }), { nil: undefined }),
      healthCheck: fc.boolean(),
      logs: fc.boolean(),
      readonly: fc.option(fc.boolean(), { nil: undefined }),
      ports: fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { maxLength: 2 }),
    })
    .map((g) => {
      const def: ContainerDefinition = { name, image: `111122223333.dkr.ecr.us-west-2.amazonaws.com/${name}:1`, essential: g.essential };
      if (!s.fargate) def.memoryReservation = g.memoryReservation;
      if (g.cpu !== undefined) def.cpu = g.cpu;
      const image: ImageConfig | undefined = wrapped && g.fromImage ? { entrypoint: g.entryPoint, cmd: g.command, user: g.imageUser } : undefined;
      if (!image) def.entryPoint = g.entryPoint;
      if (g.command && !image) def.command = g.command;
      if (g.user !== undefined && !image) def.user = g.user;
      if (g.environment.length > 0) def.environment = g.environment;
      if (bridge && g.links.length > 0) def.links = g.links;
      // Only on earlier containers, START only: acyclic, and valid whatever they are.
      if (g.dependsOn.length > 0) def.dependsOn = g.dependsOn.map((target) => ({ containerName: target, condition: 'START' }));
      if (g.add.length > 0 || g.drop.length > 0) {
        def.linuxParameters = { capabilities: { ...(g.add.length > 0 && { add: g.add }), ...(g.drop.length > 0 && { drop: g.drop }) } };
      }
      if (g.labels && Object.keys(g.labels).length > 0) def.dockerLabels = g.labels;
      if (g.healthCheck) def.healthCheck = { command: ['CMD-SHELL', `check ${name}`], interval: 10 };
      if (g.logs) def.logConfiguration = { logDriver: 'awslogs', options: { 'awslogs-group': `/ecs/${name}`, 'awslogs-region': 'us-west-2', 'awslogs-stream-prefix': 'p' } };
      if (g.readonly !== undefined) def.readonlyRootFilesystem = g.readonly;
      if (g.ports.length > 0) def.portMappings = g.ports.map((containerPort) => ({ containerPort, protocol: 'tcp' }));
      return { def, image };
    });
}

const settingsTags = (names: string[], s: Shape): fc.Arbitrary<Tag[]> =>
  fc
    .record({
      containers: fc.option(fc.subarray(names, { minLength: 1 }), { nil: undefined }),
      ports: fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 9000 }).filter((p) => p !== 443), { minLength: 1, maxLength: 3 }), { nil: undefined }),
      hosts: fc.option(fc.constantFrom('api.example.com', '.example.net api.example.org'), { nil: undefined }),
      region: fc.option(fc.constantFrom('eu-west-1', 'ap-southeast-2'), { nil: undefined }),
      signing: fc.option(fc.constantFrom('sigv4', 'sigv4a'), { nil: undefined }),
      logLevel: fc.option(fc.constantFrom('info', 'warn', 'error', 'critical', 'off'), { nil: undefined }),
      memory: fc.option(fc.integer({ min: 32, max: 256 }), { nil: undefined }),
    })
    .map((t) => {
      const tags: Tag[] = [];
      const add = (key: string, value: string | undefined) => value !== undefined && tags.push({ key: `sigv4-sidecar/${key}`, value });
      add('mode', s.mode === 'proxy' ? 'proxy' : undefined);
      add('containers', t.containers?.join(' '));
      add('ports', s.mode === 'transparent' ? t.ports?.join(' ') : undefined);
      add('hosts', t.hosts);
      add('region', t.region);
      add('signing', t.signing);
      add('log-level', t.logLevel);
      add('memory', t.memory === undefined ? undefined : String(t.memory));
      return tags;
    });

export const injectable: fc.Arbitrary<Generated> = shape.chain((s) =>
  fc.uniqueArray(word.filter((name) => name !== 'sigv4'), { minLength: 1, maxLength: 6 }).chain((names) =>
    fc
      .record({
        containers: fc.tuple(...names.map((name, index) => container(s, name, index, names.slice(0, index)))),
        settings: settingsTags(names, s),
        userTags: fc.uniqueArray(fc.record({ key: word.map((w) => `team-${w}`), value: argument.filter((v) => /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(v)) }), { selector: (t) => t.key, maxLength: 4 }),
        describeShape: fc.boolean(),
        revision: fc.integer({ min: 1, max: 5000 }),
      })
      .map(({ containers, settings, userTags, describeShape, revision }) => {
        const register: RegisterInput = {
          family: `fam-${names[0]}`,
          taskRoleArn: ROLE,
          ...(s.networkMode && { networkMode: s.networkMode }),
          ...(s.fargate && { requiresCompatibilities: ['FARGATE'] }),
          ...(s.taskSize && { cpu: s.taskSize.cpu, memory: s.taskSize.memory }),
          containerDefinitions: containers.map((c) => c.def),
          tags: [{ key: 'sigv4-sidecar', value: 'true' }, ...settings, ...userTags],
        };
        const imageConfigs = Object.fromEntries(containers.filter((c) => c.image).map((c) => [c.def.name!, c.image!]));
        const input = describeShape
          ? {
              taskDefinition: {
                ...register,
                tags: undefined,
                taskDefinitionArn: `arn:aws:ecs:us-west-2:111122223333:task-definition/${register.family}:${revision}`,
                revision,
                status: 'ACTIVE',
                compatibilities: ['EC2'],
                registeredAt: '2026-12-01T00:00:00Z',
              },
              tags: register.tags,
            }
          : register;
        return { input, imageConfigs };
      }),
  ),
);
