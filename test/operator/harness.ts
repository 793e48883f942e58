// Builds the operator around mocked SDK clients (ECS backed by FakeEcs) for the tests.
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import { vi } from 'vitest';
import { eventBridgeAudit } from '../../functions/operator/audit';
import { systemClock } from '../../functions/operator/clock';
import type { OperatorContext } from '../../functions/operator/context';
import { Ecs } from '../../functions/operator/ecs';
import { createHandler } from '../../functions/operator/handler';
import { FakeEcs, REGION } from './fake-ecs';
import { SIDECAR_IMAGE } from './inputs';

export * from './inputs';

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
