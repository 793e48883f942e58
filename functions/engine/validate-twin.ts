// A twin is only returned when ECS would take it: the API model and the ECS rules both pass.
// Anything else is a refusal, never a bad twin.
import { validateAgainstModel } from './model/validate';
import { validateEcsRules } from './rules/validate';
import type { RegisterInput, Refusal } from './types';

export function validateTwin(twin: RegisterInput): Refusal[] {
  return [
    ...validateAgainstModel('RegisterTaskDefinition', twin).map((violation) => ({
      code: 'MODEL_VIOLATION' as const,
      where: violation.path,
      message: `the twin would break the ECS API model at ${violation.path}: ${violation.message}`,
    })),
    ...validateEcsRules(twin).map((violation) => ({
      code: 'ECS_RULE_VIOLATION' as const,
      where: violation.path,
      message: `the twin would break an ECS rule at ${violation.path}: ${violation.message}`,
    })),
  ];
}
