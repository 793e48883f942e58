// The example app: plain HTTP to TARGET_URL, one JSON log line per call; HTTP_PROXY (proxy
// mode) honoured unless NO_PROXY lists the host. Loopback only.
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repo } from '../netns/harness.js';

const client = join(repo, 'app-image/client.mjs');
const seen: { url: string; host: string }[] = [];
let server: http.Server;
let port = 0;

function runClient(env: Record<string, string>): Promise<{ code: number | null; lines: Record<string, unknown>[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [client], { env: { PATH: process.env.PATH ?? '', ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`client did not finish: ${err}`));
    }, 10_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr: err, lines: out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) });
    });
  });
}

describe('app-image client', () => {
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ url: req.url ?? '', host: req.headers.host ?? '' });
      res.writeHead(req.url?.includes('missing') ? 404 : 200).end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('calls the URL every interval and logs status and latency', async () => {
    seen.length = 0;
    const r = await runClient({ TARGET_URL: `http://127.0.0.1:${port}/orders?x=1`, INTERVAL_SECONDS: '0.01', MAX_REQUESTS: '3' });
    expect(r.code).toBe(0);
    expect(r.lines).toHaveLength(3);
    for (const l of r.lines) expect(l).toMatchObject({ status: 200, via: 'direct', latencyMs: expect.any(Number) });
    expect(seen.map((s) => s.url)).toEqual(['/orders?x=1', '/orders?x=1', '/orders?x=1']);
  });

  it('sends absolute-form requests through HTTP_PROXY, and direct for NO_PROXY hosts', async () => {
    seen.length = 0;
    const target = 'http://billing.example.vpc-lattice-svcs.eu-west-1.on.aws/missing';
    const viaProxy = await runClient({ TARGET_URL: target, HTTP_PROXY: `http://127.0.0.1:${port}`, MAX_REQUESTS: '1' });
    expect(viaProxy.lines[0]).toMatchObject({ status: 404, via: 'proxy' });
    expect(seen[0]).toEqual({ url: target, host: 'billing.example.vpc-lattice-svcs.eu-west-1.on.aws' });

    const direct = await runClient({ TARGET_URL: `http://127.0.0.1:${port}/`, HTTP_PROXY: 'http://127.0.0.1:1', NO_PROXY: '169.254.170.2,127.0.0.1', MAX_REQUESTS: '1' });
    expect(direct.lines[0]).toMatchObject({ status: 200, via: 'direct' });
  });

  it('logs connection errors instead of crashing, and refuses a non-http URL', async () => {
    const refused = await runClient({ TARGET_URL: 'http://127.0.0.1:1/', MAX_REQUESTS: '1' });
    expect(refused.lines[0]).toMatchObject({ error: 'ECONNREFUSED' });
    const bad = await runClient({ TARGET_URL: 'https://x.example.com/' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('TARGET_URL must be an http:// URL');
  });
});
