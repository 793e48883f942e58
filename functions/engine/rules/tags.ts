// Tag rules (FACTS.md): at most MAX_TAGS; keys 1-128 and values 0-256 characters of the tag
// pattern; unique keys; nothing starting with `aws:` (AWS reserves it, in any case).
import { AWS_RESERVED_PREFIX, MAX_TAGS } from '../constants';
import { codePointLength } from '../model/describe-value';
import { ROOT_PATH, childPath, indexPath, type Violation } from '../model/violation';
import type { RegisterInput } from '../types';
import { listOf } from './task-view';

/** The TagKey and TagValue pattern of the ECS model (a test keeps the two in step). */
export const TAG_PATTERN = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;
export const TAG_KEY_LENGTH = { min: 1, max: 128 } as const;
export const TAG_VALUE_LENGTH = { min: 0, max: 256 } as const;

const TAGS_PATH = childPath(ROOT_PATH, 'tags');
const ALLOWED = 'letters, numbers, spaces and _ . : / = + - @';

function checkText(text: unknown, what: 'key' | 'value', length: { min: number; max: number }, path: string): Violation[] {
  if (typeof text !== 'string') {
    return what === 'key' ? [{ path, message: 'every tag needs a key' }] : [];
  }
  const out: Violation[] = [];
  const size = codePointLength(text);
  if (size < length.min || size > length.max) {
    out.push({ path, message: `tag ${what} must have ${length.min} to ${length.max} characters, got ${size}` });
  }
  if (!TAG_PATTERN.test(text)) {
    out.push({ path, message: `tag ${what} ${JSON.stringify(text)} may hold only ${ALLOWED} (no commas: separate lists with spaces)` });
  }
  if (text.toLowerCase().startsWith(AWS_RESERVED_PREFIX)) {
    out.push({ path, message: `tag ${what} ${JSON.stringify(text)} starts with ${AWS_RESERVED_PREFIX}, which AWS reserves` });
  }
  return out;
}

export function checkTags(input: RegisterInput): Violation[] {
  const tags = listOf(input.tags);
  const out: Violation[] = [];
  if (tags.length > MAX_TAGS) {
    out.push({ path: TAGS_PATH, message: `${tags.length} tags; ECS allows at most ${MAX_TAGS}` });
  }
  const firstIndex = new Map<string, number>();
  tags.forEach((tag, i) => {
    const path = indexPath(TAGS_PATH, i);
    const key: unknown = tag?.key;
    out.push(...checkText(key, 'key', TAG_KEY_LENGTH, childPath(path, 'key')));
    out.push(...checkText(tag?.value, 'value', TAG_VALUE_LENGTH, childPath(path, 'value')));
    if (typeof key !== 'string') return;
    const first = firstIndex.get(key);
    if (first === undefined) firstIndex.set(key, i);
    else out.push({ path: childPath(path, 'key'), message: `tag key ${JSON.stringify(key)} is already set by tags[${first}]; keys must be unique` });
  });
  return out;
}
