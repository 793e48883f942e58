import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../functions/engine';
import { InputError } from '../../functions/engine/errors';

const container = { name: 'app', image: 'app:1', memory: 128 };

function inputErrorOf(json: unknown): InputError {
  try {
    parseDocument(json);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('parsed');
}

describe('parseDocument', () => {
  it('reads describe-task-definition output: drops read-only fields, keeps the ARN as identity', () => {
    const doc = parseDocument({
      $metadata: { httpStatusCode: 200 },
      taskDefinition: {
        taskDefinitionArn: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/web:12',
        family: 'web',
        revision: 12,
        status: 'ACTIVE',
        compatibilities: ['EC2'],
        requiresAttributes: [{ name: 'x' }],
        registeredAt: '2026-01-01T00:00:00Z',
        registeredBy: 'arn:aws:iam::111122223333:root',
        containerDefinitions: [{ ...container, cpu: 0, environment: [], mountPoints: [], volumesFrom: [] }],
        volumes: [],
      },
      tags: [
        { key: 'aws:cloudformation:stack-name', value: 'x' },
        { key: 'team', value: 'web' },
      ],
    });
    expect(doc.source).toEqual({ arn: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/web:12', region: 'eu-west-1', family: 'web', revision: 12 });
    expect(doc.register).toEqual({ family: 'web', containerDefinitions: [{ ...container, cpu: 0 }], tags: [{ key: 'team', value: 'web' }] });
  });

  it('reads a register-task-definition input and normalizes task sizes with units', () => {
    const doc = parseDocument({ family: 'web', cpu: '0.5 vCPU', memory: '1 GB', containerDefinitions: [container] });
    expect(doc.source).toEqual({ family: 'web' });
    expect(doc.register).toMatchObject({ cpu: '512', memory: '1024' });
  });

  it.each([
    [[], '$', 'expected a JSON object'],
    [{ taskDefinition: 3 }, '$.taskDefinition', 'expected an object'],
    [{ containerDefinitions: [container] }, '$.family', 'family is required'],
    [{ family: 'a', containerDefinitions: {} }, '$.containerDefinitions', 'non-empty array'],
    [{ family: 'a', containerDefinitions: [{ image: 'x' }] }, '$.containerDefinitions[0].name', 'name is required'],
    [{ family: 'a', containerDefinitions: [{ name: 'a' }] }, '$.containerDefinitions[0].image', 'image is required'],
    [{ family: 'a', containerDefinitions: [{ ...container, command: 'serve' }] }, '$.containerDefinitions[0].command', 'array of strings'],
    [{ family: 'a', containerDefinitions: [container], tags: { a: 'b' } }, '$.tags', 'array of {key, value}'],
    [{ family: 'a', containerDefinitions: [container], tags: [{ key: 1 }] }, '$.tags[0]', 'expected {"key"'],
    [{ family: 'a', containerDefinitions: [container], memory: '1.5 MB' }, '$.memory', 'task memory'],
    [{ family: 'a', containerDefinitions: [container], revision: 3, status: 'ACTIVE' }, '$.status', 'describe-task-definition'],
    [{ taskDefinition: { family: 'a', taskDefinitionArn: 'nope', containerDefinitions: [container] } }, '$.taskDefinition.taskDefinitionArn', 'ECS task definition ARN'],
    [{ family: 'a', networkMode: 'nat', containerDefinitions: [container] }, '$.networkMode', 'bridge'],
    [{ taskDefinition: { family: 'a', containerDefinitions: [{ ...container, essential: 'yes' }] } }, '$.taskDefinition.containerDefinitions[0].essential', 'boolean'],
    [{ family: 'a', containerDefinitions: [{ ...container, surprise: 1 }] }, '$.containerDefinitions[0].surprise', ''],
  ])('rejects %j at %s', (json, path, message) => {
    const error = inputErrorOf(json);
    expect(error.path).toBe(path);
    expect(error.message).toContain(message);
  });
});
