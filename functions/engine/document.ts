// Reads a task definition in either shape users have at hand, and puts it in the one normalized
// form every other engine module works on.
import { AWS_RESERVED_PREFIX, RESERVED_TAG_PREFIX } from './constants';
import { InputError } from './errors';
import { validateAgainstModel } from './model/validate';
import { parseTaskCpu, parseTaskMemory } from './rules/task-size';
import type { RegisterInput, SourceIdentity, Tag, TaskDefinitionDocument } from './types';

/** Fields DescribeTaskDefinition returns that RegisterTaskDefinition does not take. */
const READ_ONLY_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'deregisteredAt',
  'deleteRequestedAt',
  'registeredBy',
] as const;

const TASK_DEFINITION_ARN =
  /^arn:aws[a-z-]*:ecs:([a-z0-9-]+):\d{12}:task-definition\/([A-Za-z0-9_-]+):(\d+)$/;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Accepts the output of `aws ecs describe-task-definition --include TAGS` (`{taskDefinition,
 * tags}`, also the SDK's output object) or a `register-task-definition --cli-input-json`
 * document. Throws InputError with the JSON path of the first thing that cannot be read.
 */
export function parseDocument(json: unknown): TaskDefinitionDocument {
  if (!isObject(json)) {
    throw new InputError('expected a JSON object (a task definition)', '$');
  }
  if ('taskDefinition' in json) {
    const taskDefinition = json.taskDefinition;
    if (!isObject(taskDefinition)) {
      throw new InputError('expected an object', '$.taskDefinition');
    }
    return conformingToModel(fromDescribeOutput(taskDefinition, json.tags, '$.taskDefinition'), '$.taskDefinition');
  }
  return conformingToModel(fromRegisterInput(json, '$'), '$');
}

/** What ECS itself would reject is reported now, with every path, rather than as a refusal later. */
function conformingToModel(doc: TaskDefinitionDocument, root: string): TaskDefinitionDocument {
  const violations = validateAgainstModel('RegisterTaskDefinition', doc.register);
  if (violations.length === 0) return doc;
  const at = (path: string) => (path.startsWith('$.tags') ? path : root + path.slice(1));
  const [first, ...more] = violations;
  const others = more.map((violation) => `${at(violation.path)}: ${violation.message}`);
  throw new InputError(
    `${first!.message} (ECS API model)${others.length > 0 ? `; also ${others.join('; ')}` : ''}`,
    at(first!.path),
  );
}

function fromDescribeOutput(taskDefinition: JsonObject, tags: unknown, path: string): TaskDefinitionDocument {
  const register: JsonObject = { ...taskDefinition };
  for (const field of READ_ONLY_FIELDS) delete register[field];
  if (tags !== undefined) register.tags = tags;
  const source = identityOf(taskDefinition, path);
  return { register: normalizeRegisterInput(checkShape(register, path, '$.tags')), source };
}

function fromRegisterInput(input: JsonObject, path: string): TaskDefinitionDocument {
  const readOnly = READ_ONLY_FIELDS.filter((field) => field in input && field !== 'revision');
  if (readOnly.length > 0) {
    throw new InputError(
      `${readOnly.join(', ')} belong to DescribeTaskDefinition output: pass the whole ` +
        '`describe-task-definition --include TAGS` output ({"taskDefinition": …, "tags": …}) instead',
      `${path}.${readOnly[0]}`,
    );
  }
  const register = checkShape({ ...input }, path, `${path}.tags`);
  const family = register.family;
  return { register: normalizeRegisterInput(register), source: { family: family! } };
}

function identityOf(taskDefinition: JsonObject, path: string): SourceIdentity {
  const arn = taskDefinition.taskDefinitionArn;
  if (arn === undefined) return { family: String(taskDefinition.family) };
  const identity = typeof arn === 'string' ? parseTaskDefinitionArn(arn) : undefined;
  if (!identity) {
    throw new InputError(
      'expected an ECS task definition ARN (arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>)',
      `${path}.taskDefinitionArn`,
    );
  }
  return identity;
}

export function parseTaskDefinitionArn(arn: string): SourceIdentity | undefined {
  const match = TASK_DEFINITION_ARN.exec(arn);
  return match ? { arn, region: match[1], family: match[2]!, revision: Number(match[3]) } : undefined;
}

/** Reads what `sourceReference` wrote: an ARN, `family:revision` or `family`. */
export function parseSourceReference(reference: string): SourceIdentity {
  const fromArn = parseTaskDefinitionArn(reference);
  if (fromArn) return fromArn;
  const [family, revision] = reference.split(':');
  return revision !== undefined && /^\d+$/.test(revision) ? { family: family!, revision: Number(revision) } : { family: family! };
}

/** The few checks every later step relies on; the ECS model validator checks the rest. */
function checkShape(register: JsonObject, path: string, tagsPath: string): RegisterInput {
  delete register.$metadata;
  if (typeof register.family !== 'string' || register.family === '') {
    throw new InputError('family is required and must be a non-empty string', `${path}.family`);
  }
  const containers = register.containerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0) {
    throw new InputError('containerDefinitions must be a non-empty array', `${path}.containerDefinitions`);
  }
  containers.forEach((container, index) => {
    const where = `${path}.containerDefinitions[${index}]`;
    if (!isObject(container)) throw new InputError('expected an object', where);
    if (typeof container.name !== 'string' || container.name === '') {
      throw new InputError('name is required and must be a non-empty string', `${where}.name`);
    }
    if (typeof container.image !== 'string' || container.image === '') {
      throw new InputError('image is required and must be a non-empty string', `${where}.image`);
    }
    for (const field of ['entryPoint', 'command', 'links'] as const) {
      const value = container[field];
      if (value !== undefined && (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))) {
        throw new InputError('expected an array of strings', `${where}.${field}`);
      }
    }
  });
  const tags = register.tags;
  if (tags !== undefined) {
    if (!Array.isArray(tags)) throw new InputError('expected an array of {key, value}', tagsPath);
    tags.forEach((tag, index) => {
      if (!isObject(tag) || typeof tag.key !== 'string' || (tag.value !== undefined && typeof tag.value !== 'string')) {
        throw new InputError('expected {"key": string, "value": string}', `${tagsPath}[${index}]`);
      }
    });
  }
  for (const [field, parse] of [['cpu', parseTaskCpu], ['memory', parseTaskMemory]] as const) {
    const parsed = parse(register[field] as string | undefined);
    if (!parsed.ok) throw new InputError(parsed.message, `${path}.${field}`);
  }
  return register as unknown as RegisterInput;
}

/**
 * The one canonical form: no null, undefined, empty arrays or empty objects (ECS treats them as
 * absent), task cpu/memory as plain numbers, tag values present, and no `aws:` tags (they may
 * not be sent). sigv4-sidecar's reserved tags stay: they tell a twin from a source.
 */
export function normalizeRegisterInput(input: RegisterInput): RegisterInput {
  const normalized = pruneEmpty(input) as RegisterInput;
  for (const [field, parse] of [['cpu', parseTaskCpu], ['memory', parseTaskMemory]] as const) {
    const parsed = parse(normalized[field]);
    if (parsed.ok && parsed.value !== undefined) normalized[field] = String(parsed.value);
  }
  const tags = (normalized.tags ?? [])
    .filter((tag) => !isAwsReserved(tag))
    .map((tag) => ({ key: tag.key, value: tag.value ?? '' }));
  if (tags.length > 0) normalized.tags = tags;
  else delete normalized.tags;
  return normalized;
}

/** Tags a user may carry over: not AWS's, not the reserved ones of sigv4-sidecar. */
export function userTags(tags: readonly Tag[]): Tag[] {
  return tags
    .filter((tag) => !isAwsReserved(tag) && !(tag.key ?? '').startsWith(RESERVED_TAG_PREFIX))
    .map((tag) => ({ key: tag.key, value: tag.value ?? '' }));
}

function isAwsReserved(tag: Tag): boolean {
  return (tag.key ?? '').toLowerCase().startsWith(AWS_RESERVED_PREFIX);
}

function pruneEmpty(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(pruneEmpty).filter((item) => item !== undefined);
  }
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
      const pruned = pruneEmpty(item);
      if (pruned === undefined || pruned === null) continue;
      if (Array.isArray(pruned) && pruned.length === 0) continue;
      if (isObject(pruned) && Object.keys(pruned).length === 0) continue;
      out[key] = pruned;
    }
    return out;
  }
  return value === null ? undefined : value;
}

/** Value of a tag, or undefined. */
export function tagValue(tags: readonly Tag[] | undefined, key: string): string | undefined {
  return tags?.find((tag) => tag.key === key)?.value;
}
