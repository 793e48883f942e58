// Builds the operator around mocked SDK clients (ECS backed by FakeEcs) for the tests.
import { readFileSync } from 'node:fs';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient, type RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import { vi } from 'vitest';
import { OPT_IN_TAG, OPT_IN_VALUE } from '../../functions/engine/constants';
import { eventBridgeAudit } from '../../functions/operator/audit';
import { systemClock } from '../../functions/operator/clock';
import type { OperatorContext } from '../../functions/operator/context';
import { Ecs } from '../../functions/operator/ecs';
import { createHandler } from '../../functions/operator/handler';
import { ACCOUNT, FakeEcs, REGION } from './fake-ecs';

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

export interface Harness {
  ecs: FakeEcs;
  ecr: ReturnType<typeof mockClient>;
  iam: ReturnType<typeof mockClient>;
  events: ReturnType<typeof mockClient>;
  fetch: ReturnType<typeof vi.fn>;
  logger: Logger;
  ctx: OperatorContext;
  handler: ReturnType<typeof createHandler>;
  /** Detail types of the audit events sent, in order. */
  audits(): Array<{ type: string; detail: any }>;
  restore(): void;
}

export function harness(options: { clusters?: string[] } = {}): Harness {
  const ecs = new FakeEcs();
  const ecr = mockClient(ECRClient);
  const iam = mockClient(IAMClient);
  iam.on(SimulatePrincipalPolicyCommand).resolves({ EvaluationResults: [{ EvalActionName: 'vpc-lattice-svcs:Invoke', EvalDecision: 'allowed' }] });
  const events = mockClient(EventBridgeClient);
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  const fetch = vi.fn();
  const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
  const ecrClient = new ECRClient({ region: REGION });
  const ctx: OperatorContext = {
    // The limiter is tested on its own; here it must not slow the scenarios down.
    ecs: new Ecs(new ECSClient({ region: REGION }), async () => {}),
    iam: new IAMClient({ region: REGION }),
    images: { ecr: () => ecrClient, fetch: fetch as unknown as typeof globalThis.fetch },
    audit: eventBridgeAudit(new EventBridgeClient({ region: REGION }), logger),
    logger,
    clock: systemClock,
    settings: { sidecarImage: SIDECAR_IMAGE, defaultRegion: REGION },
    ...(options.clusters ? { clusters: options.clusters } : {}),
  };
  return {
    ecs,
    ecr,
    iam,
    events,
    fetch,
    logger,
    ctx,
    handler: createHandler(ctx),
    audits: () =>
      events.commandCalls(PutEventsCommand).map((call) => {
        const entry = call.args[0].input.Entries![0]!;
        return { type: entry.DetailType!, detail: JSON.parse(entry.Detail!) };
      }),
    restore: () => {
      ecs.restore();
      ecr.restore();
      iam.restore();
      events.restore();
    },
  };
}
