// Smithy types and traits that the ECS closure does not (yet) use, checked on a small schema of
// the same form: unions, intEnums, timestamps, longs, sparse lists, member constraint overrides,
// unanchored patterns, recursion.
import { describe, expect, it } from 'vitest';
import { createModelValidator } from '../../../functions/engine/model/validate';
import type { EcsSchema } from '../../../functions/engine/model/schema-types';

const schema: EcsSchema = {
  source: { service: 'Test', version: '1', smithy: '2.0' },
  operations: { Op: 'Input' },
  shapes: {
    Input: {
      type: 'structure',
      members: {
        choice: { target: 'Choice' },
        level: { target: 'Level' },
        when: { target: 'When' },
        big: { target: 'Big' },
        sparse: { target: 'SparseList' },
        digit: { target: 'HasDigit' },
        shortDigit: { target: 'HasDigit', length: { max: 3 } },
        next: { target: 'Input' },
        blob: { target: 'Bytes' },
        doc: { target: 'Doc' },
        labels: { target: 'Labels' },
      },
    },
    Choice: { type: 'union', members: { a: { target: 'Str' }, b: { target: 'Str' }, empty: { target: 'Unit' } } },
    Unit: { type: 'structure', members: {} },
    Str: { type: 'string' },
    Level: { type: 'intEnum', values: [1, 9] },
    When: { type: 'timestamp' },
    Big: { type: 'long', range: { min: 0 } },
    SparseList: { type: 'list', member: { target: 'Str' }, sparse: true },
    HasDigit: { type: 'string', pattern: '[0-9]', length: { min: 1, max: 8 } },
    Bytes: { type: 'blob', length: { max: 2 } },
    Doc: { type: 'document' },
    Labels: { type: 'map', key: { target: 'LabelKey' }, value: { target: 'Str' }, length: { max: 1 } },
    LabelKey: { type: 'string', pattern: '^[a-z]+$' },
  },
};

const validate = createModelValidator(schema);
const check = (input: object) => validate('Op', input);

describe('createModelValidator on other Smithy types', () => {
  it('accepts a value of every type', () => {
    expect(
      check({
        choice: { empty: {} },
        level: 9,
        when: new Date(0),
        big: 2 ** 40,
        sparse: ['x', null],
        digit: 'abc1def',
        shortDigit: 'a1',
        next: { next: { level: 1 } },
        blob: new Uint8Array([1, 2]),
        doc: { any: ['json', 1, null] },
        labels: { env: 'prod' },
      }),
    ).toEqual([]);
  });

  it('requires exactly one member of a union', () => {
    expect(check({ choice: { a: 'x', b: 'y' } })).toEqual([{ path: '$.choice', message: 'Choice is a union: set exactly one of a, b, empty; got a, b' }]);
    expect(check({ choice: {} })).toEqual([{ path: '$.choice', message: 'Choice is a union: set exactly one of a, b, empty; got none' }]);
  });

  it('checks intEnum values', () => {
    expect(check({ level: 5 })).toEqual([{ path: '$.level', message: 'number 5 is not a valid Level; allowed: 1, 9' }]);
  });

  it('checks timestamps', () => {
    expect(check({ when: 1700000000 })).toEqual([]);
    expect(check({ when: '2026-12-04T10:00:00Z' })).toEqual([]);
    expect(check({ when: new Date(Number.NaN) })).toEqual([{ path: '$.when', message: 'expected a timestamp (Date, epoch seconds or date-time string) (When), got a Date' }]);
    expect(check({ when: 'yesterday' })).toHaveLength(1);
  });

  it('checks longs and open-ended ranges', () => {
    expect(check({ big: 1.5 })[0]!.message).toContain('expected a whole number');
    expect(check({ big: -1 })).toEqual([{ path: '$.big', message: 'must be at least 0 (Big), got -1' }]);
  });

  it('allows null items only in sparse lists', () => {
    expect(check({ sparse: [null, undefined] })).toEqual([]);
  });

  it('treats patterns as unanchored unless they anchor themselves', () => {
    expect(check({ digit: 'none' })).toEqual([{ path: '$.digit', message: '"none" does not match the pattern [0-9] (HasDigit)' }]);
    expect(check({ labels: { Env: 'prod' } })).toEqual([{ path: '$.labels.Env', message: 'map key: "Env" does not match the pattern ^[a-z]+$ (LabelKey)' }]);
  });

  it('lets a member override its target constraint and keeps the others', () => {
    expect(check({ digit: 'abcd1' })).toEqual([]);
    expect(check({ shortDigit: 'abcd1' })).toEqual([{ path: '$.shortDigit', message: 'must have 0 to 3 characters (HasDigit), got 5' }]);
    expect(check({ shortDigit: 'abc' })[0]!.message).toContain('does not match the pattern');
  });

  it('follows recursive shapes', () => {
    expect(check({ next: { next: { level: 2 } } })).toEqual([{ path: '$.next.next.level', message: 'number 2 is not a valid Level; allowed: 1, 9' }]);
  });

  it('measures blobs in bytes and maps in entries', () => {
    expect(check({ blob: 'é' })).toEqual([]);
    expect(check({ blob: 'éa' })).toEqual([{ path: '$.blob', message: 'must have 0 to 2 bytes (Bytes), got 3' }]);
    expect(check({ labels: { a: 'x', b: 'y' } })).toEqual([{ path: '$.labels', message: 'must have 0 to 1 entries (Labels), got 2' }]);
  });
});
