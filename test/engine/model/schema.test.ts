// The committed ecs-schema.json must be what the generator makes from the shared Smithy model,
// and the generator must read the model the way Smithy 2.0 defines it.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import committed from '../../../functions/engine/model/ecs-schema.json' with { type: 'json' };
import { generateEcsSchema, serializeEcsSchema, type SmithyModel } from '../../../functions/engine/model/generate-schema';
import { VALIDATED_OPERATIONS } from '../../../functions/engine/model/operations';

const REPO = resolve(import.meta.dirname, '../../..');
const MODEL_PATH = resolve(REPO, '../shared/aws-models/ecs.json');
const SCHEMA_PATH = resolve(REPO, 'functions/engine/model/ecs-schema.json');
const modelPresent = existsSync(MODEL_PATH);

describe('committed ecs-schema.json', () => {
  if (modelPresent) {
    it('is up to date with ../shared/aws-models/ecs.json (else run npm run gen:ecs-schema)', () => {
      const model = JSON.parse(readFileSync(MODEL_PATH, 'utf8')) as SmithyModel;
      expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(serializeEcsSchema(generateEcsSchema(model)));
    });
  } else {
    it.skip(`is up to date: cannot check, the Smithy model ${MODEL_PATH} is absent`, () => undefined);
  }

  it('holds the input of every validated operation and no documentation', () => {
    expect(Object.keys(committed.operations)).toEqual([...VALIDATED_OPERATIONS]);
    expect(JSON.stringify(committed)).not.toMatch(/documentation|<p>/);
  });
});

const NS = 'example.test#';
const doc = { 'smithy.api#documentation': '<p>dropped</p>' };

/** A small model with every feature the generator must handle. */
function syntheticModel(): SmithyModel {
  return {
    smithy: '2.0',
    shapes: {
      [`${NS}Service`]: {
        type: 'service',
        version: '2020-01-01',
        operations: [{ target: `${NS}OnService` }],
        resources: [{ target: `${NS}Parent` }],
        traits: doc,
      },
      [`${NS}Parent`]: { type: 'resource', resources: [{ target: `${NS}Child` }], collectionOperations: [{ target: `${NS}Unused` }] },
      [`${NS}Child`]: { type: 'resource', read: { target: `${NS}OnChild` } },
      [`${NS}OnService`]: { type: 'operation', input: { target: `${NS}OnServiceInput` } },
      [`${NS}OnChild`]: { type: 'operation' },
      [`${NS}Unused`]: { type: 'operation', input: { target: `${NS}UnusedInput` } },
      [`${NS}UnusedInput`]: { type: 'structure', members: {} },
      [`${NS}OnServiceInput`]: {
        type: 'structure',
        traits: doc,
        members: {
          name: { target: `${NS}Name`, traits: { 'smithy.api#required': {}, ...doc } },
          short: { target: `${NS}Name`, traits: { 'smithy.api#length': { max: 3 } } },
          count: { target: 'smithy.api#PrimitiveInteger' },
          color: { target: `${NS}Color` },
          level: { target: `${NS}Level` },
          next: { target: `${NS}OnServiceInput` },
          items: { target: `${NS}Sparse` },
        },
      },
      [`${NS}Name`]: { type: 'string', traits: { 'smithy.api#length': { min: 1, max: 10 }, 'smithy.api#pattern': '[a-z]' } },
      [`${NS}Color`]: {
        type: 'enum',
        members: { RED: { target: 'smithy.api#Unit', traits: { 'smithy.api#enumValue': 'red' } }, BLUE: { target: 'smithy.api#Unit' } },
      },
      [`${NS}Level`]: {
        type: 'intEnum',
        members: { LOW: { target: 'smithy.api#Unit', traits: { 'smithy.api#enumValue': 1 } }, HIGH: { target: 'smithy.api#Unit', traits: { 'smithy.api#enumValue': 9 } } },
      },
      [`${NS}Sparse`]: { type: 'list', member: { target: 'smithy.api#String' }, traits: { 'smithy.api#sparse': {} } },
    },
  };
}

describe('generateEcsSchema', () => {
  const schema = generateEcsSchema(syntheticModel(), ['OnService', 'OnChild']);

  it('finds operations on the service shape and on nested resources', () => {
    expect(schema.operations).toEqual({ OnService: 'OnServiceInput', OnChild: 'smithy.api#Unit' });
    expect(schema.source).toEqual({ service: 'Service', version: '2020-01-01', smithy: '2.0' });
  });

  it('keeps only the closure of the wanted inputs', () => {
    expect(Object.keys(schema.shapes)).toEqual(['Color', 'Level', 'Name', 'OnServiceInput', 'Sparse', 'smithy.api#PrimitiveInteger', 'smithy.api#String', 'smithy.api#Unit']);
  });

  it('keeps required, member constraints, enum values, intEnum values, sparse and prelude defaults', () => {
    expect(schema.shapes['OnServiceInput']).toEqual({
      type: 'structure',
      members: {
        name: { target: 'Name', required: true },
        short: { target: 'Name', length: { max: 3 } },
        count: { target: 'smithy.api#PrimitiveInteger' },
        color: { target: 'Color' },
        level: { target: 'Level' },
        next: { target: 'OnServiceInput' },
        items: { target: 'Sparse' },
      },
    });
    expect(schema.shapes['Name']).toEqual({ type: 'string', length: { min: 1, max: 10 }, pattern: '[a-z]' });
    expect(schema.shapes['Color']).toEqual({ type: 'enum', values: ['red', 'BLUE'] });
    expect(schema.shapes['Level']).toEqual({ type: 'intEnum', values: [1, 9] });
    expect(schema.shapes['Sparse']).toEqual({ type: 'list', member: { target: 'smithy.api#String' }, sparse: true });
    expect(schema.shapes['smithy.api#PrimitiveInteger']).toEqual({ type: 'integer', default: 0 });
    expect(JSON.stringify(schema)).not.toContain('dropped');
  });

  it('fails on an operation the service does not have', () => {
    expect(() => generateEcsSchema(syntheticModel(), ['Missing'])).toThrow('operation Missing not found');
  });

  it('fails on a pattern JavaScript cannot compile with the u flag', () => {
    const model = syntheticModel();
    model.shapes[`${NS}Name`]!.traits = { 'smithy.api#pattern': '[' };
    expect(() => generateEcsSchema(model, ['OnService'])).toThrow(SyntaxError);
  });
});
