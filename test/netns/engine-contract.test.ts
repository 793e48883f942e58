// The contract between the engine and the sidecar image, end to end: a task definition goes
// through the REAL engine (`inject`), and its twin is started on the emulated ECS host exactly as
// ECS and Docker would start it (argv, environment, user, capabilities taken from the twin, plus
// what ECS and Docker add themselves). Nothing in between is written by hand, so an engine change
// the kit does not understand (or the reverse) fails here instead of on a real host.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SIDECAR_NAME, ENV_PREFIX, KIT_BOOTSTRAP, KIT_DIR, OPT_IN_TAG, OPT_IN_VALUE, SIDECAR_PORT } from '../../functions/engine/constants.js';
import { inject, parseDocument } from '../../functions/engine/index.js';
import type { ContainerDefinition, Injected, RegisterInput } from '../../functions/engine/index.js';
import { addr, bridgeNet, buildKit, buildProbe, type ContainerSpec, netnsAvailable, type Result, taskDoc, Topology, hasCap, type ProbeReport } from './harness.js';

const enabled = netnsAvailable();
// Real processes and kernels, on a 2-core machine shared with the rest of the suite.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 120_000 });

const LATTICE_HOST = 'payments-0123456789abcdef0.7d67968.vpc-lattice-svcs.eu-west-1.on.aws';
const OPERATOR = { sidecarImage: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/sigv4-sidecar:1', defaultRegion: 'eu-west-1' };
const CAP_SETPCAP = 8;
const CAP_NET_ADMIN = 12;
const CAP_SETS = ['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb'] as const;

// ---- What ECS and Docker do with a container definition (the parts the kit depends on) -------

/** Docker's PATH when neither the image nor the container sets one. */
const DOCKER_DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** Ports the sidecar image EXPOSEs (inherited from the Envoy base image): Docker links report them. */
const SIDECAR_EXPOSED_PORTS = [10000];

/** What the ECS agent adds to every container of a task with a task role. */
function ecsAgentEnv(containerId: string): Record<string, string> {
  return {
    ECS_CONTAINER_METADATA_URI: `http://169.254.170.2/v3/${containerId}`,
    ECS_CONTAINER_METADATA_URI_V4: `http://169.254.170.2/v4/${containerId}`,
    ECS_AGENT_URI: `http://169.254.170.2/api/${containerId}`,
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/7e1d3b4a-task-role',
    AWS_EXECUTION_ENV: 'AWS_ECS_EC2',
  };
}

interface Linked {
  alias: string;
  ip: string;
  exposed: number[];
  env: Record<string, string>;
}

/**
 * Legacy link variables (moby daemon/links): `<ALIAS>_PORT*`, `<ALIAS>_NAME` and
 * `<ALIAS>_ENV_<name>` for the linked container's environment. The sidecar's alias makes them
 * all start with SIGV4_SIDECAR_, next to the engine's own variables.
 */
function linkEnv(parentDockerName: string, link: Linked): Record<string, string> {
  const a = link.alias.toUpperCase().replaceAll('-', '_');
  const env: Record<string, string> = {};
  const [first] = link.exposed;
  if (first !== undefined) env[`${a}_PORT`] = `tcp://${link.ip}:${first}`;
  for (const p of link.exposed) {
    env[`${a}_PORT_${p}_TCP`] = `tcp://${link.ip}:${p}`;
    env[`${a}_PORT_${p}_TCP_ADDR`] = link.ip;
    env[`${a}_PORT_${p}_TCP_PORT`] = String(p);
    env[`${a}_PORT_${p}_TCP_PROTO`] = 'tcp';
  }
  env[`${a}_NAME`] = `/${parentDockerName}/${link.alias}`;
  for (const [k, v] of Object.entries(link.env)) if (k !== 'HOME' && k !== 'PATH') env[`${a}_ENV_${k}`] = v;
  return env;
}

function definedEnv(def: ContainerDefinition): Record<string, string> {
  return Object.fromEntries((def.environment ?? []).map((v) => [v.name!, v.value ?? '']));
}

/** The harness starts containers as root only: anything else in a twin fails loudly here. */
function rootOnly(def: ContainerDefinition): void {
  const name = (def.user ?? '0').split(':')[0];
  if (name !== '0' && name !== 'root') {
    throw new Error(`${def.name} would start as user ${def.user}: this emulation (and the bootstrap) needs root`);
  }
}

/** Home directory runc sets when the environment has no HOME: the user's /etc/passwd entry. */
function homeOf(root: string, user: string | undefined): string {
  const name = (user ?? '0').split(':')[0];
  const entry = readFileSync(join(root, 'etc/passwd'), 'utf8')
    .split('\n')
    .map((l) => l.split(':'))
    .find((f) => f[0] === name || f[2] === name);
  return entry?.[5] ?? '/';
}

/**
 * The environment a container's first process gets (moby CreateDaemonEnvironment, then runc):
 * PATH, HOSTNAME and link variables, overridden by the container's own (ECS agent variables and
 * task definition environment), then HOME of the user when still unset.
 */
function dockerEnv(def: ContainerDefinition, root: string, hostname: string, ecs: Record<string, string>, links: Linked[] = []): Record<string, string> {
  const env: Record<string, string> = { PATH: DOCKER_DEFAULT_PATH, HOSTNAME: hostname };
  for (const link of links) Object.assign(env, linkEnv(hostname, link));
  Object.assign(env, ecs, definedEnv(def));
  env.HOME ??= homeOf(root, def.user);
  return env;
}

/**
 * Docker's capability rules (moby TweakCapabilities): `drop: ["ALL"]` leaves exactly `add`;
 * otherwise the default set minus `drop`, plus `add` (add wins).
 */
function dockerCaps(def: ContainerDefinition): Pick<ContainerSpec, 'addCaps' | 'dropCaps'> {
  const { add = [], drop = [] } = def.linuxParameters?.capabilities ?? {};
  if (def.privileged || add.includes('ALL')) throw new Error(`${def.name}: privileged and add ALL are not emulated`);
  const lower = (caps: string[]): string[] => caps.map((c) => c.replace(/^CAP_/, '').toLowerCase());
  return { dropCaps: drop.includes('ALL') ? ['all'] : lower(drop), addCaps: lower(add) };
}

/** argv of the first process: entryPoint then command (both set in these task definitions). */
function dockerArgv(def: ContainerDefinition): string[] {
  if (!def.entryPoint?.length) throw new Error(`${def.name}: no entryPoint; this test sets one on purpose`);
  return [...def.entryPoint, ...(def.command ?? [])];
}

function containerOf(td: RegisterInput, name: string): ContainerDefinition {
  const def = td.containerDefinitions?.find((c) => c.name === name);
  if (!def) throw new Error(`no container ${name} in ${td.family}`);
  return def;
}

function injected(input: unknown): Injected {
  const result = inject(parseDocument(input), OPERATOR);
  if (result.outcome !== 'injected') throw new Error(`engine refused: ${JSON.stringify(result.reasons)}`);
  return result;
}



function envMap(env: string[]): Record<string, string> {
  return Object.fromEntries(env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

// ---- The task definitions ----------------------------------------------------------------

const APP_ENTRYPOINT = ['/app/probe', '--config=/etc/app conf.json'];
const APP_COMMAND = ['plain', 'with space', 'double"quote', "single'quote", '$(echo no)', '`id`', '', '*', 'back\\slash', 'two\nlines'];
const APP_ENVIRONMENT = [
  { name: 'APP_GREETING', value: 'hello "world" it\'s $HOME `not run`' },
  { name: 'APP_EQUALS', value: 'a=b=c' },
  { name: 'APP_MULTI_LINE', value: 'line one\nline two' },
  { name: 'APP_EMPTY', value: '' },
];

/** What an application team registers: opted in, a task role, one app container. */
function optedInSource(task: Record<string, unknown>, app: Record<string, unknown>): Record<string, unknown> {
  return {
    family: 'payments',
    taskRoleArn: 'arn:aws:iam::111122223333:role/payments-task',
    ...task,
    containerDefinitions: [
      {
        name: 'app',
        image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/payments:42',
        essential: true,
        memory: 256,
        environment: APP_ENVIRONMENT,
        linuxParameters: { capabilities: { drop: ['ALL'] } },
        ...app,
      },
    ],
    tags: [{ key: OPT_IN_TAG, value: OPT_IN_VALUE }],
  };
}

const bridgeSource = optedInSource(
  { networkMode: 'bridge' },
  // `app`: uid 1000 in the harness's /etc/passwd, member of group metrics (1500).
  { entryPoint: APP_ENTRYPOINT, command: APP_COMMAND, user: 'app' },
);

describe.skipIf(!enabled).each([
  { backend: 'nft', removeFromKit: [] as string[] },
  // A host where only the legacy backend works (the kit falls back to it).
  { backend: 'legacy', removeFromKit: ['bin/xtables-nft-multi'] },
])('engine contract, bridge transparent, $backend backend: the twin runs as-is', ({ removeFromKit }) => {
  const topo = new Topology();
  let twin: RegisterInput;
  let appRoot: string;
  let appRun: Result;
  let report: ProbeReport | undefined;

  beforeAll(async () => {
    twin = injected(bridgeSource).twin;
    const kit = buildKit();
    const probe = buildProbe();
    await topo.upWithMetadata(
      taskDoc([
        { name: DEFAULT_SIDECAR_NAME, networks: bridgeNet([addr.sidecar.v4], [addr.sidecar.v6]) },
        { name: 'app', networks: bridgeNet([addr.app.v4], [addr.app.v6]) },
      ]),
    );
    // The host's /usr inside the app root only for the host setpriv that applies drop ALL
    // (ContainerSpec.dropCaps); the probe and the kit use none of it.
    appRoot = topo.makeRoot('app', kit, probe, { sidecar: true, removeFromKit });
    const sidecarRoot = topo.makeRoot('sidecar', kit, probe, { sidecar: true, removeFromKit });

    const sidecarDef = containerOf(twin, DEFAULT_SIDECAR_NAME);
    rootOnly(sidecarDef);
    const sidecarEnv = dockerEnv(sidecarDef, sidecarRoot, 'ecs-payments-sidecar', ecsAgentEnv('sidecar-id'));
    await topo.startContainer('sidecar', {
      root: sidecarRoot,
      env: sidecarEnv,
      argv: [`${KIT_DIR}/entrypoint`], // the image's ENTRYPOINT: the twin sets none for the sidecar
      ...dockerCaps(sidecarDef),
      hostUsr: true,
    });

    const appDef = containerOf(twin, 'app');
    rootOnly(appDef);
    // Every link of the twin's app goes to the sidecar (`name` or `name:alias`).
    const links: Linked[] = (appDef.links ?? []).map((link) => {
      expect(link.split(':')[0]).toBe(DEFAULT_SIDECAR_NAME);
      return { alias: link.split(':').at(-1)!, ip: addr.sidecar.v4, exposed: SIDECAR_EXPOSED_PORTS, env: sidecarEnv };
    });
    appRun = await topo.runContainer('app', {
      root: appRoot,
      env: dockerEnv(appDef, appRoot, 'ecs-payments-app', ecsAgentEnv('app-id'), links),
      argv: dockerArgv(appDef),
      ...dockerCaps(appDef),
      hostUsr: true,
    });
    report = appRun.code === 0 ? (JSON.parse(appRun.stdout) as ProbeReport) : undefined;
  }, 120_000);

  afterAll(() => topo.down(), 30_000);

  it('starts the app from the twin: the bootstrap accepts the engine\'s settings and hands over', () => {
    expect(containerOf(twin, 'app').entryPoint?.[0]).toBe(KIT_BOOTSTRAP);
    expect(appRun.code, `app container exited ${appRun.code}:\n${appRun.stderr}`).toBe(0);
  });

  it('runs the original argv with the environment Docker would give the original container', () => {
    expect(report?.argv).toEqual([...APP_ENTRYPOINT, ...APP_COMMAND]);
    const original = containerOf(parseDocument(bridgeSource).register, 'app');
    const want = dockerEnv(original, appRoot, 'ecs-payments-app', ecsAgentEnv('app-id'));
    expect(envMap(report?.env ?? [])).toEqual(want);
    expect(report?.env.filter((kv) => kv.startsWith(ENV_PREFIX))).toEqual([]);
  });

  it('runs as the original user, with no capability at all (as Docker gives the original: drop ALL)', () => {
    expect({ uid: report?.uid, gid: report?.gid, groups: report?.groups }).toEqual({ uid: 1000, gid: 1000, groups: [1500] });
    for (const set of CAP_SETS) {
      expect(hasCap(report?.status[set], CAP_NET_ADMIN), `NET_ADMIN in ${set}`).toBe(false);
      expect(hasCap(report?.status[set], CAP_SETPCAP), `SETPCAP in ${set}`).toBe(false);
      expect(report?.status[set], set).toBe('0000000000000000');
    }
  });

  it('sends the app\'s Lattice traffic on port 80 to the sidecar\'s listener with its Host header', async () => {
    const res = await topo.request('app', [
      { url: `http://${addr.lattice.v4}/charges?id=1`, host: LATTICE_HOST },
      { url: `http://[${addr.lattice.v6}]/v6`, host: LATTICE_HOST },
      { url: `http://${addr.lattice.v4}:443/` },
    ]);
    expect(res[0]!.body).toMatchObject({ who: 'sidecar', host: LATTICE_HOST, path: '/charges?id=1' });
    expect(res[1]!.body).toMatchObject({ who: 'sidecar', host: LATTICE_HOST });
    expect(res[2]!.body?.who).toBe('lattice'); // not a configured port: untouched
  });

  it('keeps the sidecar\'s port closed to an intruder container', async () => {
    const res = await topo.request('intruder', [
      { url: `http://${addr.sidecar.v4}:${SIDECAR_PORT}/`, host: LATTICE_HOST },
      { url: `http://[${addr.sidecar.v6}]:${SIDECAR_PORT}/`, host: LATTICE_HOST },
    ]);
    expect(res.map((r) => r.error)).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);
  });
});

describe.skipIf(!enabled)('engine contract, awsvpc transparent: the twin runs as-is', () => {
  const topo = new Topology();
  const requests = [
    { url: `http://${addr.lattice.v4}/charges`, host: LATTICE_HOST },
    { url: `http://[${addr.lattice.v6}]/v6`, host: LATTICE_HOST },
    { url: `http://${addr.lattice.v4}:443/` },
  ];
  // The app is a client (the harness's request agent), started from the twin like any app.
  const awsvpcSource = optedInSource(
    { networkMode: 'awsvpc', requiresCompatibilities: ['EC2'], cpu: '512', memory: '1024' },
    { entryPoint: ['/usr/bin/node', '/fixtures/agent.mjs'], command: ['request', JSON.stringify(requests)] },
  );
  let twin: RegisterInput;
  let appRun: Result;

  beforeAll(async () => {
    twin = injected(awsvpcSource).twin;
    const kit = buildKit();
    const probe = buildProbe();
    await topo.upWithMetadata(taskDoc([{ name: DEFAULT_SIDECAR_NAME }, { name: 'app' }]));
    // One namespace (`task`) for the whole task; each container still has its own root.
    const sidecarRoot = topo.makeRoot('sidecar', kit, probe, { sidecar: true });
    const appRoot = topo.makeRoot('app', kit, probe, { sidecar: true }); // node and the agent, nothing of the kit used
    const sidecarDef = containerOf(twin, DEFAULT_SIDECAR_NAME);
    rootOnly(sidecarDef);
    await topo.startContainer('task', {
      root: sidecarRoot,
      env: dockerEnv(sidecarDef, sidecarRoot, 'ip-10-0-1-5', ecsAgentEnv('sidecar-id')),
      argv: [`${KIT_DIR}/entrypoint`],
      ...dockerCaps(sidecarDef),
      hostUsr: true,
    });
    const appDef = containerOf(twin, 'app');
    rootOnly(appDef);
    appRun = await topo.runContainer('task', {
      root: appRoot,
      env: dockerEnv(appDef, appRoot, 'ip-10-0-1-5', ecsAgentEnv('app-id')),
      argv: dockerArgv(appDef),
      ...dockerCaps(appDef),
      hostUsr: true,
    }, 30_000);
  }, 120_000);

  afterAll(() => topo.down(), 30_000);

  it('leaves the app\'s start command alone (no wrapper in a shared namespace)', () => {
    expect(dockerArgv(containerOf(twin, 'app'))).toEqual(dockerArgv(containerOf(parseDocument(awsvpcSource).register, 'app')));
  });

  it('the sidecar started from its twin environment redirects the app\'s Lattice traffic on port 80', () => {
    expect(appRun.code, appRun.stderr).toBe(0);
    const res = JSON.parse(appRun.stdout) as Array<{ body?: { who?: string; host?: string; path?: string } }>;
    expect(res[0]!.body).toMatchObject({ who: 'sidecar', host: LATTICE_HOST, path: '/charges' });
    expect(res[1]!.body).toMatchObject({ who: 'sidecar', host: LATTICE_HOST });
    expect(res[2]!.body?.who).toBe('lattice');
  });
});
