// Task-level cpu and memory are strings that ECS also accepts with units ("1 vCPU", "0.5 GB").

const CPU = /^\s*(\d+(?:\.\d+)?)\s*(vcpu)?\s*$/i;
const MEMORY = /^\s*(\d+(?:\.\d+)?)\s*(gb)?\s*$/i;

/** CPU units (1 vCPU = 1024), or undefined when the string is not a task cpu. */
export function parseTaskCpu(value: string): number | undefined {
  const match = CPU.exec(value);
  if (!match) return undefined;
  const units = Number(match[1]) * (match[2] ? 1024 : 1);
  return Number.isInteger(units) ? units : undefined;
}

/** MiB (1 GB = 1024), or undefined when the string is not a task memory. */
export function parseTaskMemory(value: string): number | undefined {
  const match = MEMORY.exec(value);
  if (!match) return undefined;
  const mebibytes = Number(match[1]) * (match[2] ? 1024 : 1);
  return Number.isInteger(mebibytes) ? mebibytes : undefined;
}
