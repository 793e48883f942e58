// The operator section of `npm run bench`: bundle size, cold start, ECS calls per event path and
// the sweep against ECS's rate limits, each measured in this run, with its target.
import { buildOperatorBundle, buildUnoptimizedBundle, coldStartMs, OPERATOR_BUNDLE, sizeOf, withTempDir } from './operator/bundle';
import { measureEventPaths } from './operator/event-paths';
import { measureSweep, SWEEP_SCENARIOS } from './operator/sweep';

const COLD_START_TARGET = 0.5;
const SWEEP_TARGET = 1.25;

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const verdict = (met: boolean) => (met ? 'target met' : 'TARGET MISSED');

/** Prints the section; returns whether every target was met. */
export async function operatorBench(): Promise<boolean> {
  console.log('\n## Operator Lambda');
  let allMet = true;

  buildOperatorBundle();
  const size = sizeOf(OPERATOR_BUNDLE);
  console.log(`bundle dist/operator/index.js: ${kib(size.raw)} raw, ${kib(size.gzip)} gzip`);

  await withTempDir(async (dir) => {
    const unoptimized = await buildUnoptimizedBundle(dir);
    const unoptimizedSize = sizeOf(unoptimized);
    console.log(`unoptimized bundle (all clients, every command, no minify): ${kib(unoptimizedSize.raw)} raw, ${kib(unoptimizedSize.gzip)} gzip`);
    const [optimizedMs, unoptimizedMs] = coldStartMs([OPERATOR_BUNDLE, unoptimized]) as [number, number];
    const ratio = optimizedMs / unoptimizedMs;
    const met = ratio <= COLD_START_TARGET;
    allMet &&= met;
    console.log(
      `cold start (require minus \`node -e 0\`, median): ${optimizedMs.toFixed(1)} ms vs ${unoptimizedMs.toFixed(1)} ms unoptimized, ` +
        `ratio ${ratio.toFixed(2)} (target <= ${COLD_START_TARGET}): ${verdict(met)}`,
    );
  });

  console.log('\nECS calls on the critical path (sequential round trips; total calls), per event:');
  for (const path of await measureEventPaths()) {
    const met = path.depth <= path.minimum;
    allMet &&= met;
    console.log(`  ${path.path}: ${path.depth} (${path.calls} calls), minimum ${path.minimum} [${path.why}]: ${verdict(met)}`);
  }

  console.log('\nSweep, 10 clusters x 1,000 services, ECS rate limits enforced (simulated clock, 20 ms per call):');
  for (const scenario of SWEEP_SCENARIOS) {
    const sweep = await measureSweep(scenario);
    const met = sweep.ratio <= SWEEP_TARGET && sweep.throttled === 0;
    allMet &&= met;
    console.log(
      `  ${sweep.scenario}: ${sweep.simulatedSeconds.toFixed(1)} s simulated vs lower bound ${sweep.boundSeconds.toFixed(1)} s ` +
        `(${sweep.boundFamily} bucket), ratio ${sweep.ratio.toFixed(3)} (target <= ${SWEEP_TARGET}), ` +
        `${sweep.moved} moved, ${sweep.throttled} throttled, ${sweep.wallSeconds.toFixed(1)} s real: ${verdict(met)}`,
    );
  }
  return allMet;
}
