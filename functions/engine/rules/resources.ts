// Memory and cpu rules (FACTS.md): a container without task-level memory needs its own,
// memory above memoryReservation, and containers' totals inside the task-level sizes.
import { ROOT_PATH, childPath, type Violation } from '../model/violation';
import type { RegisterInput } from '../types';
import { isFargate, nameOf, type ContainerAt } from './task-view';
import { parseTaskCpu, parseTaskMemory } from './task-size';

const CPU_PATH = childPath(ROOT_PATH, 'cpu');
const MEMORY_PATH = childPath(ROOT_PATH, 'memory');

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** What a container reserves on the instance: its soft limit, else its hard limit, else nothing. */
const reservedMemory = (at: ContainerAt): number => {
  const { memory, memoryReservation } = at.container;
  return isNumber(memoryReservation) ? memoryReservation : isNumber(memory) ? memory : 0;
};

export function checkResources(input: RegisterInput, containers: ContainerAt[]): Violation[] {
  const out: Violation[] = [];
  const fargate = isFargate(input);
  const cpu = parseTaskCpu(input.cpu);
  const memory = parseTaskMemory(input.memory);
  if (!cpu.ok) out.push({ path: CPU_PATH, message: cpu.message });
  if (!memory.ok) out.push({ path: MEMORY_PATH, message: memory.message });
  if (fargate && cpu.ok && cpu.value === undefined) {
    out.push({ path: CPU_PATH, message: 'Fargate (requiresCompatibilities contains FARGATE) requires task-level cpu' });
  }
  if (fargate && memory.ok && memory.value === undefined) {
    out.push({ path: MEMORY_PATH, message: 'Fargate (requiresCompatibilities contains FARGATE) requires task-level memory' });
  }
  const taskMemory = memory.ok ? memory.value : undefined;

  for (const at of containers) {
    const { memory: hard, memoryReservation: soft } = at.container;
    if (input.memory == null && !fargate && !isNumber(hard) && !isNumber(soft)) {
      out.push({
        path: at.path,
        message: `container ${nameOf(at)} sets neither memory nor memoryReservation; without task-level memory every container needs one`,
      });
    }
    if (isNumber(hard) && isNumber(soft) && hard <= soft) {
      out.push({
        path: childPath(at.path, 'memoryReservation'),
        message: `memoryReservation ${soft} MiB of container ${nameOf(at)} must be less than its memory ${hard} MiB`,
      });
    }
    if (isNumber(hard) && taskMemory !== undefined && hard > taskMemory) {
      out.push({
        path: childPath(at.path, 'memory'),
        message: `memory ${hard} MiB of container ${nameOf(at)} exceeds the task memory ${taskMemory} MiB`,
      });
    }
  }

  if (cpu.ok && cpu.value !== undefined) {
    const containerCpu = (at: ContainerAt) => (isNumber(at.container.cpu) ? at.container.cpu : 0);
    out.push(...checkTotal(containers, containerCpu, cpu.value, 'cpu', 'cpu', 'CPU units'));
  }
  if (taskMemory !== undefined) {
    out.push(...checkTotal(containers, reservedMemory, taskMemory, 'memory', 'memory (memoryReservation, else memory)', 'MiB'));
  }
  return out;
}

function checkTotal(
  containers: ContainerAt[],
  share: (at: ContainerAt) => number,
  task: number,
  field: 'cpu' | 'memory',
  what: string,
  unit: string,
): Violation[] {
  const shares = containers.map((at) => [nameOf(at), share(at)] as const).filter(([, n]) => n > 0);
  const total = shares.reduce((sum, [, n]) => sum + n, 0);
  if (total <= task) return [];
  const detail = shares.map(([name, n]) => `${name} ${n}`).join(', ');
  return [{ path: childPath(ROOT_PATH, field), message: `task ${field} ${task} ${unit} is less than the containers' total ${what} ${total} ${unit} (${detail})` }];
}
