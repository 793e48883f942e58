import { Stack, Validations } from 'aws-cdk-lib';
import type { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/** Acknowledges cdk-nag findings on a construct and everything below it, with the reason. */
export function acknowledge(scope: IConstruct, reason: string, ...ids: string[]): void {
  for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
}

/**
 * A resolved CloudFormation value as cdk-nag names it in a finding id: `Ref` as `<Name>`,
 * `Fn::GetAtt` as `<Resource.Attribute>`, `Fn::Join` joined.
 */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if (typeof node.Ref === 'string') return `<${node.Ref}>`;
    const getAtt = node['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${getAtt.join('.')}>`;
    const join = node['Fn::Join'];
    if (Array.isArray(join)) {
      const [delimiter, parts] = join as [string, unknown[]];
      return parts.map(flatten).join(delimiter);
    }
  }
  return JSON.stringify(value);
}

/**
 * Acknowledges the AwsSolutions-IAM5 finding of every wildcard resource of the statements that
 * have a reason (by statement id). Statements without a reason stay reported, so a new
 * wildcard cannot slip in unexplained.
 */
export function acknowledgeWildcardResources(
  policy: IConstruct,
  statements: readonly PolicyStatement[],
  reasonsBySid: Readonly<Record<string, string>>,
): void {
  const stack = Stack.of(policy);
  for (const statement of statements) {
    const reason = statement.sid === undefined ? undefined : reasonsBySid[statement.sid];
    if (reason === undefined) continue;
    for (const resource of statement.resources) {
      const flat = flatten(stack.resolve(resource));
      if (flat.includes('*')) acknowledge(policy, reason, `AwsSolutions-IAM5[Resource::${flat}]`);
    }
  }
}
