// Audit events on EventBridge and the same facts in the structured log. Details carry ARNs,
// reasons and the engine's change list, never task definition contents (environment values
// can be secrets) nor anything from the credentials chain.
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { Logger } from '@aws-lambda-powertools/logger';
import { AUDIT_DETAIL_TYPES, AUDIT_EVENT_SOURCE } from '../engine/constants';

export type AuditKind = keyof typeof AUDIT_DETAIL_TYPES;

export interface AuditDetail {
  source?: string;
  twin?: string;
  cluster?: string;
  service?: string;
  fingerprint?: string;
  reasons?: Array<{ code: string; message: string; where?: string }>;
  changes?: string[];
  warnings?: string[];
  error?: string;
  /** What triggered the work: an eventName or `sweep`. */
  trigger?: string;
}

export type Audit = (kind: AuditKind, detail: AuditDetail) => Promise<void>;

export function eventBridgeAudit(events: Pick<EventBridgeClient, 'send'>, logger: Logger, eventBusName?: string): Audit {
  return async (kind, detail) => {
    const detailType = AUDIT_DETAIL_TYPES[kind];
    const level = kind === 'failed' ? 'error' : kind === 'refused' || kind === 'warning' || kind === 'serviceSkipped' ? 'warn' : 'info';
    logger[level](detailType, { audit: detail });
    const resources = [detail.source, detail.twin, detail.service].filter((arn): arn is string => arn?.startsWith('arn:') ?? false);
    try {
      const out = await events.send(
        new PutEventsCommand({
          Entries: [
            {
              Source: AUDIT_EVENT_SOURCE,
              DetailType: detailType,
              Detail: JSON.stringify(detail),
              Resources: resources,
              ...(eventBusName ? { EventBusName: eventBusName } : {}),
            },
          ],
        }),
      );
      if (out.FailedEntryCount) {
        logger.error('audit event rejected', { detailType, errorCode: out.Entries?.[0]?.ErrorCode, errorMessage: out.Entries?.[0]?.ErrorMessage });
      }
    } catch (error) {
      // Losing an audit event must not undo or block the work it reports; the log has the facts.
      logger.error('audit event not sent', { detailType, error: (error as Error).name });
    }
  };
}
