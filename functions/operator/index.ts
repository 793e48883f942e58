// The Lambda entry point: settings and clients are made once per cold start; a bad setting
// fails the init with a ConfigError naming the variable.
import { Logger } from '@aws-lambda-powertools/logger';
import { eventBridgeAudit } from './audit';
import { createClients } from './clients';
import { systemClock } from './clock';
import { loadConfig } from './config';
import { Ecs } from './ecs';
import { createHandler } from './handler';
import { ecsLimiter } from './rate-limits';

const config = loadConfig(process.env);
const logger = new Logger({ serviceName: 'sigv4-sidecar-operator' });
const clients = createClients(config.region);

export const handler = createHandler({
  ecs: new Ecs(clients.ecs, ecsLimiter(systemClock)),
  iam: clients.iam,
  images: { ecr: clients.ecr, fetch: (url) => fetch(url) },
  audit: eventBridgeAudit(clients.events, logger, config.auditEventBus),
  logger,
  clock: systemClock,
  settings: { sidecarImage: config.sidecarImage, defaultRegion: config.region },
  clusters: config.clusters,
});
