// permissions.ts is the policy's single source: it must list exactly what the code calls.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPERATOR_ACTIONS, operatorPolicy } from '../../functions/operator/permissions';

const PREFIX: Record<string, string> = { ecs: 'ecs', ecr: 'ecr', iam: 'iam', eventbridge: 'events' };
const dir = new URL('../../functions/operator/', import.meta.url);

/** `service:Action` for every SDK command constructed in functions/operator. */
function actionsInCode(): Set<string> {
  const actions = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(new URL(file, dir), 'utf8');
    for (const [, names, client] of source.matchAll(/import \{([^}]*)\} from '@aws-sdk\/client-(\w+)'/g)) {
      for (const [, command] of names!.matchAll(/\b(\w+)Command\b/g)) {
        if (new RegExp(`new ${command}Command\\(`).test(source)) actions.add(`${PREFIX[client!]}:${command}`);
      }
    }
  }
  return actions;
}

describe('operator permissions', () => {
  it('lists exactly the actions the code calls, plus iam:PassRole that RegisterTaskDefinition needs', () => {
    const listed = new Set(Object.values(OPERATOR_ACTIONS).flat());
    expect(listed).toEqual(new Set([...actionsInCode(), 'iam:PassRole']));
  });

  it('grants each action in exactly one statement, scoped where the action allows it', () => {
    const statements = operatorPolicy({
      partition: 'aws',
      region: 'eu-west-1',
      account: '111122223333',
      clusters: ['prod', 'arn:aws:ecs:eu-west-1:111122223333:cluster/staging'],
      eventBusArn: 'arn:aws:events:eu-west-1:111122223333:event-bus/default',
    });
    const granted = statements.flatMap((s) => s.actions);
    expect(granted.sort()).toEqual(Object.values(OPERATOR_ACTIONS).flat().sort());
    const byAction = (action: string) => statements.find((s) => (s.actions as string[]).includes(action))!;
    expect(byAction('ecs:UpdateService').resources).toEqual([
      'arn:aws:ecs:eu-west-1:111122223333:service/prod/*',
      'arn:aws:ecs:eu-west-1:111122223333:service/staging/*',
    ]);
    expect(byAction('ecs:TagResource').resources).toEqual(['arn:aws:ecs:eu-west-1:111122223333:task-definition/*']);
    expect(byAction('iam:PassRole').conditions).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
    expect(byAction('events:PutEvents').resources).toEqual(['arn:aws:events:eu-west-1:111122223333:event-bus/default']);
    expect(byAction('ecr:BatchGetImage').resources).toEqual(['arn:aws:ecr:*:111122223333:repository/*']);
  });

  it('every cluster when CLUSTERS is unset', () => {
    const [, services] = operatorPolicy({ partition: 'aws', region: 'eu-west-1', account: '1', eventBusArn: 'b' });
    expect(services!.resources).toEqual(['arn:aws:ecs:eu-west-1:1:service/*/*']);
  });
});
