import { describe, expect, it } from 'vitest';
import { MAX_CONTAINERS, MAX_TAGS } from '../../../functions/engine/constants';
import { validateAgainstModel } from '../../../functions/engine/model/validate';
import type { Violation } from '../../../functions/engine/model/violation';
import { validateEcsRules } from '../../../functions/engine/rules/validate';
import type { ContainerDefinition, RegisterInput } from '../../../functions/engine/types';
import { brokenCopy, realisticTaskDefinition } from './fixtures';

/** Exactly one violation, at `path`, whose message contains `message`. */
function expectOnly(violations: Violation[], path: string, message: string): void {
  expect(violations, JSON.stringify(violations, null, 2)).toHaveLength(1);
  expect(violations[0]!.path).toBe(path);
  expect(violations[0]!.message).toContain(message);
}

const rules = (edit: (input: RegisterInput) => void) => validateEcsRules(brokenCopy(edit));
const web = (input: RegisterInput) => input.containerDefinitions![0]!;
const cache = (input: RegisterInput) => input.containerDefinitions![1]!;
const worker = (name: string): ContainerDefinition => ({ name, image: 'busybox', memory: 16, essential: false });

/** A valid Fargate task definition: awsvpc, task-level sizes, no links. */
function fargate(): RegisterInput {
  return brokenCopy((i) => {
    i.requiresCompatibilities = ['FARGATE'];
    i.networkMode = 'awsvpc';
    delete web(i).links;
    delete web(i).linuxParameters;
  });
}

describe('validateEcsRules: valid inputs', () => {
  it('accepts the realistic bridge task definition, which the model accepts too', () => {
    const input = realisticTaskDefinition();
    expect(validateEcsRules(input)).toEqual([]);
    expect(validateAgainstModel('RegisterTaskDefinition', input)).toEqual([]);
  });

  it('accepts a Fargate task definition', () => {
    expect(validateEcsRules(fargate())).toEqual([]);
  });

  it('does not throw on input the model rejects', () => {
    const garbage = { family: 'x', containerDefinitions: [null, 5, { name: 7, dependsOn: 'x', links: [1] }], tags: 'x' } as unknown as RegisterInput;
    expect(() => validateEcsRules(garbage)).not.toThrow();
    expect(validateEcsRules({ family: 'x' } as RegisterInput)).toEqual([{ path: '$.containerDefinitions', message: 'a task definition needs at least one container' }]);
  });
});

describe('container names and count', () => {
  it('requires unique container names', () => {
    expectOnly(rules((i) => i.containerDefinitions!.push(worker('web'))), '$.containerDefinitions[2].name', 'container name "web" is already used by containerDefinitions[0]; names must be unique');
  });

  it('requires a well-formed name', () => {
    expectOnly(rules((i) => i.containerDefinitions!.push({ ...worker('x'), name: 'my app' })), '$.containerDefinitions[2].name', 'up to 255 letters, numbers, hyphens and underscores');
    expectOnly(rules((i) => i.containerDefinitions!.push({ ...worker('x'), name: undefined })), '$.containerDefinitions[2].name', 'container name none is not valid');
  });

  it(`allows ${MAX_CONTAINERS} containers and no more`, () => {
    const upTo = (n: number) => rules((i) => i.containerDefinitions!.push(...Array.from({ length: n - 2 }, (_, k) => worker(`w${k}`))));
    expect(upTo(MAX_CONTAINERS)).toEqual([]);
    expectOnly(upTo(MAX_CONTAINERS + 1), '$.containerDefinitions', `11 containers; ECS allows at most ${MAX_CONTAINERS}`);
  });

  it('requires an essential container, counting an absent essential as true', () => {
    expect(rules((i) => delete web(i).essential)).toEqual([]);
    expectOnly(rules((i) => (web(i).essential = false)), '$.containerDefinitions', 'no essential container');
  });
});

describe('memory and cpu', () => {
  it('without task memory (EC2) needs memory or memoryReservation on every container', () => {
    const noTaskSize = (i: RegisterInput) => {
      delete i.memory;
      delete i.cpu;
    };
    expect(rules(noTaskSize)).toEqual([]);
    expect(rules((i) => (noTaskSize(i), delete cache(i).memory, (cache(i).memoryReservation = 64)))).toEqual([]);
    expectOnly(rules((i) => (noTaskSize(i), delete cache(i).memory)), '$.containerDefinitions[1]', 'container "cache" sets neither memory nor memoryReservation');
  });

  it('with task memory lets containers leave memory unset', () => {
    expect(rules((i) => delete cache(i).memory)).toEqual([]);
  });

  it('requires memory greater than memoryReservation', () => {
    expectOnly(rules((i) => (web(i).memoryReservation = 512)), '$.containerDefinitions[0].memoryReservation', 'memoryReservation 512 MiB of container "web" must be less than its memory 512 MiB');
  });

  it('requires container cpu to fit in task cpu, in units or vCPU', () => {
    expect(rules((i) => (i.cpu = '768'))).toEqual([]);
    expectOnly(rules((i) => (i.cpu = '0.5 vCPU')), '$.cpu', `task cpu 512 CPU units is less than the containers' total cpu 768 CPU units ("web" 512, "cache" 256)`);
  });

  it('requires the containers\' reservations to fit in task memory (reservation, else memory)', () => {
    expect(rules((i) => (i.memory = '0.5 GB'))).toEqual([]); // web reserves 256, cache 256
    expectOnly(rules((i) => ((i.memory = '511'), (web(i).memory = 400))), '$.memory', `task memory 511 MiB is less than the containers' total memory (memoryReservation, else memory) 512 MiB ("web" 256, "cache" 256)`);
  });

  it('requires each container memory to fit in task memory', () => {
    expectOnly(rules((i) => (web(i).memory = 2048)), '$.containerDefinitions[0].memory', 'memory 2048 MiB of container "web" exceeds the task memory 1024 MiB');
  });

  it('reports unreadable task sizes', () => {
    expectOnly(rules((i) => (i.cpu = '1 core')), '$.cpu', 'task cpu "1 core" is not valid');
    expectOnly(rules((i) => (i.memory = '1 TB')), '$.memory', 'task memory "1 TB" is not valid');
  });

  it('on Fargate requires task-level cpu and memory, and no container memory', () => {
    const noContainerMemory = (i: RegisterInput) => i.containerDefinitions!.forEach((c) => (delete c.memory, delete c.memoryReservation));
    expect(validateEcsRules(brokenCopy(() => undefined))).toEqual([]);
    const input = fargate();
    noContainerMemory(input);
    expect(validateEcsRules(input)).toEqual([]);
    delete input.cpu;
    expectOnly(validateEcsRules(input), '$.cpu', 'Fargate (requiresCompatibilities contains FARGATE) requires task-level cpu');
    input.cpu = '1024';
    delete input.memory;
    expectOnly(validateEcsRules(input), '$.memory', 'requires task-level memory');
  });
});

describe('dependsOn', () => {
  it('requires the target to exist', () => {
    expectOnly(rules((i) => (web(i).dependsOn![0]!.containerName = 'db')), '$.containerDefinitions[0].dependsOn[0].containerName', 'dependsOn names "db", which is not a container of this task definition (web, cache)');
  });

  it('forbids depending on itself', () => {
    expectOnly(rules((i) => web(i).dependsOn!.push({ containerName: 'web', condition: 'START' })), '$.containerDefinitions[0].dependsOn[1].containerName', 'container "web" cannot refer to itself in dependsOn');
  });

  it('allows only START, COMPLETE, SUCCESS and HEALTHY', () => {
    expectOnly(rules((i) => (web(i).dependsOn![0]!.condition = 'READY' as 'START')), '$.containerDefinitions[0].dependsOn[0].condition', 'dependsOn condition "READY" is not valid; allowed: START, COMPLETE, SUCCESS, HEALTHY');
  });

  it.each(['COMPLETE', 'SUCCESS'] as const)('forbids %s on an essential container, essential being true when absent', (condition) => {
    expect(rules((i) => (web(i).dependsOn![0]!.condition = condition))).toEqual([]); // cache is essential: false
    expectOnly(
      rules((i) => (delete cache(i).essential, (web(i).dependsOn![0]!.condition = condition))),
      '$.containerDefinitions[0].dependsOn[0].condition',
      `condition ${condition} cannot target essential container "cache"`,
    );
  });

  it.each(['START', 'HEALTHY'] as const)('allows %s on an essential container', (condition) => {
    expect(rules((i) => (delete cache(i).essential, (web(i).dependsOn![0]!.condition = condition)))).toEqual([]);
  });

  it('requires a healthCheck on the target of HEALTHY', () => {
    expectOnly(rules((i) => delete cache(i).healthCheck), '$.containerDefinitions[0].dependsOn[0].condition', 'condition HEALTHY needs a healthCheck on container "cache"');
    expect(rules((i) => (delete cache(i).healthCheck, (web(i).dependsOn![0]!.condition = 'START')))).toEqual([]);
  });
});

describe('links and volumesFrom', () => {
  it('requires link targets to exist, with or without an alias', () => {
    expect(rules((i) => (web(i).links = ['cache']))).toEqual([]);
    expectOnly(rules((i) => (web(i).links = ['cache:cache', 'db:database'])), '$.containerDefinitions[0].links[1]', 'links names "db"');
  });

  it('forbids a link to itself', () => {
    expectOnly(rules((i) => web(i).links!.push('web:self')), '$.containerDefinitions[0].links[1]', 'container "web" cannot refer to itself in links');
  });

  it('requires volumesFrom sources to exist and differ from the container', () => {
    expect(rules((i) => (web(i).volumesFrom = [{ sourceContainer: 'cache', readOnly: true }]))).toEqual([]);
    expectOnly(rules((i) => (web(i).volumesFrom = [{ sourceContainer: 'data' }])), '$.containerDefinitions[0].volumesFrom[0].sourceContainer', 'volumesFrom names "data"');
    expectOnly(rules((i) => (web(i).volumesFrom = [{}])), '$.containerDefinitions[0].volumesFrom[0].sourceContainer', 'volumesFrom names no container name');
    expectOnly(rules((i) => (web(i).volumesFrom = [{ sourceContainer: 'web' }])), '$.containerDefinitions[0].volumesFrom[0].sourceContainer', 'cannot refer to itself in volumesFrom');
  });

  it('allows links only in bridge mode, absent networkMode being bridge', () => {
    expect(rules((i) => delete i.networkMode)).toEqual([]);
    expectOnly(rules((i) => (i.networkMode = 'awsvpc')), '$.containerDefinitions[0].links', 'links work only in bridge network mode; networkMode is awsvpc');
    expectOnly(rules((i) => (i.networkMode = 'host')), '$.containerDefinitions[0].links', 'networkMode is host');
  });
});

describe('cycles across links, dependsOn and volumesFrom', () => {
  it('reports a two-container cycle with its names and relations', () => {
    expectOnly(rules((i) => (cache(i).volumesFrom = [{ sourceContainer: 'web' }])), '$.containerDefinitions[0]', 'dependency cycle: "web" -(dependsOn, links)-> "cache" -(volumesFrom)-> "web"');
  });

  it('reports a longer cycle once, found from its first container', () => {
    const violations = rules((i) => {
      i.containerDefinitions!.push({ ...worker('sidekick'), links: ['web'] });
      cache(i).dependsOn = [{ containerName: 'sidekick', condition: 'START' }];
    });
    expectOnly(violations, '$.containerDefinitions[0]', 'dependency cycle: "web" -(dependsOn, links)-> "cache" -(dependsOn)-> "sidekick" -(links)-> "web"');
  });

  it('reports each of two separate cycles', () => {
    const violations = rules((i) => {
      i.containerDefinitions!.push({ ...worker('a'), links: ['b'] }, { ...worker('b'), dependsOn: [{ containerName: 'a', condition: 'START' }] });
      cache(i).links = ['web'];
    });
    expect(violations.map((v) => v.message)).toEqual([
      'dependency cycle: "web" -(dependsOn, links)-> "cache" -(links)-> "web"; links, dependsOn and volumesFrom together must not form a cycle',
      'dependency cycle: "a" -(links)-> "b" -(dependsOn)-> "a"; links, dependsOn and volumesFrom together must not form a cycle',
    ]);
  });

  it('accepts a diamond, which is no cycle', () => {
    expect(
      rules((i) => {
        i.containerDefinitions!.push({ ...worker('a'), links: ['web', 'cache'] }, { ...worker('b'), volumesFrom: [{ sourceContainer: 'a' }], links: ['cache'] });
      }),
    ).toEqual([]);
  });
});

describe('tags', () => {
  it(`allows ${MAX_TAGS} tags and no more`, () => {
    const tags = (n: number) => Array.from({ length: n }, (_, k) => ({ key: `k${k}`, value: 'v' }));
    expect(rules((i) => (i.tags = tags(MAX_TAGS)))).toEqual([]);
    expectOnly(rules((i) => (i.tags = tags(MAX_TAGS + 1))), '$.tags', `51 tags; ECS allows at most ${MAX_TAGS}`);
  });

  it('requires a key of 1 to 128 characters', () => {
    expect(rules((i) => (i.tags![1]!.key = 'k'.repeat(128)))).toEqual([]);
    expectOnly(rules((i) => (i.tags![1]!.key = 'k'.repeat(129))), '$.tags[1].key', 'tag key must have 1 to 128 characters, got 129');
    expectOnly(rules((i) => (i.tags![1]!.key = '')), '$.tags[1].key', 'got 0');
    expectOnly(rules((i) => delete i.tags![1]!.key), '$.tags[1].key', 'every tag needs a key');
  });

  it('allows a value of 0 to 256 characters, or none', () => {
    expect(rules((i) => ((i.tags![1]!.value = ''), delete i.tags![2]!.value))).toEqual([]);
    expect(rules((i) => (i.tags![1]!.value = 'v'.repeat(256)))).toEqual([]);
    expectOnly(rules((i) => (i.tags![1]!.value = 'v'.repeat(257))), '$.tags[1].value', 'tag value must have 0 to 256 characters, got 257');
  });

  it('holds keys and values to the tag pattern (Unicode letters allowed, commas not)', () => {
    expect(rules((i) => (i.tags![1]!.value = 'Équipe Über 日本 a.b:c/d=e+f-g@h_i'))).toEqual([]);
    expectOnly(rules((i) => (i.tags![1]!.value = 'web,cache')), '$.tags[1].value', 'no commas: separate lists with spaces');
    expectOnly(rules((i) => (i.tags![1]!.key = 'team*')), '$.tags[1].key', 'tag key "team*" may hold only letters');
  });

  it('forbids keys and values starting with aws:, in any case', () => {
    expectOnly(rules((i) => (i.tags![1]!.key = 'aws:cloudformation:stack-name')), '$.tags[1].key', 'starts with aws:, which AWS reserves');
    expectOnly(rules((i) => (i.tags![1]!.key = 'AWS:x')), '$.tags[1].key', 'starts with aws:');
    expectOnly(rules((i) => (i.tags![1]!.value = 'Aws:x')), '$.tags[1].value', 'starts with aws:');
    expect(rules((i) => (i.tags![1]!.value = 'my-aws:x'))).toEqual([]);
  });

  it('requires unique keys', () => {
    expectOnly(rules((i) => (i.tags![2]!.key = 'team')), '$.tags[2].key', 'tag key "team" is already set by tags[1]');
  });
});

describe('Fargate and capabilities', () => {
  it('requires awsvpc on Fargate, absent networkMode being bridge', () => {
    expectOnly(validateEcsRules({ ...fargate(), networkMode: 'bridge' }), '$.networkMode', 'Fargate (requiresCompatibilities contains FARGATE) requires networkMode awsvpc; networkMode is "bridge"');
    expectOnly(validateEcsRules({ ...fargate(), networkMode: undefined }), '$.networkMode', 'networkMode is absent (bridge)');
  });

  it('allows adding only SYS_PTRACE on Fargate', () => {
    const withAdd = (add: string[]) => {
      const input = fargate();
      web(input).linuxParameters = { capabilities: { add, drop: ['ALL'] } };
      return validateEcsRules(input);
    };
    expect(withAdd(['SYS_PTRACE'])).toEqual([]);
    expectOnly(withAdd(['SYS_PTRACE', 'NET_ADMIN']), '$.containerDefinitions[0].linuxParameters.capabilities.add[1]', 'Fargate allows adding only SYS_PTRACE; got "NET_ADMIN"');
  });

  it('allows NET_ADMIN on EC2', () => {
    expect(rules((i) => web(i).linuxParameters!.capabilities!.add!.push('NET_ADMIN', 'SETPCAP'))).toEqual([]);
  });

  it('requires capabilities without the CAP_ prefix, in add and drop', () => {
    expectOnly(rules((i) => (web(i).linuxParameters!.capabilities!.add = ['CAP_NET_ADMIN'])), '$.containerDefinitions[0].linuxParameters.capabilities.add[0]', 'write capabilities without CAP_: "NET_ADMIN", not "CAP_NET_ADMIN"');
    expectOnly(rules((i) => (web(i).linuxParameters!.capabilities!.drop = ['cap_net_raw'])), '$.containerDefinitions[0].linuxParameters.capabilities.drop[0]', '"NET_RAW", not "cap_net_raw"');
  });

  it('rejects capability names ECS does not know', () => {
    expectOnly(rules((i) => (web(i).linuxParameters!.capabilities!.add = ['NET_ADMN'])), '$.containerDefinitions[0].linuxParameters.capabilities.add[0]', '"NET_ADMN" is not a capability ECS accepts; allowed: ALL, AUDIT_CONTROL');
  });
});

describe('reporting', () => {
  it('reports every violation, not just the first', () => {
    const violations = rules((i) => {
      cache(i).name = 'web';
      i.cpu = '256';
      i.tags![0]!.key = 'aws:x';
      web(i).linuxParameters!.capabilities!.add = ['CAP_SYS_ADMIN'];
    });
    expect(violations.map((v) => v.path)).toEqual(
      expect.arrayContaining(['$.containerDefinitions[1].name', '$.cpu', '$.tags[0].key', '$.containerDefinitions[0].linuxParameters.capabilities.add[0]']),
    );
  });
});
