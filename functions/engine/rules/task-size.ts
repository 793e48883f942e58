// Task-level cpu and memory are strings; ECS takes plain numbers (CPU units, MiB) and also
// "1 vCPU" / "0.5 GB". The engine reuses these to raise them by the sidecar's share.

/** Parsed task size: `value` is undefined when the field is not set. */
export type TaskSize = { ok: true; value: number | undefined } | { ok: false; message: string };

const CPU = /^\s*(\d+(?:\.\d+)?)\s*(vcpu)?\s*$/i;
const MEMORY = /^\s*(\d+(?:\.\d+)?)\s*(gb)?\s*$/i;
const UNITS_PER_VCPU = 1024;
const MIB_PER_GB = 1024;

function parse(value: string | undefined, syntax: RegExp, perUnit: number, what: string): TaskSize {
  if (value == null) return { ok: true, value: undefined };
  if (typeof value !== 'string') return { ok: false, message: `${what} must be a string, got ${typeof value}` };
  const match = syntax.exec(value);
  const amount = match ? Number(match[1]) * (match[2] ? perUnit : 1) : Number.NaN;
  // A fraction of a unit is refused rather than rounded: the sums below would be off by it.
  if (!Number.isInteger(amount) || amount <= 0) {
    return { ok: false, message: `${what} ${JSON.stringify(value)} is not valid` };
  }
  return { ok: true, value: amount };
}

/** Task cpu in CPU units: "256", "1024", "1 vCPU", "0.25 vcpu". */
export function parseTaskCpu(value: string | undefined): TaskSize {
  const parsed = parse(value, CPU, UNITS_PER_VCPU, 'task cpu');
  return parsed.ok ? parsed : { ok: false, message: `${parsed.message}: write whole CPU units ("256") or vCPUs ("0.25 vCPU", 1 vCPU = 1024 units)` };
}

/** Task memory in MiB: "512", "2048", "2 GB", "0.5GB". */
export function parseTaskMemory(value: string | undefined): TaskSize {
  const parsed = parse(value, MEMORY, MIB_PER_GB, 'task memory');
  return parsed.ok ? parsed : { ok: false, message: `${parsed.message}: write whole MiB ("512") or GB ("0.5 GB", 1 GB = 1024 MiB)` };
}
