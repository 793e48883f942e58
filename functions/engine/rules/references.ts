// Rules on what containers refer to: dependsOn, links and volumesFrom name existing other
// containers; dependsOn conditions fit their target; links need bridge mode; and no cycle runs
// across the three, which ECS accepts at registration and fails on the instance.
import { childPath, indexPath, type Violation } from '../model/violation';
import type { RegisterInput } from '../types';
import { containersByName, isEssential, listOf, nameOf, networkModeOf, type ContainerAt } from './task-view';

const CONDITIONS = ['START', 'COMPLETE', 'SUCCESS', 'HEALTHY'];
/** Conditions that wait for the target to exit: an essential target's exit stops the task. */
const EXIT_CONDITIONS = ['COMPLETE', 'SUCCESS'];

type Relation = 'dependsOn' | 'links' | 'volumesFrom';

/** A reference from one container to another by name, with where it is written. */
interface Reference {
  from: ContainerAt;
  relation: Relation;
  target: unknown;
  path: string;
}

/** `links` entries are `name` or `name:alias`. */
const linkTarget = (link: unknown): unknown => (typeof link === 'string' ? link.split(':')[0] : link);

function referencesOf(at: ContainerAt): Reference[] {
  const c = at.container;
  const base = (relation: Relation) => childPath(at.path, relation);
  return [
    ...listOf(c.dependsOn).map((d, j) => ({
      from: at,
      relation: 'dependsOn' as const,
      target: d?.containerName,
      path: childPath(indexPath(base('dependsOn'), j), 'containerName'),
    })),
    ...listOf(c.links).map((link, j) => ({ from: at, relation: 'links' as const, target: linkTarget(link), path: indexPath(base('links'), j) })),
    ...listOf(c.volumesFrom).map((v, j) => ({
      from: at,
      relation: 'volumesFrom' as const,
      target: v?.sourceContainer,
      path: childPath(indexPath(base('volumesFrom'), j), 'sourceContainer'),
    })),
  ];
}

export function checkReferences(input: RegisterInput, containers: ContainerAt[]): Violation[] {
  const out: Violation[] = [];
  const byName = containersByName(containers);
  const known = [...byName.keys()].join(', ');
  const edges = new Map<ContainerAt, Map<ContainerAt, Relation[]>>();

  for (const at of containers) {
    const targets = new Map<ContainerAt, Relation[]>();
    edges.set(at, targets);
    for (const ref of referencesOf(at)) {
      const target = typeof ref.target === 'string' ? byName.get(ref.target) : undefined;
      if (!target) {
        const got = typeof ref.target === 'string' ? `"${ref.target}"` : 'no container name';
        out.push({ path: ref.path, message: `${ref.relation} names ${got}, which is not a container of this task definition (${known})` });
      } else if (target === at) {
        out.push({ path: ref.path, message: `container ${nameOf(at)} cannot refer to itself in ${ref.relation}` });
      } else {
        targets.set(target, [...(targets.get(target) ?? []), ref.relation]);
      }
    }
    out.push(...checkConditions(at, byName));
  }

  const mode = networkModeOf(input);
  if (mode !== 'bridge') {
    for (const at of containers) {
      if (listOf(at.container.links).length > 0) {
        out.push({ path: childPath(at.path, 'links'), message: `links work only in bridge network mode; networkMode is ${mode}` });
      }
    }
  }
  out.push(...findCycles(containers, edges));
  return out;
}

function checkConditions(at: ContainerAt, byName: Map<string, ContainerAt>): Violation[] {
  const out: Violation[] = [];
  listOf(at.container.dependsOn).forEach((dependency, j) => {
    const path = childPath(indexPath(childPath(at.path, 'dependsOn'), j), 'condition');
    const condition: unknown = dependency?.condition;
    const target = typeof dependency?.containerName === 'string' ? byName.get(dependency.containerName) : undefined;
    if (typeof condition !== 'string' || !CONDITIONS.includes(condition)) {
      const got = typeof condition === 'string' ? `"${condition}"` : 'none';
      out.push({ path, message: `dependsOn condition ${got} is not valid; allowed: ${CONDITIONS.join(', ')}` });
      return;
    }
    if (!target || target === at) return;
    if (EXIT_CONDITIONS.includes(condition) && isEssential(target.container)) {
      out.push({
        path,
        message: `condition ${condition} cannot target essential container ${nameOf(target)} (essential is true when absent); make it essential: false or use START or HEALTHY`,
      });
    }
    if (condition === 'HEALTHY' && !target.container.healthCheck) {
      out.push({ path, message: `condition HEALTHY needs a healthCheck on container ${nameOf(target)}, which has none` });
    }
  });
  return out;
}

/** Each cycle once, found from the first container on it, with the relation of every step. */
function findCycles(containers: ContainerAt[], edges: Map<ContainerAt, Map<ContainerAt, Relation[]>>): Violation[] {
  const out: Violation[] = [];
  const onReportedCycle = new Set<ContainerAt>();
  for (const start of containers) {
    if (onReportedCycle.has(start)) continue;
    const cycle = shortestCycle(start, edges);
    if (!cycle) continue;
    cycle.forEach((at) => onReportedCycle.add(at));
    const steps = cycle.map((at, k) => {
      const next = cycle[(k + 1) % cycle.length]!;
      return `${nameOf(at)} -(${edges.get(at)!.get(next)!.join(', ')})-> `;
    });
    out.push({
      path: start.path,
      message: `dependency cycle: ${steps.join('')}${nameOf(start)}; links, dependsOn and volumesFrom together must not form a cycle`,
    });
  }
  return out;
}

/** Breadth-first search from `start` back to itself; the containers on the way, or undefined. */
function shortestCycle(start: ContainerAt, edges: Map<ContainerAt, Map<ContainerAt, Relation[]>>): ContainerAt[] | undefined {
  const previous = new Map<ContainerAt, ContainerAt>();
  const queue: ContainerAt[] = [start];
  while (queue.length > 0) {
    const at = queue.shift()!;
    for (const next of edges.get(at)!.keys()) {
      if (next === start) {
        const path = [at];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return path;
      }
      if (!previous.has(next)) {
        previous.set(next, at);
        queue.push(next);
      }
    }
  }
  return undefined;
}
