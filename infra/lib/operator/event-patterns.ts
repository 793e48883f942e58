import type { EventPattern } from 'aws-cdk-lib/aws-events';
import { CLOUDTRAIL_ECS_EVENT, HANDLED_ECS_EVENTS } from '../../../functions/engine/constants';

/**
 * Successful ECS API calls the operator handles, made by anyone but the operator itself.
 *
 * `anything-but` only matches fields that exist, and calls by IAM users and root have no
 * `sessionContext.sessionIssuer`: the `$or` keeps every caller that is not an assumed role,
 * and assumed roles other than the operator's. Without the exclusion, every twin the operator
 * registers would trigger it again.
 */
export function ecsApiCallPattern(operatorRoleArn: string): EventPattern {
  return {
    source: [CLOUDTRAIL_ECS_EVENT.source],
    detailType: [CLOUDTRAIL_ECS_EVENT.detailType],
    detail: {
      eventSource: [CLOUDTRAIL_ECS_EVENT.eventSource],
      eventName: [...HANDLED_ECS_EVENTS],
      // Failed calls carry errorCode; they changed nothing.
      errorCode: [{ exists: false }],
      $or: [
        { userIdentity: { type: [{ 'anything-but': 'AssumedRole' }] } },
        { userIdentity: { sessionContext: { sessionIssuer: { arn: [{ 'anything-but': operatorRoleArn }] } } } },
      ],
    },
  };
}
