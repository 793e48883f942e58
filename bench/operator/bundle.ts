// Bundle size and cold-start cost of the operator Lambda, against an unoptimized bundle of the
// same handler (every command of every client kept, CommonJS builds of the SDK, no minify).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const OPERATOR_BUNDLE = join(root, 'dist/operator/index.js');
const RUNS = 15;
const ENV = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'eu-west-1',
  SIDECAR_IMAGE: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/sigv4-sidecar:1.0.0',
  // Keeps the SDK's Node version notice out of the measurement.
  AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
};

export interface Size {
  raw: number;
  gzip: number;
}

export function sizeOf(file: string): Size {
  const bytes = readFileSync(file);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

/** The production bundle, as `npm run build` makes it. */
export function buildOperatorBundle(): void {
  const run = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) throw new Error('npm run build failed');
}

/** The same handler with all four clients (every command) and no minification. */
export async function buildUnoptimizedBundle(dir: string): Promise<string> {
  const entry = join(dir, 'entry.ts');
  writeFileSync(
    entry,
    [
      `import * as ecs from '@aws-sdk/client-ecs';`,
      `import * as ecr from '@aws-sdk/client-ecr';`,
      `import * as iam from '@aws-sdk/client-iam';`,
      `import * as events from '@aws-sdk/client-eventbridge';`,
      `export const clients = { ecs, ecr, iam, events };`,
      `export { handler } from ${JSON.stringify(join(root, 'functions/operator/index.ts'))};`,
    ].join('\n'),
  );
  const outfile = join(dir, 'index.js');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    logLevel: 'warning',
    nodePaths: [join(root, 'node_modules')],
  });
  writeFileSync(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
  return outfile;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeNode(args: string[]): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { env: ENV });
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${run.stderr.toString().slice(0, 500)}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Median milliseconds of `require(file)` beyond `node -e 0`, runs interleaved to share noise. */
export function coldStartMs(files: string[]): number[] {
  const baseline: number[] = [];
  const samples = files.map(() => [] as number[]);
  for (let i = 0; i < RUNS; i++) {
    baseline.push(timeNode(['-e', '0']));
    files.forEach((file, f) => samples[f]!.push(timeNode(['-e', `require(${JSON.stringify(file)})`])));
  }
  const base = median(baseline);
  return samples.map((s) => median(s) - base);
}

export function withTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'sigv4-sidecar-bench-'));
  return work(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}
