// The reconciliation sweep: every service of every watched cluster, so lost or failed events
// are repaired. Listing and describing run concurrently across clusters; the rate limiter keeps
// the calls at ECS's documented rates, so the sweep takes about as long as those rates allow.
import type { Service } from '@aws-sdk/client-ecs';
import { DESCRIBE_SERVICES_BATCH } from './ecs';
import type { Reconciler } from './reconciler';
import { reconcileService, type ServiceOutcome } from './services';

export interface SweepReport {
  clusters: number;
  services: number;
  outcomes: Record<ServiceOutcome, number>;
  /** False when the deadline stopped the sweep early; the next one continues the work. */
  complete: boolean;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function sweep(run: Reconciler, deadline: number): Promise<SweepReport> {
  const { ctx } = run;
  const report: SweepReport = {
    clusters: 0,
    services: 0,
    outcomes: { moved: 0, unchanged: 0, skipped: 0, refused: 0, failed: 0 },
    complete: true,
  };
  const inTime = () => {
    if (ctx.clock.now() < deadline) return true;
    report.complete = false;
    return false;
  };

  const reconcileOne = async (service: Service) => {
    report.services += 1;
    if (!inTime()) return;
    let outcome: ServiceOutcome;
    try {
      const current = service.taskDefinition ? await run.describe(service.taskDefinition) : undefined;
      outcome = inTime() ? await reconcileService(run, service, current, true) : 'unchanged';
    } catch (error) {
      outcome = 'failed';
      await ctx.audit('failed', { cluster: service.clusterArn, service: service.serviceArn, error: (error as Error).name, trigger: run.trigger });
    }
    report.outcomes[outcome] += 1;
  };

  const failed = async (cluster: string, error: unknown, services = 0) => {
    report.outcomes.failed += services;
    await ctx.audit('failed', { cluster, error: (error as Error).name, trigger: run.trigger });
  };

  const sweepCluster = async (cluster: string) => {
    report.clusters += 1;
    const work: Promise<unknown>[] = [];
    try {
      for await (const page of ctx.ecs.listServices(cluster)) {
        for (const batch of chunks(page, DESCRIBE_SERVICES_BATCH)) {
          work.push(
            ctx.ecs
              .describeServices(cluster, batch)
              .then((services) => Promise.all(services.map(reconcileOne)))
              .catch((error: unknown) => failed(cluster, error, batch.length)),
          );
        }
        if (!inTime()) break;
      }
    } catch (error) {
      // One cluster failing (deleted, access denied) does not stop the others.
      await failed(cluster, error);
    }
    await Promise.all(work);
  };

  const clusters: Promise<void>[] = [];
  if (ctx.clusters) {
    clusters.push(...ctx.clusters.map(sweepCluster));
  } else {
    for await (const page of ctx.ecs.listClusters()) clusters.push(...page.map(sweepCluster));
  }
  await Promise.all(clusters);
  return report;
}
