// Derives the compact schema (ecs-schema.json) from the Smithy 2.0 JSON model of ECS: the
// closure of shapes reachable from the inputs of VALIDATED_OPERATIONS, with the traits that
// validation needs and nothing else (no documentation, examples, IAM or endpoint rules).
// Pure: scripts/gen-ecs-schema.ts does the file I/O, and a test checks the committed copy.
import { VALIDATED_OPERATIONS } from './operations';
import type { Constraints, EcsSchema, SchemaMember, SchemaShape, SimpleType } from './schema-types';

interface SmithyRef {
  target: string;
}
interface SmithyShape {
  type: string;
  input?: SmithyRef;
  operations?: SmithyRef[];
  collectionOperations?: SmithyRef[];
  resources?: SmithyRef[];
  member?: SmithyMember;
  key?: SmithyMember;
  value?: SmithyMember;
  members?: Record<string, SmithyMember>;
  traits?: Record<string, unknown>;
  version?: string;
  [lifecycle: string]: unknown;
}
interface SmithyMember extends SmithyRef {
  traits?: Record<string, unknown>;
}
export interface SmithyModel {
  smithy: string;
  shapes: Record<string, SmithyShape>;
}

const PRELUDE = 'smithy.api#';
const RESOURCE_LIFECYCLE = ['create', 'put', 'read', 'update', 'delete', 'list'] as const;
const SIMPLE_TYPES: ReadonlySet<string> = new Set<SimpleType>([
  'string', 'boolean', 'byte', 'short', 'integer', 'long', 'float', 'double',
  'bigInteger', 'bigDecimal', 'timestamp', 'blob', 'document',
]);

/** Prelude shapes are not in the model file; their type follows from their name. */
function preludeShape(id: string): SchemaShape {
  const name = id.slice(PRELUDE.length);
  if (name === 'Unit') return { type: 'structure', members: {} };
  const primitive = name.startsWith('Primitive');
  const base = primitive ? name.slice('Primitive'.length) : name;
  const type = base.charAt(0).toLowerCase() + base.slice(1);
  if (!SIMPLE_TYPES.has(type)) throw new Error(`unknown Smithy prelude shape ${id}`);
  const shape: SchemaShape = { type: type as SimpleType };
  if (primitive) shape.default = type === 'boolean' ? false : 0;
  return shape;
}

function constraintsOf(traits: Record<string, unknown> | undefined): Constraints {
  const out: Constraints = {};
  if (!traits) return out;
  const length = traits['smithy.api#length'] as Constraints['length'] | undefined;
  const pattern = traits['smithy.api#pattern'] as string | undefined;
  const range = traits['smithy.api#range'] as Constraints['range'] | undefined;
  if (length) out.length = { ...length };
  if (pattern !== undefined) {
    new RegExp(pattern, 'u'); // fail generation, not validation, on a pattern JS cannot compile
    out.pattern = pattern;
  }
  if (range) out.range = { ...range };
  return out;
}

/** Every operation of the service: those on the service shape and those of its resources. */
function findOperations(model: SmithyModel): Map<string, string> {
  const byName = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (id: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const shape = model.shapes[id];
    if (!shape) throw new Error(`model refers to missing shape ${id}`);
    if (shape.type === 'operation') {
      byName.set(id.slice(id.indexOf('#') + 1), id);
      return;
    }
    const refs: SmithyRef[] = [
      ...(shape.operations ?? []),
      ...(shape.collectionOperations ?? []),
      ...(shape.resources ?? []),
      ...RESOURCE_LIFECYCLE.flatMap((key) => (shape[key] ? [shape[key] as SmithyRef] : [])),
    ];
    for (const ref of refs) visit(ref.target);
  };
  const services = Object.entries(model.shapes).filter(([, s]) => s.type === 'service');
  if (services.length !== 1) throw new Error(`expected one service shape, found ${services.length}`);
  visit(services[0]![0]);
  return byName;
}

export function generateEcsSchema(
  model: SmithyModel,
  wanted: readonly string[] = VALIDATED_OPERATIONS,
): EcsSchema {
  const [serviceId, service] = Object.entries(model.shapes).find(([, s]) => s.type === 'service')!;
  const namespace = serviceId.slice(0, serviceId.indexOf('#') + 1);
  const localName = (id: string): string => (id.startsWith(namespace) ? id.slice(namespace.length) : id);

  const operationIds = findOperations(model);
  const shapes: Record<string, SchemaShape> = {};
  const operations: Record<string, string> = {};

  const member = (m: SmithyMember): SchemaMember => {
    const out: SchemaMember = { target: include(m.target), ...constraintsOf(m.traits) };
    if (m.traits?.['smithy.api#required'] !== undefined) out.required = true;
    if (m.traits?.['smithy.api#default'] !== undefined) out.default = m.traits['smithy.api#default'];
    return out;
  };

  function include(id: string): string {
    const name = localName(id);
    if (name in shapes) return name;
    if (id.startsWith(PRELUDE)) {
      shapes[name] = preludeShape(id);
      return name;
    }
    const source = model.shapes[id];
    if (!source) throw new Error(`model refers to missing shape ${id}`);
    const common: Constraints & { default?: unknown } = constraintsOf(source.traits);
    if (source.traits?.['smithy.api#default'] !== undefined) common.default = source.traits['smithy.api#default'];
    const members = Object.entries(source.members ?? {});
    let shape: SchemaShape;
    // Reserve the name first: recursive structures refer back to themselves.
    shapes[name] = { type: 'structure', members: {} };
    switch (source.type) {
      case 'enum':
        shape = { type: 'enum', values: members.map(([n, m]) => String(m.traits?.['smithy.api#enumValue'] ?? n)) };
        break;
      case 'intEnum':
        shape = { type: 'intEnum', values: members.map(([, m]) => Number(m.traits?.['smithy.api#enumValue'])) };
        break;
      case 'list':
      case 'set':
        shape = { type: 'list', member: member(source.member!) };
        break;
      case 'map':
        shape = { type: 'map', key: member(source.key!), value: member(source.value!) };
        break;
      case 'structure':
      case 'union':
        shape = { type: source.type, members: Object.fromEntries(members.map(([n, m]) => [n, member(m)])) };
        break;
      default:
        if (!SIMPLE_TYPES.has(source.type)) throw new Error(`unsupported shape type ${source.type} of ${id}`);
        shape = { type: source.type as SimpleType };
    }
    if ((shape.type === 'list' || shape.type === 'map') && source.traits?.['smithy.api#sparse'] !== undefined) {
      shape.sparse = true;
    }
    shapes[name] = { ...shape, ...common };
    return name;
  }

  for (const op of wanted) {
    const id = operationIds.get(op);
    if (!id) throw new Error(`operation ${op} not found on the service or its resources`);
    const input = model.shapes[id]!.input;
    operations[op] = include(input?.target ?? `${PRELUDE}Unit`);
  }

  const sorted = Object.fromEntries(Object.keys(shapes).sort().map((n) => [n, shapes[n]!]));
  return {
    source: { service: localName(serviceId), version: String(service.version ?? ''), smithy: model.smithy },
    operations,
    shapes: sorted,
  };
}

/** The committed file's exact text: one shape per line, so a model update diffs readably. */
export function serializeEcsSchema(schema: EcsSchema): string {
  const shapeLines = Object.entries(schema.shapes).map(([n, s]) => `    ${JSON.stringify(n)}: ${JSON.stringify(s)}`);
  return [
    '{',
    `  "source": ${JSON.stringify(schema.source)},`,
    `  "operations": ${JSON.stringify(schema.operations, null, 2).replace(/\n/g, '\n  ')},`,
    '  "shapes": {',
    shapeLines.join(',\n'),
    '  }',
    '}',
    '',
  ].join('\n');
}
