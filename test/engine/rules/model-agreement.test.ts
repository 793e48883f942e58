// The rules restate a few facts that the ECS model also holds (tag pattern and lengths, the
// capability names in its documentation): these tests keep the two from drifting apart.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import schema from '../../../functions/engine/model/ecs-schema.json' with { type: 'json' };
import { LINUX_CAPABILITIES } from '../../../functions/engine/rules/platform';
import { TAG_KEY_LENGTH, TAG_PATTERN, TAG_VALUE_LENGTH } from '../../../functions/engine/rules/tags';

const MODEL_PATH = resolve(import.meta.dirname, '../../../../shared/aws-models/ecs.json');

describe('rules agree with the ECS model', () => {
  it('uses the model\'s tag pattern and lengths', () => {
    expect(schema.shapes.TagKey).toEqual({ type: 'string', length: TAG_KEY_LENGTH, pattern: TAG_PATTERN.source });
    expect(schema.shapes.TagValue).toEqual({ type: 'string', length: TAG_VALUE_LENGTH, pattern: TAG_PATTERN.source });
    expect(TAG_PATTERN.unicode).toBe(true);
  });

  if (existsSync(MODEL_PATH)) {
    it('knows the capability names that the model documents for KernelCapabilities', () => {
      const model = JSON.parse(readFileSync(MODEL_PATH, 'utf8')) as { shapes: Record<string, { members: Record<string, { traits: Record<string, string> }> }> };
      const docs = model.shapes['com.amazonaws.ecs#KernelCapabilities']!.members;
      for (const field of ['add', 'drop']) {
        const text = docs[field]!.traits['smithy.api#documentation']!;
        const valid = /Valid values: <code>(.*?)<\/code>/.exec(text)![1]!;
        expect([...valid.matchAll(/"([A-Z_]+)"/g)].map((m) => m[1])).toEqual([...LINUX_CAPABILITIES]);
      }
    });
  } else {
    it.skip(`knows the documented capability names: cannot check, the Smithy model ${MODEL_PATH} is absent`, () => undefined);
  }
});
