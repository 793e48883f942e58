import { describe, expect, it } from 'vitest';
import { parseTaskCpu, parseTaskMemory } from '../../../functions/engine/rules/task-size';

describe('parseTaskCpu', () => {
  it.each([
    ['256', 256],
    ['1024', 1024],
    ['1 vCPU', 1024],
    ['0.25 vcpu', 256],
    ['2vCPU', 2048],
    [' 4 VCPU ', 4096],
  ])('reads %j as %i units', (text, units) => {
    expect(parseTaskCpu(text)).toEqual({ ok: true, value: units });
  });

  it('reads an absent cpu as not set', () => {
    expect(parseTaskCpu(undefined)).toEqual({ ok: true, value: undefined });
  });

  it.each(['', 'lots', '1 GB', '0', '-256', '0.3 vCPU', '100.5', '1,024'])('refuses %j and says what is allowed', (text) => {
    const parsed = parseTaskCpu(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toBe(`task cpu ${JSON.stringify(text)} is not valid: write whole CPU units ("256") or vCPUs ("0.25 vCPU", 1 vCPU = 1024 units)`);
  });
});

describe('parseTaskMemory', () => {
  it.each([
    ['512', 512],
    ['1 GB', 1024],
    ['0.5 GB', 512],
    ['2GB', 2048],
    ['3 gb', 3072],
  ])('reads %j as %i MiB', (text, mib) => {
    expect(parseTaskMemory(text)).toEqual({ ok: true, value: mib });
  });

  it('reads an absent memory as not set', () => {
    expect(parseTaskMemory(undefined)).toEqual({ ok: true, value: undefined });
  });

  it.each(['', '1 vCPU', '512 MiB', '512 MB', '0.1 GB', '0', 'big'])('refuses %j and says what is allowed', (text) => {
    const parsed = parseTaskMemory(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain('write whole MiB ("512") or GB ("0.5 GB", 1 GB = 1024 MiB)');
  });

  it('refuses a value that is not a string without throwing', () => {
    expect(parseTaskMemory(512 as unknown as string)).toEqual({ ok: false, message: expect.stringContaining('must be a string, got number') });
  });
});
