import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../../functions/engine/errors';

/** `dist/operator` of this repository, where `npm run build` writes the operator bundle. */
export const DEFAULT_OPERATOR_BUNDLE_DIR = fileURLToPath(new URL('../../../dist/operator', import.meta.url));

/** The bundle's entry file and the handler it exports. */
export const OPERATOR_BUNDLE_FILE = 'index.js';
export const OPERATOR_HANDLER = 'index.handler';

/**
 * The directory of the operator bundle, checked before synth packs it: without the check, a
 * directory without the bundle would deploy, and the Lambda would fail on its first event.
 */
export function operatorBundleDir(dir: string = DEFAULT_OPERATOR_BUNDLE_DIR): string {
  if (!existsSync(join(dir, OPERATOR_BUNDLE_FILE))) {
    throw new ConfigError(
      `no operator bundle at ${join(dir, OPERATOR_BUNDLE_FILE)}; run \`npm run build\` first (it bundles functions/operator/index.ts with esbuild)`,
      'Sigv4SidecarOperatorProps.operatorBundleDir',
    );
  }
  return dir;
}
