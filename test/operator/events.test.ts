// Classification of every fixture: what the operator takes from each event.
import { describe, expect, it } from 'vitest';
import { classifyEvent } from '../../functions/operator/events';
import { fixture } from './harness';

const td = (family: string, revision: number) => `arn:aws:ecs:eu-west-1:111122223333:task-definition/${family}:${revision}`;

describe('classifyEvent on the fixtures', () => {
  it.each<[string, unknown]>([
    ['register-task-definition', { kind: 'source', eventName: 'RegisterTaskDefinition', taskDefinition: td('orders', 7) }],
    ['register-task-definition-iam-user', { kind: 'source', eventName: 'RegisterTaskDefinition', taskDefinition: td('orders', 8) }],
    ['register-task-definition-root', { kind: 'source', eventName: 'RegisterTaskDefinition', taskDefinition: td('orders', 9) }],
    ['register-task-definition-operator', { kind: 'source', eventName: 'RegisterTaskDefinition', taskDefinition: td('orders', 10) }],
    ['register-task-definition-failed', { kind: 'ignore', reason: 'RegisterTaskDefinition failed with AccessDenied' }],
    [
      'create-service',
      { kind: 'service', eventName: 'CreateService', cluster: 'arn:aws:ecs:eu-west-1:111122223333:cluster/prod', service: 'arn:aws:ecs:eu-west-1:111122223333:service/prod/orders', taskDefinition: td('orders', 7) },
    ],
    [
      'update-service',
      { kind: 'service', eventName: 'UpdateService', cluster: 'arn:aws:ecs:eu-west-1:111122223333:cluster/prod', service: 'arn:aws:ecs:eu-west-1:111122223333:service/prod/orders', taskDefinition: td('orders', 7) },
    ],
    [
      'update-service-operator',
      { kind: 'service', eventName: 'UpdateService', cluster: 'arn:aws:ecs:eu-west-1:111122223333:cluster/prod', service: 'arn:aws:ecs:eu-west-1:111122223333:service/prod/orders', taskDefinition: td('orders', 10) },
    ],
    ['tag-resource', { kind: 'source', eventName: 'TagResource', taskDefinition: td('orders', 6) }],
    ['deregister-task-definition', { kind: 'deregister', eventName: 'DeregisterTaskDefinition', taskDefinition: td('orders', 6) }],
    ['scheduled-event', { kind: 'sweep' }],
  ])('%s', (name, expected) => {
    expect(classifyEvent(fixture(name))).toEqual(expected);
  });

  it('uses request parameters when CloudTrail cut the response, and the default cluster when none is named', () => {
    const event = fixture('update-service');
    event.detail.responseElements = null;
    event.detail.requestParameters = { service: 'orders', taskDefinition: 'orders:7' };
    expect(classifyEvent(event)).toEqual({ kind: 'service', eventName: 'UpdateService', cluster: 'default', service: 'orders', taskDefinition: 'orders:7' });
  });

  it('an UpdateService without taskDefinition still checks the service', () => {
    const event = fixture('update-service');
    event.detail.responseElements = null;
    event.detail.requestParameters = { cluster: 'prod', service: 'orders', desiredCount: 3 };
    expect(classifyEvent(event)).toEqual({ kind: 'service', eventName: 'UpdateService', cluster: 'prod', service: 'orders' });
  });

  it('every fixture is a full EventBridge envelope', () => {
    for (const name of ['register-task-definition', 'create-service', 'update-service', 'tag-resource', 'deregister-task-definition']) {
      const event = fixture(name);
      expect(Object.keys(event).sort()).toEqual(['account', 'detail', 'detail-type', 'id', 'region', 'resources', 'source', 'time', 'version']);
      expect(event.detail).toMatchObject({ eventSource: 'ecs.amazonaws.com', userIdentity: { type: expect.any(String) } });
    }
  });
});
