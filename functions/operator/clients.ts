// SDK clients for the Lambda. No endpoint is set here, so AWS_ENDPOINT_URL_<SERVICE> overrides
// keep working; the region is the Lambda's own. Adaptive retries back off and slow the client
// down when ECS throttles calls made by others in the account as well. Clients other than ECS
// are made on first use: most events never register a twin or send an audit event, so the
// cold start does not pay for them.
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';

export const MAX_ATTEMPTS = 8;

function once<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

export function createClients(region: string) {
  const common = { region, retryMode: 'adaptive', maxAttempts: MAX_ATTEMPTS } as const;
  const ecrByRegion = new Map<string, ECRClient>();
  const iam = once(() => new IAMClient(common));
  const events = once(() => new EventBridgeClient(common));
  return {
    ecs: new ECSClient(common),
    iam: { send: ((command: never) => iam().send(command)) as IAMClient['send'] },
    events: { send: ((command: never) => events().send(command)) as EventBridgeClient['send'] },
    /** Images may live in another region's ECR. */
    ecr(imageRegion: string): ECRClient {
      let client = ecrByRegion.get(imageRegion);
      if (!client) {
        client = new ECRClient({ ...common, region: imageRegion });
        ecrByRegion.set(imageRegion, client);
      }
      return client;
    },
  };
}
