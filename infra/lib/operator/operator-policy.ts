import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { operatorPolicy, type PermissionScope } from '../../../functions/operator/permissions';

/** The operator's IAM statements, from the operator's own list of the calls it makes. */
export function operatorPolicyStatements(scope: PermissionScope): PolicyStatement[] {
  return operatorPolicy(scope).map(
    (statement) =>
      new PolicyStatement({
        sid: statement.sid,
        effect: Effect.ALLOW,
        actions: [...statement.actions],
        resources: statement.resources,
        ...(statement.conditions ? { conditions: statement.conditions } : {}),
      }),
  );
}
