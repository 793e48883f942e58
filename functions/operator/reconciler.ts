// Per-invocation memory: each task definition is described once, and each source goes through
// ensureTwin once at a time, so services sharing a source never race to register two twins.
import type { OperatorContext } from './context';
import type { DescribedTaskDefinition } from './ecs';
import { ensureTwin, type TwinOutcome } from './twins';

export class Reconciler {
  private readonly described = new Map<string, Promise<DescribedTaskDefinition | undefined>>();
  private readonly twins = new Map<string, Promise<TwinOutcome>>();

  constructor(
    readonly ctx: OperatorContext,
    readonly trigger: string,
  ) {}

  describe(taskDefinition: string): Promise<DescribedTaskDefinition | undefined> {
    let pending = this.described.get(taskDefinition);
    if (!pending) {
      pending = this.ctx.ecs.describeTaskDefinition(taskDefinition);
      this.described.set(taskDefinition, pending);
    }
    return pending;
  }

  /** Already described elsewhere (e.g. in parallel with DescribeServices): remember it. */
  remember(described: DescribedTaskDefinition): void {
    const arn = described.taskDefinition?.taskDefinitionArn;
    if (arn && !this.described.has(arn)) this.described.set(arn, Promise.resolve(described));
  }

  /** `inactiveTwin`: the linked twin turned out INACTIVE, so a new one is needed. */
  twinOf(source: DescribedTaskDefinition, inactiveTwin?: string): Promise<TwinOutcome> {
    const arn = source.taskDefinition?.taskDefinitionArn ?? '';
    const previous = this.twins.get(arn);
    const next = (async () => {
      const earlier = await previous?.catch(() => undefined);
      const stale = inactiveTwin !== undefined && earlier?.kind === 'twin' && earlier.twinArn === inactiveTwin;
      if (earlier && !stale) return earlier;
      return ensureTwin(this.ctx, source, { trigger: this.trigger, replaceInactiveLink: inactiveTwin !== undefined });
    })();
    this.twins.set(arn, next);
    return next;
  }
}
