// Everything the operator's steps need, passed explicitly so tests and the benchmark can supply
// mocked clients and a simulated clock.
import type { IAMClient } from '@aws-sdk/client-iam';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { OperatorSettings } from '../engine/types';
import type { Audit } from './audit';
import type { Clock } from './clock';
import type { Ecs } from './ecs';
import type { ImageConfigDeps } from './image-config';

export interface OperatorContext {
  ecs: Ecs;
  iam: Pick<IAMClient, 'send'>;
  images: ImageConfigDeps;
  audit: Audit;
  logger: Logger;
  clock: Clock;
  settings: OperatorSettings;
  /** Watched clusters (names or ARNs); undefined means every cluster. */
  clusters?: string[];
}
