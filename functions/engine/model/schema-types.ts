// The compact ECS API schema (ecs-schema.json) that generate-schema.ts derives from the Smithy
// model: only what validation needs, so the Lambda and CLI bundles carry no 1.3 MB model.

export interface LengthConstraint {
  min?: number;
  max?: number;
}

export interface RangeConstraint {
  min?: number;
  max?: number;
}

/** Constraint traits that Smithy allows on a shape and, overriding it, on a member. */
export interface Constraints {
  length?: LengthConstraint;
  /** An ECMAScript regular expression, unanchored unless it anchors itself; compiled with `u`. */
  pattern?: string;
  range?: RangeConstraint;
}

export interface SchemaMember extends Constraints {
  /** Shape name in `EcsSchema.shapes`. */
  target: string;
  required?: true;
  default?: unknown;
}

export type SimpleType =
  | 'string'
  | 'boolean'
  | 'byte'
  | 'short'
  | 'integer'
  | 'long'
  | 'float'
  | 'double'
  | 'bigInteger'
  | 'bigDecimal'
  | 'timestamp'
  | 'blob'
  | 'document';

export type SchemaShape = Constraints & { default?: unknown } & (
    | { type: SimpleType }
    | { type: 'enum'; values: string[] }
    | { type: 'intEnum'; values: number[] }
    | { type: 'list'; member: SchemaMember; sparse?: true }
    | { type: 'map'; key: SchemaMember; value: SchemaMember; sparse?: true }
    | { type: 'structure' | 'union'; members: Record<string, SchemaMember> }
  );

export interface EcsSchema {
  /** Where the schema came from, so a stale copy is easy to spot. */
  source: { service: string; version: string; smithy: string };
  /** Operation name → name of its input structure in `shapes`. */
  operations: Record<string, string>;
  shapes: Record<string, SchemaShape>;
}
