// The ECS rules that the API model cannot express (FACTS.md), checked on a RegisterTaskDefinition
// input. ECS would reject most of these at registration; cycles and bad dependsOn targets it
// accepts and the task then fails on the instance. Every violation is reported.
import type { Violation } from '../model/violation';
import type { RegisterInput } from '../types';
import { checkContainers } from './containers';
import { checkPlatform } from './platform';
import { checkReferences } from './references';
import { checkResources } from './resources';
import { checkTags } from './tags';
import { containersOf } from './task-view';

export type RuleViolation = Violation;

export function validateEcsRules(input: RegisterInput): RuleViolation[] {
  const containers = containersOf(input);
  return [
    ...checkContainers(containers),
    ...checkResources(input, containers),
    ...checkReferences(input, containers),
    ...checkPlatform(input, containers),
    ...checkTags(input),
  ];
}
