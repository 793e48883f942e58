// The CLI through the real binary (dist/cli/sigv4-sidecar.cjs, built by npm test): exit codes,
// stdout/stderr separation, stdin, help and flag errors.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../functions/cli/main';

const ROOT = join(__dirname, '../..');
const BIN = join(ROOT, 'dist/cli/sigv4-sidecar.cjs');
const EXAMPLE = join(ROOT, 'examples/bridge-app.json');
const REFUSED = join(ROOT, 'test/golden/cases/refused-invalid-tags/input.json');

function cli(args: string[], stdin?: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    input: stdin ?? '',
    encoding: 'utf8',
    env: { PATH: process.env.PATH, SIDECAR_IMAGE: '111122223333.dkr.ecr.us-west-2.amazonaws.com/sigv4-sidecar:1.0.0' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  // npm test builds first; a missing binary means the build step did not run.
  expect(() => readFileSync(BIN), `${BIN} missing: run npm run build`).not.toThrow();
});

describe('sigv4-sidecar inject', () => {
  it('prints only the twin JSON on stdout and the summary on stderr; exit 0', () => {
    const { code, stdout, stderr } = cli(['inject', EXAMPLE]);
    expect(code).toBe(0);
    const twin = JSON.parse(stdout);
    expect(twin.family).toBe('orders-client');
    expect(twin.containerDefinitions.map((c: { name: string }) => c.name)).toEqual(['app', 'sigv4-sidecar']);
    expect(twin.containerDefinitions[1].image).toBe('111122223333.dkr.ecr.us-west-2.amazonaws.com/sigv4-sidecar:1.0.0');
    expect(stderr).toMatch(/^injected orders-client \(fingerprint [0-9a-f]{12}\):/);
    expect(stderr).toContain('app: entryPoint wrapped by /opt/sigv4-sidecar/bootstrap');
  });

  it('says when the twin uses the placeholder image', () => {
    const result = spawnSync(process.execPath, [BIN, 'inject', EXAMPLE], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(result.status).toBe(0);
    expect(result.stderr.split('\n')[0]).toBe(
      "note: no --image or $SIDECAR_IMAGE: the twin uses sigv4-sidecar:latest; set your registry's image to register it",
    );
    expect(cli(['inject', EXAMPLE]).stderr).not.toContain('note:');
  });

  it('reads stdin when FILE is - or absent, and honours --image and --region', () => {
    const input = readFileSync(join(ROOT, 'test/golden/cases/bridge-transparent-register-input/input.json'), 'utf8');
    for (const args of [['inject', '-'], ['inject']]) {
      const { code, stdout } = cli([...args, '--image', 'registry.example.com/signer:2', '--region', 'eu-west-1'], input);
      expect(code).toBe(0);
      const sidecar = JSON.parse(stdout).containerDefinitions.at(-1);
      expect(sidecar.image).toBe('registry.example.com/signer:2');
      expect(sidecar.environment).toContainEqual({ name: 'SIGV4_SIDECAR_REGION', value: 'eu-west-1' });
    }
  });

  it('exit 3 on refusal: every reason on stderr, one per line, nothing on stdout', () => {
    const { code, stdout, stderr } = cli(['inject', REFUSED]);
    expect(code).toBe(3);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toBe('refused: demo is not injected:');
    expect(lines.filter((line) => line.startsWith('tag sigv4-sidecar/'))).toHaveLength(11);
  });

  it.each([
    [['inject', '/nonexistent.json'], 'cannot read /nonexistent.json'],
    [['inject', '--imgae', 'x', EXAMPLE], "Unknown option '--imgae'"],
    [['inject', EXAMPLE, EXAMPLE], 'inject takes one FILE, got 2'],
    [['inject', '--region', 'mars', EXAMPLE], 'defaultRegion: "mars" is not an AWS region'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [[], 'Usage: sigv4-sidecar <command>'],
  ])('exit 2 for %j, saying what is wrong', (args, message) => {
    const { code, stdout, stderr } = cli(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
  });

  it('exit 2 for input that is not JSON or not a task definition, with where', () => {
    expect(cli(['inject'], '{"family": ')).toMatchObject({ code: 2, stderr: expect.stringContaining('stdin is not valid JSON') });
    expect(cli(['inject'], '{"family":"a","containerDefinitions":[{"name":"a","image":"b","memory":"lots"}]}')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('stdin: $.containerDefinitions[0].memory:'),
    });
  });
});

describe('sigv4-sidecar strip and explain', () => {
  it('strip gives the source back from the twin', () => {
    const twin = cli(['inject', EXAMPLE]).stdout;
    const { code, stdout } = cli(['strip'], twin);
    expect(code).toBe(0);
    const source = JSON.parse(stdout);
    expect(source.containerDefinitions).toHaveLength(1);
    expect(source.containerDefinitions[0].entryPoint).toEqual(['/usr/local/bin/orders-client']);
    expect(source.containerDefinitions[0].user).toBe('1000:1000');
    expect(source.tags).toEqual([{ key: 'sigv4-sidecar', value: 'true' }, { key: 'team', value: 'orders' }]);
  });

  it('explain says yes with the settings and changes (exit 0), or no with every reason (exit 3)', () => {
    const yes = cli(['explain', EXAMPLE]);
    expect(yes.code).toBe(0);
    expect(yes.stdout).toMatch(/^orders-client:7 would be injected\./);
    expect(yes.stdout).toContain('  region: us-west-2');
    const no = cli(['explain', REFUSED]);
    expect(no.code).toBe(3);
    expect(no.stdout).toContain('demo would not be injected:');
    expect(no.stdout).toContain('  - tag sigv4-sidecar/log-level="trace" is invalid');
  });

  it.each(['inject', 'strip', 'explain'])('%s --help prints its usage on stdout, exit 0', (command) => {
    const { code, stdout } = cli([command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: sigv4-sidecar ${command}`);
  });

  it('strip takes no settings flags', () => {
    expect(cli(['strip', '--image', 'x', EXAMPLE])).toMatchObject({ code: 2, stderr: expect.stringContaining("Unknown option '--image'") });
  });
});

describe('run', () => {
  it('exit 1 on an unexpected failure, with the stack on stderr', () => {
    let stderr = '';
    const code = run(['inject', EXAMPLE], {
      stdout: () => {
        throw new Error('EPIPE');
      },
      stderr: (text) => (stderr += text),
      readStdin: () => '',
      env: {},
    });
    expect(code).toBe(1);
    expect(stderr).toContain('unexpected failure: Error: EPIPE');
  });
});
