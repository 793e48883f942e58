// The Lambda as deployed: the bundle's cold start, its settings check, and SDK clients whose
// endpoints the standard AWS_ENDPOINT_URL_<SERVICE> variables redirect.
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListClustersCommand } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClients, MAX_ATTEMPTS } from '../../functions/operator/clients';

const root = new URL('../../', import.meta.url);
const bundle = 'dist/operator/index.js';
const env = { PATH: process.env.PATH, AWS_REGION: 'eu-west-1', SIDECAR_IMAGE: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/sigv4-sidecar:1' };

describe('the bundle (npm run build)', () => {
  it('exports handler once the settings are valid', () => {
    const out = execFileSync(process.execPath, ['-e', `process.stdout.write(typeof require('./${bundle}').handler)`], { cwd: root, env });
    expect(out.toString()).toBe('function');
  });

  it('fails at cold start with a message naming the missing setting', () => {
    const run = spawnSync(process.execPath, ['-e', `require('./${bundle}')`], { cwd: root, env: { ...env, SIDECAR_IMAGE: '' } });
    expect(run.status).not.toBe(0);
    expect(run.stderr.toString()).toContain('SIDECAR_IMAGE: is required');
  });

  it('ignores a malformed event with one log line and no exception', () => {
    const script = `require('./${bundle}').handler({ source: 'aws.ecs', 'detail-type': 'AWS API Call via CloudTrail', detail: { eventSource: 'ecs.amazonaws.com', eventName: 'RunTask' } }).then((r) => process.stdout.write('\\n' + JSON.stringify(r)))`;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: root, env }).toString().split('\n').filter(Boolean);
    expect(JSON.parse(out.at(-1)!)).toEqual({ ignored: 'eventName "RunTask" is not handled' });
    expect(out.slice(0, -1).map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: 'INFO', message: 'event ignored', reason: 'eventName "RunTask" is not handled' }),
    ]);
  });
});

describe('SDK clients', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('use adaptive retries', async () => {
    const { ecs } = createClients('eu-west-1');
    expect(await ecs.config.maxAttempts()).toBe(MAX_ATTEMPTS);
    expect(((await ecs.config.retryStrategy()) as { mode?: string }).mode).toBe('adaptive');
  });

  it('follow AWS_ENDPOINT_URL_ECS (no endpoint is hard-coded)', async () => {
    const seen: Array<{ target?: string; host?: string }> = [];
    const server = createServer((request, response) => {
      seen.push({ target: request.headers['x-amz-target'] as string, host: request.headers.host });
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      response.end(JSON.stringify({ clusterArns: ['arn:aws:ecs:eu-west-1:111122223333:cluster/local'] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    vi.stubEnv('AWS_ENDPOINT_URL_ECS', `http://127.0.0.1:${port}`);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'example-secret');
    try {
      const { ecs } = createClients('eu-west-1');
      const out = await ecs.send(new ListClustersCommand({}));
      expect(out.clusterArns).toEqual(['arn:aws:ecs:eu-west-1:111122223333:cluster/local']);
      expect(seen).toEqual([{ target: 'AmazonEC2ContainerServiceV20141113.ListClusters', host: `127.0.0.1:${port}` }]);
    } finally {
      server.close();
    }
  });
});
