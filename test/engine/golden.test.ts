// Golden files: each case's input.json and case.json → expected.json. Regenerated only by
// `npm run golden:update`; a stale or missing expected file fails here.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inject, parseDocument, strip } from '../../functions/engine';
import type { InjectOptions, InjectResult, OperatorSettings } from '../../functions/engine/types';

const CASES = join(__dirname, '../golden/cases');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
export const GOLDEN_SETTINGS: OperatorSettings = {
  sidecarImage: '111122223333.dkr.ecr.us-west-2.amazonaws.com/sigv4-sidecar:1.0.0',
  defaultRegion: 'us-east-1',
};

interface CaseFile {
  description: string;
  settings?: Partial<OperatorSettings>;
  options?: InjectOptions;
}

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

function render(result: InjectResult): string {
  const body =
    result.outcome === 'injected'
      ? { outcome: result.outcome, fingerprint: result.fingerprint, changes: result.changes, warnings: result.warnings, twin: result.twin }
      : { outcome: result.outcome, reasons: result.reasons, warnings: result.warnings };
  return `${JSON.stringify(body, null, 2)}\n`;
}

const names = readdirSync(CASES).sort();

describe('golden task definitions', () => {
  it('has cases', () => expect(names.length).toBeGreaterThan(20));

  for (const name of names) {
    const dir = join(CASES, name);
    const meta = readJson(join(dir, 'case.json')) as CaseFile;
    const settings = { ...GOLDEN_SETTINGS, ...meta.settings };

    describe(`${name}: ${meta.description}`, () => {
      const doc = parseDocument(readJson(join(dir, 'input.json')));
      const result = inject(doc, settings, meta.options);
      const expectedPath = join(dir, 'expected.json');

      it('matches expected.json', () => {
        const actual = render(result);
        if (UPDATE) writeFileSync(expectedPath, actual);
        expect(existsSync(expectedPath), `${expectedPath} is missing: run npm run golden:update`).toBe(true);
        expect(actual).toBe(readFileSync(expectedPath, 'utf8'));
      });

      if (name.startsWith('refused-')) {
        it('is refused', () => expect(result.outcome).toBe('refused'));
        return;
      }
      it('is injected, and re-injecting the twin gives it back byte for byte', () => {
        expect(result.outcome).toBe('injected');
        if (result.outcome !== 'injected') return;
        const again = inject(parseDocument(result.twin), settings);
        expect(again.outcome).toBe('injected');
        if (again.outcome === 'injected') expect(JSON.stringify(again.twin)).toBe(JSON.stringify(result.twin));
      });
      it('strips back to the normalized source', () => {
        if (result.outcome !== 'injected') throw new Error('not injected');
        expect(strip(parseDocument(result.twin)).register).toEqual(strip(doc).register);
      });
    });
  }
});
