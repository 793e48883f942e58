// Task definitions and EventBridge events for the operator's tests and benchmark (no vitest
// import here: the benchmark uses these too).
import { readFileSync } from 'node:fs';
import type { RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { OPT_IN_TAG, OPT_IN_VALUE } from '../../functions/engine/constants';
import { ACCOUNT, REGION } from './fake-ecs';

export const SIDECAR_IMAGE = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/sigv4-sidecar:1.0.0`;
export const TASK_ROLE = `arn:aws:iam::${ACCOUNT}:role/orders-task`;

export function fixture(name: string): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`../fixtures/events/${name}.json`, import.meta.url), 'utf8'));
}

/** A task definition the engine injects without reading the registry. */
export function sourceInput(family = 'orders', overrides: Partial<RegisterTaskDefinitionCommandInput> = {}): RegisterTaskDefinitionCommandInput {
  return {
    family,
    taskRoleArn: TASK_ROLE,
    networkMode: 'bridge',
    containerDefinitions: [
      { name: 'app', image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${family}:1`, memory: 256, essential: true, entryPoint: ['/app'], command: ['serve'], user: '1000' },
    ],
    tags: [{ key: OPT_IN_TAG, value: OPT_IN_VALUE }],
    ...overrides,
  };
}

export function plainInput(family = 'plain'): RegisterTaskDefinitionCommandInput {
  return { ...sourceInput(family), tags: [{ key: 'team', value: 'payments' }] };
}

/** EventBridge envelope of a CloudTrail ECS call, from a fixture with its identifiers replaced. */
export function registerEvent(arn: string): Record<string, any> {
  const event = fixture('register-task-definition');
  event.detail.responseElements.taskDefinition.taskDefinitionArn = arn;
  return event;
}

export function updateServiceEvent(cluster: string, service: string, taskDefinition: string, name = 'update-service'): Record<string, any> {
  const event = fixture(name);
  event.detail.requestParameters = { cluster, service, taskDefinition };
  event.detail.responseElements = null;
  return event;
}

export function tagEvent(arn: string, tags: Array<{ key: string; value: string }>): Record<string, any> {
  const event = fixture('tag-resource');
  event.detail.requestParameters = { resourceArn: arn, tags };
  return event;
}

export function deregisterEvent(arn: string): Record<string, any> {
  const event = fixture('deregister-task-definition');
  event.detail.requestParameters = { taskDefinition: arn };
  event.detail.responseElements = null;
  return event;
}
