// The engine section of `npm run bench`: how long one rewrite takes in-process (the operator's
// cost per revision) and end to end through the CLI binary (a person's or a pipeline's cost).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject, parseDocument } from '../functions/engine';

const root = fileURLToPath(new URL('../', import.meta.url));
const SETTINGS = { sidecarImage: 'sigv4-sidecar:1.0.0', defaultRegion: 'us-east-1' };
const CASES = ['examples/bridge-app.json', 'test/golden/cases/bridge-multi-container/input.json'];
const ITERATIONS = 2000;

function microsecondsPer(run: () => void): number {
  for (let i = 0; i < 200; i++) run();
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) run();
  return Number(process.hrtime.bigint() - start) / 1e3 / ITERATIONS;
}

function medianMs(args: string[], runs = 9): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    spawnSync(process.execPath, args, { cwd: root, stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

export async function engineBench(): Promise<boolean> {
  console.log('\n## Injection engine and CLI');
  for (const path of CASES) {
    const json = JSON.parse(readFileSync(join(root, path), 'utf8'));
    const parse = microsecondsPer(() => parseDocument(json));
    const doc = parseDocument(json);
    const full = microsecondsPer(() => inject(doc, SETTINGS));
    console.log(`${path}: parse + model check ${parse.toFixed(1)} µs, inject (incl. validating the twin) ${full.toFixed(1)} µs per call`);
  }
  const bundle = readFileSync(join(root, 'dist/cli/sigv4-sidecar.cjs')).length;
  const baseline = medianMs(['-e', '0']);
  const cli = medianMs(['dist/cli/sigv4-sidecar.cjs', 'inject', CASES[0]!]);
  console.log(`CLI bundle ${(bundle / 1024).toFixed(1)} KiB; \`sigv4-sidecar inject\` end to end ${cli.toFixed(1)} ms, of which ${(cli - baseline).toFixed(1)} ms beyond \`node -e 0\` (median of 9)`);
  return true;
}
