// awsvpc (one namespace for the whole task) in transparent and proxy mode, and bridge proxy
// mode, with the REAL sidecar entrypoint and a stand-in where Envoy would be.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BOOTSTRAP_ENV, DEFAULT_SIDECAR_NAME, KIT_BOOTSTRAP, KIT_OPTIONAL_ENV, LATTICE_IPV4_CIDR, LATTICE_IPV6_CIDR, NET_ADMIN, SIDECAR_ENV, SIDECAR_PORT } from '../../functions/engine/constants.js';
import { addr, bridgeNet, buildKit, buildProbe, netnsAvailable, sidecarEnv, taskDoc, Topology } from './harness.js';

const enabled = netnsAvailable();
// Real processes and kernels, on a 2-core machine shared with the rest of the suite.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 120_000 });
const LATTICE_HOST = 'inventory-0a1b2c3d4e5f6a7b8.7d67968.vpc-lattice-svcs.eu-west-1.on.aws';

describe.skipIf(!enabled)('sidecar modes', () => {
  const topo = new Topology();
  let kit: string;
  let probe: string;

  beforeAll(async () => {
    kit = buildKit();
    probe = buildProbe();
    await topo.upWithMetadata(
      taskDoc([
        { name: DEFAULT_SIDECAR_NAME, networks: bridgeNet([addr.sidecar.v4], [addr.sidecar.v6]) },
        { name: 'app', networks: bridgeNet([addr.app.v4], [addr.app.v6]) },
        // The same sidecar as ECS might report it in bridge mode: no IPv6 address.
        { name: 'sidecar-v4-only', networks: bridgeNet([addr.sidecar.v4]) },
      ]),
    );
  }, 60_000);

  afterAll(() => topo.down(), 30_000);

  const awsvpcEnv = (mode: 'transparent' | 'proxy'): Record<string, string> => {
    const env: Record<string, string> = { ...sidecarEnv(''), [SIDECAR_ENV.mode]: mode, [SIDECAR_ENV.networkMode]: 'awsvpc' };
    if (mode === 'transparent') {
      env[SIDECAR_ENV.cidrs] = `${LATTICE_IPV4_CIDR} ${LATTICE_IPV6_CIDR}`;
      env[SIDECAR_ENV.ports] = '80';
    }
    return env;
  };

  describe('awsvpc transparent', () => {
    beforeAll(async () => {
      const root = topo.makeRoot('task-sidecar', kit, probe, { sidecar: true });
      await topo.startSidecar('task', root, awsvpcEnv('transparent'));
    }, 30_000);

    it('redirects the task namespace\'s Lattice traffic to Envoy on loopback, IPv4 and IPv6', async () => {
      const res = await topo.request('task', [
        { url: `http://${addr.lattice.v4}/a`, host: LATTICE_HOST },
        { url: `http://[${addr.lattice.v6}]/b`, host: LATTICE_HOST },
      ]);
      expect(res.map((r) => r.body?.who)).toEqual(['sidecar', 'sidecar']);
      // REDIRECT keeps the task's own source address; the listener itself is loopback only.
      expect(res[0]!.body).toMatchObject({ host: LATTICE_HOST, remote: addr.task.v4 });
      expect(res[1]!.body?.remote).toBe(addr.task.v6);
    });

    it('leaves other ports and both metadata endpoints alone', async () => {
      const res = await topo.request('task', [
        { url: `http://${addr.lattice.v4}:443/` },
        { url: 'http://169.254.170.2/v2/credentials/x' },
        { url: 'http://169.254.169.254/latest/' },
      ]);
      expect(res.map((r) => r.body?.who)).toEqual(['lattice', 'metadata', 'imds']);
    });

    it('lets Envoy\'s own connections to Lattice out instead of looping them back', async () => {
      const url = encodeURIComponent(`http://${addr.lattice.v4}/from-envoy`);
      const res = await topo.request('task', [{ url: `http://127.0.0.1:9901/standin/fetch?url=${url}` }]);
      expect((res[0]!.body as { body?: { who?: string } }).body?.who).toBe('lattice');
    });

    it('listens on loopback only: other containers cannot reach the port', async () => {
      const res = await topo.request('intruder', [{ url: `http://${addr.task.v4}:${SIDECAR_PORT}/`, host: LATTICE_HOST }]);
      expect(res[0]!.error).toBe('ECONNREFUSED');
    });
  });

  it('awsvpc proxy: starts without NET_ADMIN, installs no rules, listens on loopback', async () => {
    const root = topo.makeRoot('proxy-sidecar', kit, probe, { sidecar: true });
    await topo.startSidecar('app2', root, awsvpcEnv('proxy'), []);
    const res = await topo.request('app2', [
      { url: `http://127.0.0.1:${SIDECAR_PORT}/`, host: LATTICE_HOST },
      { url: `http://${addr.lattice.v4}/` },
      { url: 'http://127.0.0.1:9901/standin/status' },
    ]);
    expect(res[0]!.body?.who).toBe('sidecar');
    expect(res[1]!.body?.who).toBe('lattice');
    expect((res[2]!.body as { status: Record<string, string> }).status.CapBnd).toBe('0000000000000000');
    const rules = await topo.exec('app2', ['iptables-nft-save']);
    expect(rules.stdout).not.toContain('SIGV4_SIDECAR');
    const outside = await topo.request('intruder', [{ url: `http://${addr.app2.v4}:${SIDECAR_PORT}/` }]);
    expect(outside[0]!.error).toBe('ECONNREFUSED');
  });

  it('SIGTERM: drain-init (no shell) asks Envoy to drain, in-flight requests finish, then Envoy stops', async () => {
    const root = topo.makeRoot('drain-sidecar', kit, probe, { sidecar: true });
    const sidecar = await topo.startSidecar('intruder', root, awsvpcEnv('proxy'), []);
    const pid = topo.containerInit(sidecar);
    // The container's PID 1 ends up as drain-init, Envoy (the stand-in) its child: no shell.
    expect(readFileSync(`/proc/${pid}/comm`, 'utf8').trim()).toBe('drain-init');
    expect(readFileSync(`/proc/${pid}/status`, 'utf8')).toMatch(/^NSpid:\s+\d+\s+1$/m);
    const exited = new Promise<number | null>((resolve) => sidecar.child.once('close', resolve));
    const inFlight = topo.request('intruder', [{ url: `http://127.0.0.1:${SIDECAR_PORT}/slow/1500`, host: LATTICE_HOST, timeoutMs: 10_000 }]);
    await new Promise((r) => setTimeout(r, 300));
    const termAt = Date.now();
    process.kill(pid, 'SIGTERM');
    const [res] = await inFlight;
    expect(res!.body?.who).toBe('sidecar');
    expect(await exited).toBe(0);
    expect(Date.now() - termAt).toBeGreaterThanOrEqual(4_000); // the drain period (5 s) came first
    expect(sidecar.output()).toContain('DRAIN /drain_listeners?graceful&inboundonly');
    expect(sidecar.output()).toContain('SIGTERM after drain request: true');
  });

  it('bridge proxy: the same per-client firewall as transparent mode', async () => {
    const root = topo.makeRoot('bridge-proxy-sidecar', kit, probe, { sidecar: true });
    await topo.startSidecar('sidecar', root, { ...sidecarEnv('app'), [SIDECAR_ENV.mode]: 'proxy' });
    // The watcher opens the port to `app` once metadata shows it RUNNING: poll, bounded.
    let allowed: Awaited<ReturnType<typeof topo.request>> = [];
    for (let i = 0; i < 20; i++) {
      allowed = await topo.request('app', [{ url: `http://${addr.sidecar.v4}:${SIDECAR_PORT}/`, host: 'example.org' }]);
      if (allowed[0]!.body) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(allowed[0]!.body?.who).toBe('sidecar');
    const denied = await topo.request('intruder', [
      { url: `http://${addr.sidecar.v4}:${SIDECAR_PORT}/` },
      { url: `http://[${addr.sidecar.v6}]:${SIDECAR_PORT}/` },
    ]);
    expect(denied.map((r) => r.error)).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);
  });

  it('bridge, app with IPv6 but sidecar without (after a restart): IPv6 Lattice traffic is refused, never sent unsigned', async () => {
    const appRoot = topo.makeRoot('app-v6', kit, probe);
    const start = (sidecarName: string) =>
      topo.runContainer('app', {
        root: appRoot,
        env: {
          ECS_CONTAINER_METADATA_URI_V4: 'http://169.254.170.2/v4/app-id',
          [BOOTSTRAP_ENV.sidecar]: sidecarName,
          [BOOTSTRAP_ENV.cidrs]: `${LATTICE_IPV4_CIDR} ${LATTICE_IPV6_CIDR}`,
          [BOOTSTRAP_ENV.ports]: '80',
          [BOOTSTRAP_ENV.port]: String(SIDECAR_PORT),
          [BOOTSTRAP_ENV.dropCaps]: NET_ADMIN,
          [KIT_OPTIONAL_ENV.waitSeconds]: '10',
        },
        argv: [KIT_BOOTSTRAP, '/app/probe'],
        addCaps: ['net_admin'],
      });
    // A first start with an IPv6 sidecar leaves IPv6 DNAT behind; the restart must replace it.
    expect((await start(DEFAULT_SIDECAR_NAME)).code).toBe(0);
    const r = await start('sidecar-v4-only');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('IPv6 destinations in SIGV4_SIDECAR_CIDRS are rejected');
    const res = await topo.request('app', [
      { url: `http://[${addr.lattice.v6}]/`, host: LATTICE_HOST },
      { url: `http://${addr.lattice.v4}/`, host: LATTICE_HOST },
      { url: `http://[${addr.lattice.v6}]:443/` },
    ]);
    expect(res[0]!.error).toBe('ECONNREFUSED');
    expect(res[1]!.body?.who).toBe('sidecar');
    expect(res[2]!.body?.who).toBe('lattice');
  });
});
