// SDK clients for the Lambda. No endpoint is set here, so AWS_ENDPOINT_URL_<SERVICE> overrides
// keep working; the region is the Lambda's own. Adaptive retries back off and slow the client
// down when ECS throttles calls made by others in the account as well.
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';

export const MAX_ATTEMPTS = 8;

export function createClients(region: string) {
  const common = { region, retryMode: 'adaptive', maxAttempts: MAX_ATTEMPTS } as const;
  const ecrByRegion = new Map<string, ECRClient>();
  return {
    ecs: new ECSClient(common),
    iam: new IAMClient(common),
    events: new EventBridgeClient(common),
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
