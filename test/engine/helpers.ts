// Small builders for engine unit tests.
import { parseDocument } from '../../functions/engine';
import type { ContainerDefinition, OperatorSettings, RegisterInput, Tag, TaskDefinitionDocument } from '../../functions/engine/types';

export const OPERATOR: OperatorSettings = { sidecarImage: 'sigv4-sidecar:1.0.0', defaultRegion: 'us-east-1' };
export const TASK_ROLE = 'arn:aws:iam::111122223333:role/task';

export function appContainer(overrides: Partial<ContainerDefinition> = {}): ContainerDefinition {
  return { name: 'app', image: 'app:1', essential: true, memory: 256, entryPoint: ['/app'], command: ['serve'], ...overrides };
}

export function taskDefinition(overrides: Partial<RegisterInput> = {}, tags: Tag[] = [{ key: 'sigv4-sidecar', value: 'true' }]): TaskDefinitionDocument {
  return parseDocument({
    family: 'demo',
    taskRoleArn: TASK_ROLE,
    containerDefinitions: [appContainer()],
    ...overrides,
    tags,
  });
}

export function optIn(...settings: Array<[string, string]>): Tag[] {
  return [{ key: 'sigv4-sidecar', value: 'true' }, ...settings.map(([key, value]) => ({ key: `sigv4-sidecar/${key}`, value }))];
}
