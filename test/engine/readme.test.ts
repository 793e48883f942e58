// The README documents the tags and defaults from the constants module; keep them in step.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CIDRS,
  DEFAULT_PORTS,
  DEFAULT_SIDECAR_CPU,
  DEFAULT_SIDECAR_MEMORY_MIB,
  LOG_LEVELS,
  OPT_IN_TAG,
  SETTING_TAGS,
} from '../../functions/engine/constants';

const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
const row = (tag: string) => readme.split('\n').find((line) => line.startsWith(`| \`${tag}\` |`)) ?? '';

describe('README tag table', () => {
  it('has a row for the opt-in tag and every settings tag', () => {
    for (const tag of [OPT_IN_TAG, ...Object.values(SETTING_TAGS)]) expect(row(tag), tag).not.toBe('');
  });
  it('states the defaults the engine applies', () => {
    expect(row(SETTING_TAGS.ports)).toContain(`\`${DEFAULT_PORTS.join(' ')}\``);
    expect(row(SETTING_TAGS.cidrs)).toContain(`\`${DEFAULT_CIDRS.join(' ')}\``);
    expect(row(SETTING_TAGS.cpu)).toContain(`\`${DEFAULT_SIDECAR_CPU}\``);
    expect(row(SETTING_TAGS.memory)).toContain(`\`${DEFAULT_SIDECAR_MEMORY_MIB}\``);
    expect(row(SETTING_TAGS.logLevel)).toContain(LOG_LEVELS.join(' '));
  });
});
