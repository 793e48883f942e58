// Validates an operation input against the ECS API model (ecs-schema.json): required members,
// members the model does not know, JS types per Smithy type, enum values, length, pattern and
// range. Every violation is reported, not just the first. Each shape is compiled once into a
// checking function (patterns compiled once), so validating is a walk with no lookups.
import schemaJson from './ecs-schema.json' with { type: 'json' };
import { codePointLength, describeValue, editDistance } from './describe-value';
import type { EcsOperation } from './operations';
import type { Constraints, EcsSchema, SchemaMember, SchemaShape } from './schema-types';
import { ROOT_PATH, childPath, indexPath, type Violation } from './violation';

export type ModelViolation = Violation;

type Check = (value: unknown, path: string, out: Violation[]) => void;

const INTEGER_BOUNDS: Record<string, [number, number]> = {
  byte: [-128, 127],
  short: [-32768, 32767],
  integer: [-2147483648, 2147483647],
  long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** Absent for Smithy: the SDK serializes neither undefined nor null members. */
const isAbsent = (value: unknown): boolean => value === undefined || value === null;

/** A schema and the checks compiled from it so far. */
interface Compiler {
  schema: EcsSchema;
  compiled: Map<string, Check>;
}

function shapeOf(ctx: Compiler, name: string): SchemaShape {
  const shape = ctx.schema.shapes[name];
  if (!shape) throw new Error(`ecs-schema.json refers to missing shape ${name}`);
  return shape;
}

/** The check for a shape, compiled on first use. Recursive shapes resolve through the map. */
function checkFor(ctx: Compiler, name: string): Check {
  let check = ctx.compiled.get(name);
  if (!check) {
    let inner: Check | undefined;
    ctx.compiled.set(name, (v, p, out) => inner!(v, p, out));
    inner = compileShape(ctx, name, shapeOf(ctx, name), {});
    ctx.compiled.set(name, inner);
    check = inner;
  }
  return check;
}

/** A member's check: its target's, unless the member overrides the target's constraints. */
function memberCheck(ctx: Compiler, member: SchemaMember): Check {
  const overrides: Constraints = {};
  if (member.length) overrides.length = member.length;
  if (member.pattern !== undefined) overrides.pattern = member.pattern;
  if (member.range) overrides.range = member.range;
  if (Object.keys(overrides).length === 0) return checkFor(ctx, member.target);
  return compileShape(ctx, member.target, shapeOf(ctx, member.target), overrides);
}

function compileShape(ctx: Compiler, name: string, shape: SchemaShape, overrides: Constraints): Check {
  const constraints: Constraints = {
    ...(shape.length && { length: shape.length }),
    ...(shape.pattern !== undefined && { pattern: shape.pattern }),
    ...(shape.range && { range: shape.range }),
    ...overrides,
  };
  const typeCheck = compileType(ctx, name, shape);
  const extra = compileConstraints(name, shape.type, constraints);
  if (extra.length === 0) return typeCheck;
  return (value, path, out) => {
    const before = out.length;
    typeCheck(value, path, out);
    if (out.length !== before) return; // constraints mean nothing on a value of the wrong type
    for (const check of extra) check(value, path, out);
  };
}

function typeError(expected: string, name: string): Check {
  return (value, path, out) => {
    out.push({ path, message: `expected ${expected} (${name}), got ${describeValue(value)}` });
  };
}

function compileType(ctx: Compiler, name: string, shape: SchemaShape): Check {
  switch (shape.type) {
    case 'string': {
      const wrong = typeError('a string', name);
      return (v, p, out) => typeof v === 'string' || wrong(v, p, out);
    }
    case 'boolean': {
      const wrong = typeError('a boolean', name);
      return (v, p, out) => typeof v === 'boolean' || wrong(v, p, out);
    }
    case 'byte':
    case 'short':
    case 'integer':
    case 'long': {
      const [min, max] = INTEGER_BOUNDS[shape.type]!;
      const wrong = typeError(`a whole number from ${min} to ${max}`, name);
      return (v, p, out) => (Number.isInteger(v) && (v as number) >= min && (v as number) <= max) || wrong(v, p, out);
    }
    case 'float':
    case 'double': {
      const wrong = typeError('a number', name);
      return (v, p, out) => typeof v === 'number' || wrong(v, p, out);
    }
    case 'bigInteger': {
      const wrong = typeError('a whole number (number, bigint or decimal digits)', name);
      return (v, p, out) =>
        typeof v === 'bigint' || Number.isInteger(v) || (typeof v === 'string' && /^-?\d+$/.test(v)) || wrong(v, p, out);
    }
    case 'bigDecimal': {
      const wrong = typeError('a decimal number (number, bigint or numeric string)', name);
      return (v, p, out) =>
        typeof v === 'bigint' ||
        (typeof v === 'number' && Number.isFinite(v)) ||
        (typeof v === 'string' && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v)) ||
        wrong(v, p, out);
    }
    case 'timestamp': {
      const wrong = typeError('a timestamp (Date, epoch seconds or date-time string)', name);
      return (v, p, out) =>
        (v instanceof Date && !Number.isNaN(v.getTime())) ||
        (typeof v === 'number' && Number.isFinite(v)) ||
        (typeof v === 'string' && !Number.isNaN(Date.parse(v))) ||
        wrong(v, p, out);
    }
    case 'blob': {
      const wrong = typeError('binary data (Uint8Array or string)', name);
      return (v, p, out) => v instanceof Uint8Array || typeof v === 'string' || wrong(v, p, out);
    }
    case 'document':
      return () => undefined; // any JSON value
    case 'enum':
    case 'intEnum': {
      const allowed = new Set<unknown>(shape.values);
      const list = shape.values.join(', ');
      return (v, p, out) => {
        if (!allowed.has(v)) out.push({ path: p, message: `${describeValue(v)} is not a valid ${name}; allowed: ${list}` });
      };
    }
    case 'list':
      return compileList(ctx, name, shape.member, shape.sparse === true);
    case 'map':
      return compileMap(ctx, name, shape.key, shape.value, shape.sparse === true);
    case 'structure':
    case 'union':
      return compileStructure(ctx, name, shape.members, shape.type === 'union');
  }
}

function compileList(ctx: Compiler, name: string, member: SchemaMember, sparse: boolean): Check {
  const item = memberCheck(ctx, member);
  return (value, path, out) => {
    if (!Array.isArray(value)) {
      out.push({ path, message: `expected a list (${name}), got ${describeValue(value)}` });
      return;
    }
    for (let i = 0; i < value.length; i++) {
      const element: unknown = value[i];
      if (isAbsent(element)) {
        if (!sparse) out.push({ path: indexPath(path, i), message: `${name} cannot hold null or undefined items` });
        continue;
      }
      item(element, indexPath(path, i), out);
    }
  };
}

function compileMap(ctx: Compiler, name: string, keyMember: SchemaMember, valueMember: SchemaMember, sparse: boolean): Check {
  const key = memberCheck(ctx, keyMember);
  const val = memberCheck(ctx, valueMember);
  return (value, path, out) => {
    if (!isObject(value)) {
      out.push({ path, message: `expected a map of ${keyMember.target} to ${valueMember.target} (${name}), got ${describeValue(value)}` });
      return;
    }
    for (const k of Object.keys(value)) {
      const entryPath = childPath(path, k);
      const before = out.length;
      key(k, entryPath, out);
      for (let i = before; i < out.length; i++) out[i] = { path: entryPath, message: `map key: ${out[i]!.message}` };
      const v = value[k];
      if (isAbsent(v)) {
        if (!sparse) out.push({ path: entryPath, message: `${name} cannot hold null or undefined values` });
        continue;
      }
      val(v, entryPath, out);
    }
  };
}

function compileStructure(ctx: Compiler, name: string, members: Record<string, SchemaMember>, isUnion: boolean): Check {
  const names = Object.keys(members);
  const required = names.filter((n) => members[n]!.required);
  const checks = new Map<string, Check>();
  // Members compile lazily: a structure may (indirectly) contain itself.
  const checkOf = (member: string): Check => {
    let check = checks.get(member);
    if (!check) {
      check = memberCheck(ctx, members[member]!);
      checks.set(member, check);
    }
    return check;
  };
  const kind = isUnion ? 'a union' : 'an object';
  return (value, path, out) => {
    if (!isObject(value)) {
      out.push({ path, message: `expected ${kind} (${name}), got ${describeValue(value)}` });
      return;
    }
    for (const member of required) {
      if (isAbsent(value[member])) {
        out.push({ path: childPath(path, member), message: `required member ${member} (${members[member]!.target}) of ${name} is missing` });
      }
    }
    const set: string[] = [];
    for (const key of Object.keys(value)) {
      const memberValue = value[key];
      if (isAbsent(memberValue)) continue;
      if (!Object.hasOwn(members, key)) {
        out.push({ path: childPath(path, key), message: unknownMemberMessage(key, name, names) });
        continue;
      }
      set.push(key);
      checkOf(key)(memberValue, childPath(path, key), out);
    }
    if (isUnion && set.length !== 1) {
      out.push({ path, message: `${name} is a union: set exactly one of ${names.join(', ')}; got ${set.length === 0 ? 'none' : set.join(', ')}` });
    }
  };
}

function unknownMemberMessage(key: string, shape: string, names: string[]): string {
  const lower = key.toLowerCase();
  const close = names.find((n) => n.toLowerCase() === lower) ?? names.find((n) => editDistance(n, key) <= 2);
  const allowed = close ? `did you mean ${close}?` : `allowed: ${names.join(', ')}`;
  return `unknown member ${JSON.stringify(key)} of ${shape}; ${allowed}`;
}

function compileConstraints(name: string, type: SchemaShape['type'], c: Constraints): Check[] {
  const checks: Check[] = [];
  if (c.length) {
    const { min = 0, max = Infinity } = c.length;
    const bounds = max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    const measure: [string, (v: unknown) => number] =
      type === 'list'
        ? ['items', (v) => (v as unknown[]).length]
        : type === 'map'
          ? ['entries', (v) => Object.keys(v as object).length]
          : type === 'blob'
            ? ['bytes', (v) => (typeof v === 'string' ? Buffer.byteLength(v) : (v as Uint8Array).length)]
            : ['characters', (v) => codePointLength(v as string)];
    const [unit, size] = measure;
    checks.push((v, p, out) => {
      const n = size(v);
      if (n < min || n > max) out.push({ path: p, message: `must have ${bounds} ${unit} (${name}), got ${n}` });
    });
  }
  if (c.pattern !== undefined) {
    const regex = new RegExp(c.pattern, 'u');
    const pattern = c.pattern;
    checks.push((v, p, out) => {
      if (!regex.test(v as string)) out.push({ path: p, message: `${describeValue(v)} does not match the pattern ${pattern} (${name})` });
    });
  }
  if (c.range) {
    const { min = -Infinity, max = Infinity } = c.range;
    const bounds = max === Infinity ? `at least ${min}` : min === -Infinity ? `at most ${max}` : `from ${min} to ${max}`;
    checks.push((v, p, out) => {
      const n = Number(v);
      if (n < min || n > max) out.push({ path: p, message: `must be ${bounds} (${name}), got ${String(v)}` });
    });
  }
  return checks;
}

export type ModelValidator = (operation: string, input: unknown) => ModelViolation[];

/** A validator for any schema of this form; checks compile on first use and are kept. */
export function createModelValidator(schema: EcsSchema): ModelValidator {
  const ctx: Compiler = { schema, compiled: new Map() };
  const known = Object.keys(schema.operations).join(', ');
  return (operation, input) => {
    const inputShape = Object.hasOwn(schema.operations, operation) ? schema.operations[operation] : undefined;
    if (!inputShape) {
      return [{ path: ROOT_PATH, message: `operation ${JSON.stringify(operation)} is not in the validated set: ${known}` }];
    }
    const out: Violation[] = [];
    checkFor(ctx, inputShape)(input, ROOT_PATH, out);
    return out;
  };
}

const validateEcs = createModelValidator(schemaJson as unknown as EcsSchema);

/** Every way `input` breaks the ECS API model of `operation`'s input; empty when it conforms. */
export function validateAgainstModel(operation: EcsOperation, input: unknown): ModelViolation[] {
  return validateEcs(operation, input);
}
