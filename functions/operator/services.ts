// Moves a service from an opted-in source revision to its twin. Only services with the ECS
// deployment controller accept a new task definition; CODE_DEPLOY and EXTERNAL ones are
// reported and left alone, as is every service whose revision is not an opted-in source.
import type { Service } from '@aws-sdk/client-ecs';
import { isOptedIn, isTwin, parseDocument, twinSourceOf } from '../engine/index';
import type { DescribedTaskDefinition } from './ecs';
import type { Reconciler } from './reconciler';

export type ServiceOutcome = 'moved' | 'unchanged' | 'skipped' | 'refused' | 'failed';

/** DescribeServices leaves deploymentController out for ECS-controlled services. */
export function deploymentControllerOf(service: Service): string {
  return service.deploymentController?.type ?? 'ECS';
}

/** The cluster name in a cluster name or ARN. */
export function clusterNameOf(cluster: string): string {
  const at = cluster.indexOf(':cluster/');
  return at === -1 ? cluster : cluster.slice(at + ':cluster/'.length);
}

function isOptedInSource(described: DescribedTaskDefinition): boolean {
  if (described.taskDefinition?.status !== 'ACTIVE') return false;
  const doc = parseDocument(described);
  return !isTwin(doc) && isOptedIn(doc);
}

/**
 * The source whose twin the service should run: its own revision when that is an opted-in
 * source, or (`followTwins`, for the sweep) the source of the twin it runs, so services follow
 * a source to its newer twin after settings or the sidecar image changed.
 */
async function sourceFor(run: Reconciler, current: DescribedTaskDefinition, followTwins: boolean): Promise<DescribedTaskDefinition | undefined> {
  if (isOptedInSource(current)) return current;
  if (!followTwins) return undefined;
  const doc = parseDocument(current);
  if (!isTwin(doc)) return undefined;
  const source = await run.describe(twinSourceOf(doc)!);
  return source && isOptedInSource(source) ? source : undefined;
}

export async function reconcileService(
  run: Reconciler,
  service: Service,
  current: DescribedTaskDefinition | undefined,
  followTwins = false,
): Promise<ServiceOutcome> {
  const { ctx, trigger } = run;
  if (!current || service.status !== 'ACTIVE') return 'unchanged';
  const source = await sourceFor(run, current, followTwins);
  if (!source) return 'unchanged';
  const where = { cluster: service.clusterArn, service: service.serviceArn, source: source.taskDefinition?.taskDefinitionArn, trigger };
  const controller = deploymentControllerOf(service);
  if (controller !== 'ECS') {
    await ctx.audit('serviceSkipped', { ...where, reasons: [{ code: controller, message: `deployment controller ${controller} does not take a task definition from UpdateService; deploy the twin through it` }] });
    return 'skipped';
  }
  let twin = await run.twinOf(source);
  if (twin.kind !== 'twin') return twin.kind === 'refused' ? 'refused' : 'unchanged';
  if (twin.twinArn === service.taskDefinition) return 'unchanged';
  try {
    await ctx.ecs.updateService(service.clusterArn!, service.serviceArn!, twin.twinArn);
  } catch (error) {
    const described = await ctx.ecs.describeTaskDefinition(twin.twinArn);
    if (described?.taskDefinition?.status !== 'INACTIVE') throw error;
    // Someone deregistered the twin: make a new one and try once more.
    twin = await run.twinOf(source, twin.twinArn);
    if (twin.kind !== 'twin') return twin.kind === 'refused' ? 'refused' : 'unchanged';
    await ctx.ecs.updateService(service.clusterArn!, service.serviceArn!, twin.twinArn);
  }
  await ctx.audit('serviceMoved', { ...where, twin: twin.twinArn });
  return 'moved';
}

/** A CreateService/UpdateService event: re-read the service and its revision, then reconcile. */
export async function handleServiceEvent(run: Reconciler, cluster: string, serviceName: string, hinted?: string): Promise<ServiceOutcome> {
  // The hinted revision is read in parallel with the service; it is used only if the service
  // still runs it (a later deployment may have replaced it: never roll that back).
  const [services, hint] = await Promise.all([
    run.ctx.ecs.describeServices(cluster, [serviceName]),
    hinted ? run.describe(hinted) : undefined,
  ]);
  const service = services[0];
  if (!service?.taskDefinition) return 'unchanged';
  if (hint) run.remember(hint);
  const current = hint?.taskDefinition?.taskDefinitionArn === service.taskDefinition ? hint : await run.describe(service.taskDefinition);
  return reconcileService(run, service, current);
}
