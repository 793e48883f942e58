// Process wiring of the CLI; everything testable lives in main.ts.
import { readFileSync } from 'node:fs';
import { run } from './main';

process.exitCode = run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: () => readFileSync(0, 'utf8'),
  env: process.env,
});
