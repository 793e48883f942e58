// Container set rules: names present, well formed and unique; 1 to MAX_CONTAINERS containers;
// at least one essential.
import { MAX_CONTAINERS } from '../constants';
import { childPath, type Violation } from '../model/violation';
import { CONTAINERS_PATH, isEssential, type ContainerAt } from './task-view';

/** ECS: up to 255 letters, numbers, hyphens and underscores. */
const CONTAINER_NAME = /^[A-Za-z0-9_-]{1,255}$/;

export function checkContainers(containers: ContainerAt[]): Violation[] {
  const out: Violation[] = [];
  if (containers.length === 0) {
    return [{ path: CONTAINERS_PATH, message: 'a task definition needs at least one container' }];
  }
  if (containers.length > MAX_CONTAINERS) {
    out.push({ path: CONTAINERS_PATH, message: `${containers.length} containers; ECS allows at most ${MAX_CONTAINERS} per task definition` });
  }
  const firstIndex = new Map<string, number>();
  for (const at of containers) {
    const path = childPath(at.path, 'name');
    const name: unknown = at.container.name;
    if (typeof name !== 'string' || !CONTAINER_NAME.test(name)) {
      const got = typeof name === 'string' ? JSON.stringify(name) : 'none';
      out.push({ path, message: `container name ${got} is not valid: up to 255 letters, numbers, hyphens and underscores` });
      continue;
    }
    const first = firstIndex.get(name);
    if (first === undefined) firstIndex.set(name, at.index);
    else out.push({ path, message: `container name "${name}" is already used by containerDefinitions[${first}]; names must be unique` });
  }
  if (!containers.some((at) => isEssential(at.container))) {
    out.push({ path: CONTAINERS_PATH, message: 'no essential container: at least one container must be essential (essential is true when absent)' });
  }
  return out;
}
