// Bundles the CLI and the operator Lambda with esbuild. `npm install` runs this through
// `prepare`, so `npx sigv4-sidecar` works straight after install.
import { build } from 'esbuild';
import { existsSync, writeFileSync } from 'node:fs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  legalComments: 'none',
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: ['functions/cli/bin.ts'],
  outfile: 'dist/cli/sigv4-sidecar.cjs',
  banner: { js: '#!/usr/bin/env node' },
});

// The operator bundle: minified, AWS SDK included (the Lambda runtime's copy may lag the
// version we test against), handler exported for the Lambda runtime.
if (existsSync('functions/operator/index.ts')) {
  await build({
    ...common,
    entryPoints: ['functions/operator/index.ts'],
    outfile: 'dist/operator/index.js',
    minify: true,
    target: 'node22',
    mainFields: ['module', 'main'],
  });
  // The repository is "type": "module"; this keeps dist/operator/index.js CommonJS for Node
  // here as it is in the Lambda zip (the CDK asset ships the whole directory).
  writeFileSync('dist/operator/package.json', '{ "type": "commonjs" }\n');
}
