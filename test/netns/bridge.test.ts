// Bridge mode on an emulated ECS host, real kernel iptables, both backends: the app container
// runs the REAL bootstrap from the kit, the sidecar container the REAL entrypoint, with a
// stand-in where Envoy would be.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BOOTSTRAP_ENV, KIT_BOOTSTRAP, SIDECAR_HEALTHCHECK, SIDECAR_PORT, DEFAULT_SIDECAR_NAME, LATTICE_IPV4_CIDR, LATTICE_IPV6_CIDR, NET_ADMIN, SETPCAP, KIT_OPTIONAL_ENV } from '../../functions/engine/constants.js';
import { addr, bridgeNet, buildKit, buildProbe, netnsAvailable, type Service, sidecarEnv, taskDoc, Topology, hasCap, type ProbeReport } from './harness.js';

const enabled = netnsAvailable();
// Real processes and kernels, on a 2-core machine shared with the rest of the suite.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 120_000 });
const LATTICE_HOST = 'billing-0123456789abcdef0.7d67968.vpc-lattice-svcs.eu-west-1.on.aws';
const CAP_NET_ADMIN = 12;
const CAP_SETPCAP = 8;



const ORIGINAL_ENV: Record<string, string> = {
  PATH: '/usr/local/bin:/usr/bin:/bin',
  HOME: '/root',
  APP_GREETING: 'hello "world" it\'s $HOME `not run`',
  'weird.name-with.dots': 'kept',
  MULTI_LINE: 'line one\nline two',
  EMPTY: '',
  // Meant for the app only (which is static and ignores it): it must reach the app, and never
  // be loaded into the kit's own binaries (any dynamic program loading it exits 99).
  LD_PRELOAD: '/app/preload-exit99.so',
  ECS_CONTAINER_METADATA_URI_V4: 'http://169.254.170.2/v4/app-id',
};
const ARGS = ['plain', 'with space', 'double"quote', "single'quote", '$(echo no)', '', '--flag=x y'];

function bootstrapEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...ORIGINAL_ENV,
    [BOOTSTRAP_ENV.sidecar]: DEFAULT_SIDECAR_NAME,
    [BOOTSTRAP_ENV.cidrs]: `${LATTICE_IPV4_CIDR} ${LATTICE_IPV6_CIDR}`,
    [BOOTSTRAP_ENV.ports]: '80 8080',
    [BOOTSTRAP_ENV.port]: String(SIDECAR_PORT),
    [BOOTSTRAP_ENV.runAs]: 'app',
    [BOOTSTRAP_ENV.dropCaps]: NET_ADMIN,
    [BOOTSTRAP_ENV.fromImage]: 'entryPoint command',
    [KIT_OPTIONAL_ENV.waitSeconds]: '10',
    ...extra,
  };
}


describe.skipIf(!enabled).each([
  { backend: 'nft', removeFromKit: [] as string[] },
  // nf_tables unusable (its binary gone): the kit must fall back to the legacy backend.
  { backend: 'legacy', removeFromKit: ['bin/xtables-nft-multi'] },
])('bridge mode, $backend backend', ({ backend, removeFromKit }) => {
  const topo = new Topology();
  let sidecar: Service;
  let appRoot: string;
  let sidecarRoot: string;
  let report: ProbeReport;
  let bootstrapRun: { code: number | null; stderr: string };

  const doc = (): string =>
    taskDoc([
      { name: DEFAULT_SIDECAR_NAME, networks: bridgeNet([addr.sidecar.v4], [addr.sidecar.v6]) },
      { name: 'app', networks: bridgeNet([addr.app.v4], [addr.app.v6]) },
      { name: 'app2', networks: bridgeNet([addr.app2.v4], [addr.app2.v6]) },
    ]);

  beforeAll(async () => {
    const kit = buildKit();
    const probe = buildProbe();
    await topo.upWithMetadata(doc());
    appRoot = topo.makeRoot('app', kit, probe, { removeFromKit });
    sidecarRoot = topo.makeRoot('sidecar', kit, probe, { sidecar: true, removeFromKit });
    sidecar = await topo.startSidecar('sidecar', sidecarRoot, sidecarEnv('app'));
    const r = await topo.runContainer('app', {
      root: appRoot,
      env: bootstrapEnv({ PROBE_EXIT_CODE: '0' }),
      argv: [KIT_BOOTSTRAP, '/app/probe', ...ARGS],
      addCaps: ['net_admin'],
    });
    bootstrapRun = r;
    expect(r.stderr, r.stderr).not.toMatch(/error/i);
    expect(r.code, r.stderr).toBe(0);
    expect(r.code).toBe(0);
    report = JSON.parse(r.stdout) as ProbeReport;
  }, 60_000);

  afterAll(() => topo.down(), 30_000);

  it(`installs its rules with the ${backend} backend only (never both in one namespace)`, async () => {
    expect(bootstrapRun.stderr).toContain(`iptables backend: xtables-${backend}`);
    const other = backend === 'nft' ? 'legacy' : 'nft';
    const mine = await topo.exec('app', [`iptables-${backend}`, '-t', 'nat', '-S', 'SIGV4_SIDECAR']);
    expect(mine.code).toBe(0);
    if (backend === 'nft') {
      // Not a single legacy table was created in the namespace (listing one would create it).
      const legacy = await topo.exec('app', ['cat', '/proc/net/ip_tables_names', '/proc/net/ip6_tables_names']);
      expect(legacy.stdout).toBe('');
    } else {
      const theirs = await topo.exec('app', [`iptables-${other}-save`]);
      expect(theirs.stdout).not.toContain('SIGV4_SIDECAR');
    }
  });

  it('sends Lattice traffic on the configured ports to the sidecar with its Host header, IPv4 and IPv6', async () => {
    const res = await topo.request('app', [
      { url: `http://${addr.lattice.v4}/orders?id=1`, host: LATTICE_HOST },
      { url: `http://${addr.lattice.v4}:8080/x`, host: `${LATTICE_HOST}:8080` },
      { url: `http://[${addr.lattice.v6}]/v6`, host: LATTICE_HOST },
      { url: `http://[${addr.lattice.v6}]:8080/v6`, host: LATTICE_HOST },
    ]);
    for (const r of res) {
      expect(r.body?.who, r.url).toBe('sidecar');
    }
    expect(res[0]!.body).toMatchObject({ host: LATTICE_HOST, path: '/orders?id=1', remote: expect.stringContaining(addr.app.v4) });
    expect(res[1]!.body?.host).toBe(`${LATTICE_HOST}:8080`);
    expect(res[2]!.body?.remote).toBe(addr.app.v6);
  });

  it('leaves other ports, other destinations, task metadata and instance metadata alone', async () => {
    const res = await topo.request('app', [
      { url: `http://${addr.lattice.v4}:443/` },
      { url: `http://[${addr.lattice.v6}]:443/` },
      { url: `http://${addr.lattice.transit}/` },
      { url: 'http://169.254.170.2/v2/credentials/00000000-task-role' },
      { url: 'http://169.254.169.254/latest/meta-data/' },
    ]);
    expect(res.map((r) => r.body?.who)).toEqual(['lattice', 'lattice', 'lattice', 'metadata', 'imds']);
    expect(res[0]!.body?.port).toBe(443);
  });

  it('keeps the sidecar port closed to an intruder container, IPv4 and IPv6', async () => {
    const res = await topo.request('intruder', [
      { url: `http://${addr.sidecar.v4}:${SIDECAR_PORT}/`, host: LATTICE_HOST },
      { url: `http://[${addr.sidecar.v6}]:${SIDECAR_PORT}/`, host: LATTICE_HOST },
    ]);
    expect(res.map((r) => r.error)).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);
    const allowed = await topo.request('app', [{ url: `http://${addr.sidecar.v4}:${SIDECAR_PORT}/`, host: LATTICE_HOST }]);
    expect(allowed[0]!.body?.who).toBe('sidecar');
  });

  it('starts the app as its original user, without NET_ADMIN in any capability set', () => {
    expect(report.uid).toBe(1000);
    expect(report.gid).toBe(1000);
    expect(report.groups).toEqual([1500]);
    for (const set of ['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb']) {
      expect(hasCap(report.status[set], CAP_NET_ADMIN), set).toBe(false);
    }
    expect(report.status.CapEff).toBe('0000000000000000');
  });

  it('passes argv and the environment unchanged, without SIGV4_SIDECAR_* variables', () => {
    expect(report.argv).toEqual(['/app/probe', ...ARGS]);
    const env = Object.fromEntries(report.env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    // HOME: Docker set /root because the engine made the container user 0; the app gets the
    // home its own user would have had.
    expect(env).toEqual({ ...ORIGINAL_ENV, HOME: '/home/app', PROBE_EXIT_CODE: '0' });
  });

  it('propagates the exit code and keeps NET_ADMIN and SETPCAP away from a root app', async () => {
    const r = await topo.runContainer('app', {
      root: appRoot,
      env: bootstrapEnv({ PROBE_EXIT_CODE: '7', [BOOTSTRAP_ENV.runAs]: '', [BOOTSTRAP_ENV.dropCaps]: `${NET_ADMIN} ${SETPCAP}` }),
      argv: [KIT_BOOTSTRAP, '/app/probe'],
      addCaps: ['net_admin'],
    });
    expect(r.code).toBe(7);
    const rep = JSON.parse(r.stdout) as ProbeReport;
    expect(rep.uid).toBe(0);
    for (const set of ['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb']) {
      expect(hasCap(rep.status[set], CAP_NET_ADMIN), set).toBe(false);
      expect(hasCap(rep.status[set], CAP_SETPCAP), set).toBe(false);
    }
    expect(hasCap(rep.status.CapEff, 0 /* CHOWN: Docker's defaults stay */)).toBe(true);
  });

  it('resolves the original user the way Docker does (uid, user:group, unknown uid)', async () => {
    const cases = [
      { runAs: '1000', want: { uid: 1000, gid: 1000, groups: [1500], home: '/home/app' } },
      { runAs: 'app:metrics', want: { uid: 1000, gid: 1500, groups: [1500], home: '/home/app' } },
      { runAs: '4242:7', want: { uid: 4242, gid: 7, groups: [], home: '/' } },
      { runAs: '4242', want: { uid: 4242, gid: 0, groups: [], home: '/' } },
    ];
    // One after the other, like restarts: a namespace belongs to one container at a time.
    const runs = [];
    for (const { runAs } of cases) {
      runs.push(await topo.runContainer('app', { root: appRoot, env: bootstrapEnv({ [BOOTSTRAP_ENV.runAs]: runAs }), argv: [KIT_BOOTSTRAP, '/app/probe'], addCaps: ['net_admin'] }));
    }
    runs.forEach((r, i) => {
      expect(r.code, r.stderr).toBe(0);
      const rep = JSON.parse(r.stdout) as ProbeReport;
      const { want } = cases[i]!;
      expect({ uid: rep.uid, gid: rep.gid, groups: rep.groups, home: rep.env.find((kv) => kv.startsWith('HOME='))?.slice(5) }).toEqual(want);
      expect(rep.status.CapEff).toBe('0000000000000000');
    });
  });

  it('restarts in the same namespace without failing on, or duplicating, its rules', async () => {
    const r = await topo.runContainer('app', {
      root: appRoot,
      env: bootstrapEnv(),
      argv: [KIT_BOOTSTRAP, '/app/probe'],
      addCaps: ['net_admin'],
    });
    expect(r.code).toBe(0);
    const rules = await topo.exec('app', [`iptables-${backend}`, '-t', 'nat', '-S', 'SIGV4_SIDECAR']);
    expect(rules.stdout.match(/-j DNAT/g)).toHaveLength(2); // one CIDR x two ports
    const jumps = await topo.exec('app', [`iptables-${backend}`, '-t', 'nat', '-S', 'OUTPUT']);
    expect(jumps.stdout.match(/-j SIGV4_SIDECAR/g)).toHaveLength(1);
  });

  it('runs Envoy as the envoy user with no capabilities, reports healthy, and restarts cleanly', async () => {
    const st = await topo.request('sidecar', [{ url: 'http://127.0.0.1:9901/standin/status' }]);
    const body = st[0]!.body as { uid: number; status: Record<string, string>; args: string[] };
    expect(body.uid).toBe(101);
    for (const set of ['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb']) expect(body.status[set], set).toBe('0000000000000000');
    expect(body.status.NoNewPrivs).toBe('1');
    expect(body.args).toEqual(expect.arrayContaining(['--log-level', 'info']));
    const healthy = await topo.runContainer('sidecar', { root: sidecarRoot, env: {}, argv: [SIDECAR_HEALTHCHECK], hostUsr: true });
    expect(healthy.code).toBe(0);

    await topo.stop(sidecar);
    const unhealthy = await topo.runContainer('sidecar', { root: sidecarRoot, env: {}, argv: [SIDECAR_HEALTHCHECK], hostUsr: true });
    expect(unhealthy.code).toBe(1);
    expect(unhealthy.stderr).toMatch(/^sigv4-sidecar healthcheck: Envoy is not ready/);

    sidecar = await topo.startSidecar('sidecar', sidecarRoot, sidecarEnv('app'));
    const rules = await topo.exec('sidecar', [`iptables-${backend}`, '-S', 'SIGV4_SIDECAR']);
    expect(rules.stdout.match(/-j REJECT/g)).toHaveLength(1);
    const again = await topo.request('intruder', [{ url: `http://${addr.sidecar.v4}:${SIDECAR_PORT}/` }]);
    expect(again[0]!.error).toBe('ECONNREFUSED');
  });
});
