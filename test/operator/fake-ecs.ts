// A stateful in-memory ECS behind aws-sdk-client-mock: revisions with tags and status,
// services with deployment controllers, pagination, and injectable throttling and crashes.
import {
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListClustersCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateServiceCommand,
  type RegisterTaskDefinitionCommandInput,
  type Service,
  type Tag,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
const PREFIX = `arn:aws:ecs:${REGION}:${ACCOUNT}`;

export const tdArn = (family: string, revision: number) => `${PREFIX}:task-definition/${family}:${revision}`;
export const clusterArn = (name: string) => `${PREFIX}:cluster/${name}`;
export const serviceArn = (cluster: string, name: string) => `${PREFIX}:service/${cluster}/${name}`;

function awsError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  Object.assign(error, { $fault: 'client', $metadata: { httpStatusCode: 400 } });
  return error;
}

/** Thrown by a crash hook: the call took effect, then the Lambda "died". */
export class SimulatedCrash extends Error {
  override name = 'SimulatedCrash';
}

interface StoredTaskDefinition {
  taskDefinition: TaskDefinition;
  tags: Tag[];
}

export type CommandName =
  | 'RegisterTaskDefinition'
  | 'DeregisterTaskDefinition'
  | 'DescribeTaskDefinition'
  | 'ListTaskDefinitions'
  | 'TagResource'
  | 'UntagResource'
  | 'ListClusters'
  | 'ListServices'
  | 'DescribeServices'
  | 'UpdateService';

export class FakeEcs {
  readonly taskDefinitions = new Map<string, StoredTaskDefinition>();
  readonly clusters = new Map<string, Map<string, Service>>();
  /** Every call in order, as [command name, input]. */
  readonly log: Array<[CommandName, unknown]> = [];
  private readonly revisions = new Map<string, number>();
  private readonly failures = new Map<CommandName, Error[]>();
  private readonly crashes = new Map<CommandName, number>();
  readonly stub: AwsStub<any, any, any>;

  constructor() {
    this.stub = mockClient(ECSClient);
    const on = <I>(command: any, name: CommandName, run: (input: I) => unknown) =>
      this.stub.on(command).callsFake(async (input: I) => this.call(name, input, () => run(input)));
    on(RegisterTaskDefinitionCommand, 'RegisterTaskDefinition', (i: RegisterTaskDefinitionCommandInput) => this.register(i));
    on(DeregisterTaskDefinitionCommand, 'DeregisterTaskDefinition', (i: { taskDefinition: string }) => this.deregister(i.taskDefinition));
    on(DescribeTaskDefinitionCommand, 'DescribeTaskDefinition', (i: { taskDefinition: string; include?: string[] }) => this.describe(i));
    on(ListTaskDefinitionsCommand, 'ListTaskDefinitions', (i: any) => this.listTaskDefinitions(i));
    on(TagResourceCommand, 'TagResource', (i: { resourceArn: string; tags: Tag[] }) => this.tag(i.resourceArn, i.tags));
    on(UntagResourceCommand, 'UntagResource', (i: { resourceArn: string; tagKeys: string[] }) => this.untag(i.resourceArn, i.tagKeys));
    on(ListClustersCommand, 'ListClusters', (i: any) => this.page([...this.clusters.keys()].map(clusterArn), i, 'clusterArns'));
    on(ListServicesCommand, 'ListServices', (i: any) => this.listServices(i));
    on(DescribeServicesCommand, 'DescribeServices', (i: any) => this.describeServices(i));
    on(UpdateServiceCommand, 'UpdateService', (i: any) => this.updateService(i));
  }

  restore(): void {
    this.stub.restore();
  }

  /** The next `count` calls of `name` fail with `error` before taking effect. */
  failNext(name: CommandName, error: Error, count = 1): void {
    this.failures.set(name, [...(this.failures.get(name) ?? []), ...Array<Error>(count).fill(error)]);
  }

  throttleNext(name: CommandName, count = 1): void {
    this.failNext(name, awsError('ThrottlingException', 'Rate exceeded'), count);
  }

  /** The `nth` next call of `name` takes effect, then throws SimulatedCrash. */
  crashAfter(name: CommandName, nth = 1): void {
    this.crashes.set(name, nth);
  }

  calls(name?: CommandName): Array<[CommandName, unknown]> {
    return name ? this.log.filter(([n]) => n === name) : this.log;
  }

  clearLog(): void {
    this.log.length = 0;
  }

  /** Runs before each call: the benchmark's latency and rate-limit enforcement. */
  beforeCall?: (name: CommandName) => Promise<void>;

  private async call(name: CommandName, input: unknown, run: () => unknown): Promise<unknown> {
    this.log.push([name, structuredClone(input)]);
    await this.beforeCall?.(name);
    const failure = this.failures.get(name)?.shift();
    if (failure) throw failure;
    const result = run();
    const crash = this.crashes.get(name);
    if (crash !== undefined) {
      if (crash <= 1) {
        this.crashes.delete(name);
        throw new SimulatedCrash(`crashed after ${name}`);
      }
      this.crashes.set(name, crash - 1);
    }
    return result;
  }

  // ---- task definitions ----------------------------------------------------------------

  /** Seeds a revision directly (as another tool would register it). */
  seed(input: RegisterTaskDefinitionCommandInput): string {
    return this.register(structuredClone(input)).taskDefinition.taskDefinitionArn!;
  }

  private resolve(reference: string): StoredTaskDefinition | undefined {
    if (reference.startsWith('arn:')) return this.taskDefinitions.get(reference);
    const [family, revision] = reference.split(':');
    if (revision) return this.taskDefinitions.get(tdArn(family!, Number(revision)));
    const active = [...this.taskDefinitions.values()].filter(
      (td) => td.taskDefinition.family === family && td.taskDefinition.status === 'ACTIVE',
    );
    return active.sort((a, b) => b.taskDefinition.revision! - a.taskDefinition.revision!)[0];
  }

  private register(input: RegisterTaskDefinitionCommandInput) {
    const revision = (this.revisions.get(input.family!) ?? 0) + 1;
    this.revisions.set(input.family!, revision);
    const { tags, ...rest } = structuredClone(input);
    const taskDefinition: TaskDefinition = {
      ...rest,
      taskDefinitionArn: tdArn(input.family!, revision),
      revision,
      status: 'ACTIVE',
      compatibilities: ['EC2'],
    };
    this.taskDefinitions.set(taskDefinition.taskDefinitionArn!, { taskDefinition, tags: tags ?? [] });
    return { taskDefinition: structuredClone(taskDefinition), tags: structuredClone(tags ?? []) };
  }

  private deregister(reference: string) {
    const stored = this.resolve(reference);
    if (!stored) throw awsError('ClientException', 'The specified task definition does not exist.');
    stored.taskDefinition.status = 'INACTIVE';
    return { taskDefinition: structuredClone(stored.taskDefinition) };
  }

  private describe(input: { taskDefinition: string; include?: string[] }) {
    const stored = this.resolve(input.taskDefinition);
    if (!stored) throw awsError('ClientException', 'Unable to describe task definition.');
    return {
      taskDefinition: structuredClone(stored.taskDefinition),
      ...(input.include?.includes('TAGS') ? { tags: structuredClone(stored.tags) } : {}),
    };
  }

  private listTaskDefinitions(input: { familyPrefix?: string; status?: string; sort?: string; maxResults?: number; nextToken?: string }) {
    const arns = [...this.taskDefinitions.values()]
      .filter((td) => !input.familyPrefix || td.taskDefinition.family!.startsWith(input.familyPrefix))
      .filter((td) => !input.status || td.taskDefinition.status === input.status)
      .sort((a, b) => a.taskDefinition.family!.localeCompare(b.taskDefinition.family!) || a.taskDefinition.revision! - b.taskDefinition.revision!)
      .map((td) => td.taskDefinition.taskDefinitionArn!);
    if (input.sort === 'DESC') arns.reverse();
    return this.page(arns, input, 'taskDefinitionArns');
  }

  tagsOf(arn: string): Record<string, string> {
    return Object.fromEntries((this.taskDefinitions.get(arn)?.tags ?? []).map((t) => [t.key!, t.value ?? '']));
  }

  private stored(resourceArn: string): StoredTaskDefinition {
    const stored = this.taskDefinitions.get(resourceArn);
    if (!stored) throw awsError('InvalidParameterException', 'The specified resource is not valid.');
    return stored;
  }

  private tag(resourceArn: string, tags: Tag[]) {
    const stored = this.stored(resourceArn);
    for (const tag of tags) {
      stored.tags = [...stored.tags.filter((t) => t.key !== tag.key), tag];
    }
    if (stored.tags.length > 50) throw awsError('InvalidParameterException', 'too many tags');
    return {};
  }

  private untag(resourceArn: string, keys: string[]) {
    const stored = this.stored(resourceArn);
    stored.tags = stored.tags.filter((t) => !keys.includes(t.key!));
    return {};
  }

  // ---- clusters and services -----------------------------------------------------------

  addService(cluster: string, name: string, taskDefinition: string, controller: 'ECS' | 'CODE_DEPLOY' | 'EXTERNAL' = 'ECS'): string {
    if (!this.clusters.has(cluster)) this.clusters.set(cluster, new Map());
    const service: Service = {
      serviceArn: serviceArn(cluster, name),
      serviceName: name,
      clusterArn: clusterArn(cluster),
      status: 'ACTIVE',
      taskDefinition,
      desiredCount: 1,
      // Like ECS: no deploymentController for ECS-controlled services.
      ...(controller === 'ECS' ? {} : { deploymentController: { type: controller } }),
    };
    this.clusters.get(cluster)!.set(name, service);
    return service.serviceArn!;
  }

  addCluster(cluster: string): void {
    if (!this.clusters.has(cluster)) this.clusters.set(cluster, new Map());
  }

  serviceTaskDefinition(cluster: string, name: string): string | undefined {
    return this.clusters.get(cluster)?.get(name)?.taskDefinition;
  }

  private findService(cluster: string | undefined, service: string): Service | undefined {
    const clusterName = (cluster ?? 'default').split('/').pop()!;
    const name = service.split('/').pop()!;
    return this.clusters.get(clusterName)?.get(name);
  }

  private listServices(input: { cluster?: string; maxResults?: number; nextToken?: string }) {
    const clusterName = (input.cluster ?? 'default').split('/').pop()!;
    const services = this.clusters.get(clusterName);
    if (!services) throw awsError('ClusterNotFoundException', 'Cluster not found.');
    return this.page([...services.values()].map((s) => s.serviceArn!), input, 'serviceArns');
  }

  private describeServices(input: { cluster?: string; services: string[] }) {
    if (input.services.length > 10) throw awsError('InvalidParameterException', 'at most 10 services');
    const found = input.services.map((s) => this.findService(input.cluster, s)).filter((s): s is Service => s !== undefined);
    return {
      services: structuredClone(found),
      failures: input.services.filter((s) => !this.findService(input.cluster, s)).map((arn) => ({ arn, reason: 'MISSING' })),
    };
  }

  private updateService(input: { cluster?: string; service: string; taskDefinition?: string }) {
    const service = this.findService(input.cluster, input.service);
    if (!service) throw awsError('ServiceNotFoundException', 'Service not found.');
    if (input.taskDefinition) {
      const controller = service.deploymentController?.type ?? 'ECS';
      if (controller === 'CODE_DEPLOY') {
        throw awsError('InvalidParameterException', 'Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.');
      }
      if (controller === 'EXTERNAL') throw awsError('InvalidParameterException', 'EXTERNAL services use task sets.');
      const stored = this.resolve(input.taskDefinition);
      if (!stored) throw awsError('ClientException', 'TaskDefinition not found.');
      if (stored.taskDefinition.status !== 'ACTIVE') throw awsError('ClientException', 'TaskDefinition is inactive');
      service.taskDefinition = stored.taskDefinition.taskDefinitionArn;
    }
    return { service: structuredClone(service) };
  }

  private page<K extends string>(items: string[], input: { maxResults?: number; nextToken?: string }, key: K) {
    const size = Math.min(input.maxResults ?? 10, 100);
    const start = input.nextToken ? Number(input.nextToken) : 0;
    const next = start + size;
    return { [key]: items.slice(start, next), ...(next < items.length ? { nextToken: String(next) } : {}) } as Record<K, string[]> & { nextToken?: string };
  }
}

export { awsError };
