import type { UpdateServiceCommandInput } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { validateAgainstModel } from '../../../functions/engine/model/validate';
import type { Violation } from '../../../functions/engine/model/violation';
import { brokenCopy, realisticTaskDefinition } from '../rules/fixtures';

/** Exactly one violation, at `path`, whose message contains `message`. */
function expectOnly(violations: Violation[], path: string, message: string): void {
  expect(violations).toHaveLength(1);
  expect(violations[0]!.path).toBe(path);
  expect(violations[0]!.message).toContain(message);
}

const register = (edit: Parameters<typeof brokenCopy>[0]) => validateAgainstModel('RegisterTaskDefinition', brokenCopy(edit));
const c0 = (input: ReturnType<typeof realisticTaskDefinition>) => input.containerDefinitions![0]!;
// Deliberately wrong values the SDK types would reject: the validator exists for such input.
const set = (target: object, key: string, value: unknown) => Object.assign(target, { [key]: value });

describe('validateAgainstModel: valid inputs', () => {
  it('accepts the realistic task definition', () => {
    expect(validateAgainstModel('RegisterTaskDefinition', realisticTaskDefinition())).toEqual([]);
  });

  it('accepts the SDK-typed UpdateService input the operator sends', () => {
    const input: UpdateServiceCommandInput = { cluster: 'prod', service: 'orders-api', taskDefinition: 'orders-api:8' };
    expect(validateAgainstModel('UpdateService', input)).toEqual([]);
  });

  it('accepts the other operations the operator sends', () => {
    expect(validateAgainstModel('DescribeTaskDefinition', { taskDefinition: 'orders-api:7', include: ['TAGS'] })).toEqual([]);
    expect(validateAgainstModel('DeregisterTaskDefinition', { taskDefinition: 'orders-api:7' })).toEqual([]);
    expect(validateAgainstModel('ListTaskDefinitions', { familyPrefix: 'orders', status: 'ACTIVE', maxResults: 100 })).toEqual([]);
    expect(validateAgainstModel('DescribeServices', { cluster: 'prod', services: ['a', 'b'] })).toEqual([]);
    expect(validateAgainstModel('ListServices', { cluster: 'prod', maxResults: 100 })).toEqual([]);
    expect(validateAgainstModel('ListClusters', {})).toEqual([]);
    expect(validateAgainstModel('TagResource', { resourceArn: 'arn:x', tags: [{ key: 'k', value: 'v' }] })).toEqual([]);
    expect(validateAgainstModel('UntagResource', { resourceArn: 'arn:x', tagKeys: ['k'] })).toEqual([]);
  });

  it('treats undefined and null members as absent, as the SDK does', () => {
    expect(validateAgainstModel('UpdateService', { service: 's', cluster: undefined, desiredCount: null })).toEqual([]);
  });
});

describe('validateAgainstModel: violations', () => {
  it('reports an unknown member of UpdateService', () => {
    const input = { cluster: 'prod', service: 'orders-api', taskDefinition: 'orders-api:8', forceRedeploy: true };
    expectOnly(validateAgainstModel('UpdateService', input), '$.forceRedeploy', 'unknown member "forceRedeploy" of UpdateServiceRequest');
  });

  it('suggests the member meant by a misspelt one', () => {
    expectOnly(register((i) => set(c0(i), 'memoryReservaton', 64)), '$.containerDefinitions[0].memoryReservaton', 'did you mean memoryReservation?');
  });

  it('lists the allowed members when nothing is close', () => {
    expectOnly(register((i) => set(i, 'zzzzzzzz', 1)), '$.zzzzzzzz', 'allowed: family, taskRoleArn');
  });

  it('reports a missing required member at the top level', () => {
    expectOnly(register((i) => delete i.family), '$.family', 'required member family (String) of RegisterTaskDefinitionRequest is missing');
  });

  it('reports a missing required member deep inside', () => {
    expectOnly(register((i) => delete c0(i).dependsOn![0]!.condition), '$.containerDefinitions[0].dependsOn[0].condition', 'required member condition');
  });

  it('requires UpdateService.service', () => {
    expectOnly(validateAgainstModel('UpdateService', { cluster: 'prod' }), '$.service', 'required member service');
  });

  it('checks strings', () => {
    expectOnly(register((i) => set(i, 'family', 42)), '$.family', 'expected a string (String), got number 42');
  });

  it('checks booleans', () => {
    expectOnly(register((i) => set(c0(i), 'essential', 'true')), '$.containerDefinitions[0].essential', 'expected a boolean');
  });

  it('checks integers are whole numbers', () => {
    expectOnly(register((i) => set(c0(i), 'memory', 512.5)), '$.containerDefinitions[0].memory', 'expected a whole number');
  });

  it('checks integers fit in 32 bits', () => {
    expectOnly(register((i) => set(c0(i), 'cpu', 2 ** 31)), '$.containerDefinitions[0].cpu', 'from -2147483648 to 2147483647');
  });

  it('checks doubles are numbers', () => {
    const input = { service: 's', deploymentConfiguration: { canaryConfiguration: { canaryPercent: '5' } } };
    expectOnly(validateAgainstModel('UpdateService', input), '$.deploymentConfiguration.canaryConfiguration.canaryPercent', 'expected a number (Double)');
  });

  it('checks lists', () => {
    expectOnly(register((i) => set(i, 'containerDefinitions', { web: {} })), '$.containerDefinitions', 'expected a list (ContainerDefinitions)');
  });

  it('rejects null items in lists that are not sparse', () => {
    expectOnly(register((i) => set(c0(i), 'command', ['--listen', null])), '$.containerDefinitions[0].command[1]', 'cannot hold null');
  });

  it('checks map values with a path that names the key', () => {
    expectOnly(
      register((i) => set(c0(i).dockerLabels!, 'com.example.team', 7)),
      '$.containerDefinitions[0].dockerLabels["com.example.team"]',
      'expected a string',
    );
  });

  it('rejects null values in maps that are not sparse', () => {
    expectOnly(
      register((i) => set(c0(i).dockerLabels!, 'com.example.team', null)),
      '$.containerDefinitions[0].dockerLabels["com.example.team"]',
      'DockerLabelsMap cannot hold null or undefined values',
    );
  });

  it('checks maps are objects', () => {
    expectOnly(register((i) => set(c0(i), 'dockerLabels', ['a'])), '$.containerDefinitions[0].dockerLabels', 'expected a map');
  });

  it('checks structures are objects', () => {
    expectOnly(register((i) => set(c0(i), 'linuxParameters', 'NET_ADMIN')), '$.containerDefinitions[0].linuxParameters', 'expected an object (LinuxParameters)');
  });

  it('checks enum values and lists the allowed ones', () => {
    expectOnly(register((i) => set(i, 'networkMode', 'brige')), '$.networkMode', '"brige" is not a valid NetworkMode; allowed: bridge, host, awsvpc, none');
  });

  it('checks enums inside lists (dependsOn condition)', () => {
    expectOnly(register((i) => set(c0(i).dependsOn![0]!, 'condition', 'READY')), '$.containerDefinitions[0].dependsOn[0].condition', 'allowed: START, COMPLETE, SUCCESS, HEALTHY');
  });

  it('checks string length in code points, not UTF-16 units', () => {
    const han = '\u{20000}'; // a CJK letter outside the BMP: matches \p{L}, two UTF-16 units
    expect(han.length).toBe(2);
    expect(register((i) => (i.tags![0]!.key = han.repeat(128)))).toEqual([]);
    expectOnly(register((i) => (i.tags![0]!.key = han.repeat(129))), '$.tags[0].key', 'must have 1 to 128 characters (TagKey), got 129');
  });

  it('checks the minimum string length', () => {
    expectOnly(register((i) => (i.tags![1]!.key = '')), '$.tags[1].key', 'must have 1 to 128 characters (TagKey), got 0');
  });

  it('checks list length', () => {
    const tags = Array.from({ length: 51 }, (_, n) => ({ key: `k${n}`, value: 'v' }));
    expectOnly(register((i) => (i.tags = tags)), '$.tags', 'must have 0 to 50 items (Tags), got 51');
  });

  it('checks patterns with Unicode classes (the u flag)', () => {
    expect(register((i) => (i.tags![1]!.value = 'Équipe Über 日本 ٣'))).toEqual([]);
    expectOnly(register((i) => (i.tags![1]!.value = 'a,b')), '$.tags[1].value', 'does not match the pattern ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$ (TagValue)');
  });

  it('checks ranges', () => {
    const input = {
      service: 's',
      serviceConnectConfiguration: { enabled: true, services: [{ portName: 'http', clientAliases: [{ port: 70000 }] }] },
    };
    expectOnly(validateAgainstModel('UpdateService', input), '$.serviceConnectConfiguration.services[0].clientAliases[0].port', 'must be from 0 to 65535 (PortNumber), got 70000');
  });

  it('skips constraints of a value that has the wrong type', () => {
    expectOnly(register((i) => set(i.tags![0]!, 'value', ['a,b'])), '$.tags[0].value', 'expected a string (TagValue), got a list of 1');
  });

  it('reports every violation, not just the first', () => {
    const input = brokenCopy((i) => {
      delete i.family;
      set(i, 'networkMode', 'brige');
      set(c0(i), 'essential', 'yes');
      i.tags![0]!.value = 'a,b';
    });
    expect(validateAgainstModel('RegisterTaskDefinition', input).map((v) => v.path)).toEqual([
      '$.family',
      '$.networkMode',
      '$.containerDefinitions[0].essential',
      '$.tags[0].value',
    ]);
  });

  it('reports a non-object input at the root', () => {
    expectOnly(validateAgainstModel('RegisterTaskDefinition', []), '$', 'expected an object (RegisterTaskDefinitionRequest), got a list of 0');
  });

  it('reports an operation outside the validated set', () => {
    expectOnly(validateAgainstModel('RunTask' as 'UpdateService', {}), '$', 'operation "RunTask" is not in the validated set');
  });
});
