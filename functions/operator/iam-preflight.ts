// Warns (never refuses) when the task role cannot call VPC Lattice: the twin would run, but every
// signed request would be denied. The service's auth policy is not visible here; only the role's
// own policies are simulated.
import { SimulatePrincipalPolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { LATTICE_SIGNING_SERVICE } from '../engine/constants';

export const LATTICE_INVOKE_ACTION = `${LATTICE_SIGNING_SERVICE}:Invoke`;

/** `role/name` or a bare name becomes a role ARN in the account and partition of the source. */
export function roleArnOf(taskRole: string, sourceArn: string | undefined): string | undefined {
  if (taskRole.startsWith('arn:')) return taskRole;
  const match = sourceArn ? /^arn:(aws[a-z-]*):ecs:[a-z0-9-]+:(\d{12}):/.exec(sourceArn) : null;
  return match ? `arn:${match[1]}:iam::${match[2]}:role/${taskRole}` : undefined;
}

/** A warning to report, or undefined when the role may invoke Lattice services. */
export async function latticeInvokeWarning(iam: Pick<IAMClient, 'send'>, roleArn: string): Promise<string | undefined> {
  try {
    const out = await iam.send(
      new SimulatePrincipalPolicyCommand({ PolicySourceArn: roleArn, ActionNames: [LATTICE_INVOKE_ACTION] }),
    );
    const decision = out.EvaluationResults?.[0]?.EvalDecision;
    if (decision === 'allowed') return undefined;
    return `task role ${roleArn} is not allowed ${LATTICE_INVOKE_ACTION} (simulated decision: ${decision ?? 'none'}); Lattice services with IAM auth will deny its requests`;
  } catch (error) {
    return `could not check whether task role ${roleArn} may call ${LATTICE_INVOKE_ACTION}: ${(error as Error).name}`;
  }
}
