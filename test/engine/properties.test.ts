// Properties over 1,000 generated task definitions each: the engine is deterministic,
// idempotent, reversible, produces only what ECS accepts, and loses no field of the user's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inject, parseDocument, strip } from '../../functions/engine';
import { validateAgainstModel } from '../../functions/engine/model/validate';
import { validateEcsRules } from '../../functions/engine/rules/validate';
import type { ContainerDefinition, Injected, InjectResult, OperatorSettings } from '../../functions/engine/types';
import { injectable, type Generated } from './arbitraries';

const SETTINGS: OperatorSettings = { sidecarImage: 'sigv4-sidecar:1.0.0', defaultRegion: 'us-east-1' };
const RUNS = { numRuns: 1000 };

function injectGenerated(generated: Generated): { result: InjectResult; doc: ReturnType<typeof parseDocument> } {
  const doc = parseDocument(generated.input);
  return { doc, result: inject(doc, SETTINGS, { imageConfigs: generated.imageConfigs }) };
}

function injected(generated: Generated): Injected & { doc: ReturnType<typeof parseDocument> } {
  const { doc, result } = injectGenerated(generated);
  if (result.outcome !== 'injected') throw new Error(`refused: ${result.reasons.map((r) => r.message).join('; ')}`);
  return { ...result, doc };
}

describe('engine properties', () => {
  it('injects every valid opted-in task definition, and ECS would accept the twin', () => {
    fc.assert(
      fc.property(injectable, (generated) => {
        const { twin } = injected(generated);
        expect(validateAgainstModel('RegisterTaskDefinition', twin)).toEqual([]);
        expect(validateEcsRules(twin)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('is deterministic: same input, same output and fingerprint', () => {
    fc.assert(
      fc.property(injectable, (generated) => {
        const first = injectGenerated(generated).result;
        const second = injectGenerated(structuredClone(generated)).result;
        expect(JSON.stringify(second)).toBe(JSON.stringify(first));
      }),
      RUNS,
    );
  });

  it('is idempotent: inject(inject(x)) == inject(x) byte for byte, without the registry', () => {
    fc.assert(
      fc.property(injectable, (generated) => {
        const { twin } = injected(generated);
        const again = inject(parseDocument(twin), SETTINGS);
        expect(again.outcome).toBe('injected');
        expect(JSON.stringify((again as Injected).twin)).toBe(JSON.stringify(twin));
      }),
      RUNS,
    );
  });

  it('round-trips: strip(inject(x)) == x (normalized)', () => {
    fc.assert(
      fc.property(injectable, (generated) => {
        const { twin, doc } = injected(generated);
        const stripped = strip(parseDocument(twin));
        expect(stripped.register).toEqual(doc.register);
        expect(stripped.source).toEqual(doc.source);
      }),
      RUNS,
    );
  });

  it('loses no field the user set: every one is kept, or extended where injection must', () => {
    fc.assert(
      fc.property(injectable, (generated) => {
        const { twin, doc } = injected(generated);
        const source = doc.register;
        for (const [key, value] of Object.entries(source)) {
          if (key === 'cpu' || key === 'memory') expect(Number(twin[key])).toBeGreaterThanOrEqual(Number(value));
          else if (key === 'tags') expect(twin.tags).toEqual(expect.arrayContaining(value as unknown[]));
          else if (key !== 'containerDefinitions') expect(twin[key as keyof typeof twin]).toEqual(value);
        }
        for (const original of source.containerDefinitions!) {
          const copy = twin.containerDefinitions!.find((c) => c.name === original.name)!;
          expectKept(original, copy);
        }
      }),
      RUNS,
    );
  });
});

/** Arrays injection appends to must start with the user's entries. */
const EXTENDED = ['environment', 'links', 'dependsOn', 'volumesFrom'] as const;

function expectKept(original: ContainerDefinition, copy: ContainerDefinition): void {
  const runAs = copy.environment?.find((v) => v.name === 'SIGV4_SIDECAR_RUN_AS')?.value;
  for (const [key, value] of Object.entries(original) as Array<[keyof ContainerDefinition, unknown]>) {
    if ((EXTENDED as readonly string[]).includes(key)) {
      expect((copy[key] as unknown[]).slice(0, (value as unknown[]).length)).toEqual(value);
    } else if (key === 'entryPoint') {
      expect(copy.entryPoint!.slice(-(value as string[]).length)).toEqual(value);
    } else if (key === 'user') {
      expect(copy.user === value || (copy.user === '0' && runAs === value)).toBe(true);
    } else if (key === 'linuxParameters') {
      const { capabilities, ...rest } = original.linuxParameters!;
      expect(copy.linuxParameters).toMatchObject(rest);
      expect(copy.linuxParameters!.capabilities?.drop).toEqual(capabilities?.drop);
      expect(copy.linuxParameters!.capabilities?.add).toEqual(expect.arrayContaining(capabilities?.add ?? []));
    } else {
      expect(copy[key]).toEqual(value);
    }
  }
}
