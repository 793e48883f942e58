// The ECS calls the operator makes, each gated by the rate limiter. Only the commands used are
// imported, to keep the bundle small.
import {
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListClustersCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateServiceCommand,
  type DescribeTaskDefinitionCommandOutput,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
  type Service,
  type Tag,
} from '@aws-sdk/client-ecs';
import type { EcsLimiter } from './rate-limits';

/** Largest page ListServices and ListClusters accept. */
export const LIST_PAGE_SIZE = 100;
/** Most services DescribeServices takes in one call. */
export const DESCRIBE_SERVICES_BATCH = 10;

export type DescribedTaskDefinition = DescribeTaskDefinitionCommandOutput;

export class Ecs {
  constructor(
    private readonly client: Pick<ECSClient, 'send'>,
    private readonly limit: EcsLimiter,
  ) {}

  /** The task definition with its tags, or undefined when ECS does not know it. */
  async describeTaskDefinition(taskDefinition: string): Promise<DescribedTaskDefinition | undefined> {
    await this.limit('DescribeTaskDefinition');
    try {
      return await this.client.send(new DescribeTaskDefinitionCommand({ taskDefinition, include: ['TAGS'] }));
    } catch (error) {
      // ECS answers an unknown task definition with a ClientException.
      if ((error as Error).name === 'ClientException') return undefined;
      throw error;
    }
  }

  async registerTaskDefinition(input: RegisterTaskDefinitionCommandInput): Promise<string> {
    await this.limit('RegisterTaskDefinition');
    const out = await this.client.send(new RegisterTaskDefinitionCommand(input));
    const arn = out.taskDefinition?.taskDefinitionArn;
    if (!arn) throw new Error('RegisterTaskDefinition returned no taskDefinitionArn');
    return arn;
  }

  async deregisterTaskDefinition(taskDefinition: string): Promise<void> {
    await this.limit('DeregisterTaskDefinition');
    await this.client.send(new DeregisterTaskDefinitionCommand({ taskDefinition }));
  }

  async tag(resourceArn: string, tags: Tag[]): Promise<void> {
    await this.limit('TagResource');
    await this.client.send(new TagResourceCommand({ resourceArn, tags }));
  }

  async untag(resourceArn: string, tagKeys: string[]): Promise<void> {
    await this.limit('UntagResource');
    await this.client.send(new UntagResourceCommand({ resourceArn, tagKeys }));
  }

  /** ACTIVE revisions of a family prefix, newest first, page by page. */
  async *listTaskDefinitionsNewestFirst(familyPrefix: string): AsyncGenerator<string[]> {
    let nextToken: string | undefined;
    do {
      await this.limit('ListTaskDefinitions');
      const page = await this.client.send(
        new ListTaskDefinitionsCommand({ familyPrefix, status: 'ACTIVE', sort: 'DESC', maxResults: LIST_PAGE_SIZE, nextToken }),
      );
      yield page.taskDefinitionArns ?? [];
      nextToken = page.nextToken;
    } while (nextToken);
  }

  async *listClusters(): AsyncGenerator<string[]> {
    let nextToken: string | undefined;
    do {
      await this.limit('ListClusters');
      const page = await this.client.send(new ListClustersCommand({ maxResults: LIST_PAGE_SIZE, nextToken }));
      yield page.clusterArns ?? [];
      nextToken = page.nextToken;
    } while (nextToken);
  }

  async *listServices(cluster: string): AsyncGenerator<string[]> {
    let nextToken: string | undefined;
    do {
      await this.limit('ListServices');
      const page = await this.client.send(new ListServicesCommand({ cluster, maxResults: LIST_PAGE_SIZE, nextToken }));
      yield page.serviceArns ?? [];
      nextToken = page.nextToken;
    } while (nextToken);
  }

  /** Up to DESCRIBE_SERVICES_BATCH services of one cluster; unknown ones are left out. */
  async describeServices(cluster: string, services: string[]): Promise<Service[]> {
    await this.limit('DescribeServices');
    const out = await this.client.send(new DescribeServicesCommand({ cluster, services }));
    return out.services ?? [];
  }

  async updateService(cluster: string, service: string, taskDefinition: string): Promise<void> {
    await this.limit('UpdateService');
    await this.client.send(new UpdateServiceCommand({ cluster, service, taskDefinition }));
  }
}
