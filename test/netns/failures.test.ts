// Every failure of the bootstrap and of the sidecar entrypoint ends with the program never
// started (the probe prints nothing; Envoy's stand-in never runs), a non-zero exit and one
// clear line on stderr.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BOOTSTRAP_ENV, DEFAULT_SIDECAR_NAME, KIT_BOOTSTRAP, KIT_DIR, LATTICE_IPV4_CIDR, NET_ADMIN, SIDECAR_ENV, SIDECAR_PORT, KIT_OPTIONAL_ENV } from '../../functions/engine/constants.js';
import { addr, bridgeNet, buildKit, buildProbe, netnsAvailable, type Result, sidecarEnv, taskDoc, Topology } from './harness.js';

const enabled = netnsAvailable();
// Real processes and kernels, on a 2-core machine shared with the rest of the suite.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 120_000 });

function bootstrapEnv(extra: Record<string, string>): Record<string, string> {
  return {
    PATH: '/usr/bin:/bin',
    ECS_CONTAINER_METADATA_URI_V4: 'http://169.254.170.2/v4/app-id',
    [BOOTSTRAP_ENV.sidecar]: DEFAULT_SIDECAR_NAME,
    [BOOTSTRAP_ENV.cidrs]: LATTICE_IPV4_CIDR,
    [BOOTSTRAP_ENV.ports]: '80',
    [BOOTSTRAP_ENV.port]: String(SIDECAR_PORT),
    [BOOTSTRAP_ENV.dropCaps]: NET_ADMIN,
    [KIT_OPTIONAL_ENV.waitSeconds]: '2',
    ...extra,
  };
}

/** The program never ran, the exit is non-zero, and the error is exactly one line. */
function expectRefused(r: Result, prog: 'bootstrap' | 'entrypoint', reason: RegExp): void {
  expect(r.stdout, 'the program must never start').toBe('');
  expect(r.code).not.toBe(0);
  const errors = r.stderr.split('\n').filter((l) => l.includes('error'));
  expect(errors, r.stderr).toHaveLength(1);
  expect(errors[0]).toMatch(new RegExp(`^sigv4-sidecar ${prog}: error: `));
  expect(errors[0]).toMatch(reason);
}

describe.skipIf(!enabled)('fail closed', () => {
  const topo = new Topology();
  let kit: string;
  let probe: string;
  let appRoot: string;
  let sidecarRoot: string;

  beforeAll(async () => {
    kit = buildKit();
    probe = buildProbe();
    await topo.upWithMetadata(
      taskDoc([
        { name: DEFAULT_SIDECAR_NAME, networks: bridgeNet([addr.sidecar.v4]) },
        { name: 'app', networks: bridgeNet([addr.app.v4]) },
        { name: 'app2', networks: bridgeNet([addr.app2.v4]) },
        // The states a sibling goes through before it has an address (FACTS: task metadata).
        { name: 'pulled', status: 'PULLED' },
        { name: 'created', status: 'CREATED', networks: bridgeNet(['']) },
        { name: 'null-list', networks: [{ NetworkMode: 'bridge', IPv4Addresses: null }] },
        { name: 'null-item', networks: bridgeNet([null]) },
        { name: 'null-string', networks: bridgeNet(['null']) },
        { name: 'pending', status: 'PENDING', networks: bridgeNet([addr.sidecar.v4]) },
      ]),
    );
    appRoot = topo.makeRoot('app', kit, probe);
    sidecarRoot = topo.makeRoot('sidecar', kit, probe, { sidecar: true });
    await topo.startSidecar('sidecar', sidecarRoot, sidecarEnv('app'));
  }, 60_000);

  afterAll(() => topo.down(), 30_000);

  const bootstrap = (extra: Record<string, string>, opts: { root?: string; caps?: string[]; ns?: 'app' | 'app2' } = {}) =>
    topo.runContainer(opts.ns ?? 'app', {
      root: opts.root ?? appRoot,
      env: bootstrapEnv(extra),
      argv: [KIT_BOOTSTRAP, '/app/probe', 'never'],
      addCaps: opts.caps ?? ['net_admin'],
    });

  it('task metadata unreachable', async () => {
    expectRefused(await bootstrap({ ECS_CONTAINER_METADATA_URI_V4: 'http://169.254.170.2:81/v4/app-id' }), 'bootstrap', /gave up after 2s: task metadata unreachable/);
  });

  it('the sidecar never gets an address, or a `null`/empty one, or is not RUNNING', async () => {
    const names = ['pulled', 'created', 'null-list', 'null-item', 'null-string', 'pending', 'absent'];
    const results = await Promise.all(names.map((n) => bootstrap({ [BOOTSTRAP_ENV.sidecar]: n })));
    results.forEach((r, i) => expectRefused(r, 'bootstrap', new RegExp(`sidecar container '${names[i]}' has no usable address`)));
    expect(results[1]!.stderr).toContain('KnownStatus=CREATED, addresses=[""]');
    expect(results[4]!.stderr).toContain('addresses=["null"]');
    expect(results[6]!.stderr).toContain('not in task metadata');
  });

  it('the sidecar refuses this container (not one of its clients)', async () => {
    const app2Root = topo.makeRoot('app2', kit, probe);
    expectRefused(await bootstrap({}, { root: app2Root, ns: 'app2' }), 'bootstrap', new RegExp(`sidecar ${addr.sidecar.v4} port ${SIDECAR_PORT} did not accept a connection`));
  });

  it('iptables misses a module (the tcp match)', async () => {
    const broken = topo.makeRoot('broken', kit, probe, { removeFromKit: ['xtables/libxt_tcp.so'] });
    expectRefused(await bootstrap({}, { root: broken }), 'bootstrap', /iptables .*--dport 80.* failed: .*(unknown option|dport)/);
  });

  it('the container lacks NET_ADMIN', async () => {
    expectRefused(await bootstrap({}, { caps: [] }), 'bootstrap', /iptables|Permission denied/i);
  });

  it('settings that are missing or malformed, and an unknown user', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ [BOOTSTRAP_ENV.ports]: '80 http' }, /SIGV4_SIDECAR_PORTS: 'http' is not a TCP port/],
      [{ [BOOTSTRAP_ENV.cidrs]: '' }, /SIGV4_SIDECAR_CIDRS is empty/],
      [{ [BOOTSTRAP_ENV.cidrs]: '169.254.171.0/33' }, /SIGV4_SIDECAR_CIDRS: '169.254.171.0\/33'/],
      [{ [BOOTSTRAP_ENV.sidecar]: 'bad name' }, /SIGV4_SIDECAR_NAME='bad name'/],
      [{ [BOOTSTRAP_ENV.dropCaps]: 'net_admin;reboot' }, /SIGV4_SIDECAR_DROP_CAPS/],
      [{ [BOOTSTRAP_ENV.runAs]: 'nobody-here' }, /user 'nobody-here' is not in the image's \/etc\/passwd/],
      [{ [KIT_OPTIONAL_ENV.waitSeconds]: 'forever' }, /SIGV4_SIDECAR_WAIT_SECONDS='forever'/],
    ];
    const results = await Promise.all(cases.map(([env]) => bootstrap(env)));
    results.forEach((r, i) => expectRefused(r, 'bootstrap', cases[i]![1]));
  });

  it('no command to run', async () => {
    const r = await topo.runContainer('app', { root: appRoot, env: bootstrapEnv({}), argv: [KIT_BOOTSTRAP], addCaps: ['net_admin'] });
    expectRefused(r, 'bootstrap', /no command to run/);
  });

  it('the sidecar refuses to start Envoy on unsafe settings', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ [SIDECAR_ENV.logLevel]: 'debug' }, /SIGV4_SIDECAR_LOG_LEVEL='debug' must be one of info warn error critical off/],
      [{ [SIDECAR_ENV.logLevel]: 'trace' }, /SIGV4_SIDECAR_LOG_LEVEL='trace'/],
      [{ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '' }, /no task role/],
      [{ [SIDECAR_ENV.hosts]: '.com' }, /SIGV4_SIDECAR_HOSTS: '.com'/],
      [{ [SIDECAR_ENV.hosts]: '*.example.com' }, /SIGV4_SIDECAR_HOSTS: '\*.example.com'/],
      [{ [SIDECAR_ENV.clients]: '' }, /SIGV4_SIDECAR_CLIENTS is empty/],
      [{ [SIDECAR_ENV.port]: '80' }, /SIGV4_SIDECAR_PORT='80' must be a TCP port from 1024/],
      [{ [SIDECAR_ENV.mode]: 'open' }, /SIGV4_SIDECAR_MODE='open'/],
      [{ [SIDECAR_ENV.region]: 'moon' }, /SIGV4_SIDECAR_REGION='moon'/],
      [{ [SIDECAR_ENV.networkMode]: 'awsvpc', [SIDECAR_ENV.cidrs]: '' }, /SIGV4_SIDECAR_CIDRS is empty/],
    ];
    const results = await Promise.all(
      cases.map(([env]) =>
        topo.runContainer('intruder', {
          root: sidecarRoot,
          env: { ...sidecarEnv('app'), ...env },
          argv: [`${KIT_DIR}/entrypoint`],
          addCaps: ['net_admin'],
          hostUsr: true,
        }),
      ),
    );
    results.forEach((r, i) => expectRefused(r, 'entrypoint', cases[i]![1]));
  });
});
