// Turns an EventBridge event into what the operator should do. Only identifiers are taken from
// the event (CloudTrail may cut or duplicate bodies); task definitions and services are re-read
// from ECS. Anything unexpected becomes `ignore` with a reason, never an exception.
import {
  CLOUDTRAIL_ECS_EVENT,
  HANDLED_ECS_EVENTS,
  RESERVED_TAG_PREFIX,
  SCHEDULED_EVENT,
  type HandledEcsEvent,
} from '../engine/constants';

export type OperatorAction =
  | { kind: 'sweep' }
  /** A revision that may need a (new) twin: registered, or tagged by someone. */
  | { kind: 'source'; eventName: 'RegisterTaskDefinition' | 'TagResource'; taskDefinition: string }
  /** A service that may need to move to a twin. */
  | { kind: 'service'; eventName: 'CreateService' | 'UpdateService'; cluster: string; service: string; taskDefinition?: string }
  /** A revision that was deregistered: its twin goes too. */
  | { kind: 'deregister'; eventName: 'DeregisterTaskDefinition'; taskDefinition: string }
  | { kind: 'ignore'; reason: string };

/** ECS's default cluster when a call names none. */
export const DEFAULT_CLUSTER = 'default';

const TASK_DEFINITION_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}:\d+$/;

type Json = Record<string, unknown>;

function record(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function ignore(reason: string): OperatorAction {
  return { kind: 'ignore', reason };
}

function isHandled(name: string): name is HandledEcsEvent {
  return (HANDLED_ECS_EVENTS as readonly string[]).includes(name);
}

export function classifyEvent(event: unknown): OperatorAction {
  const envelope = record(event);
  if (!envelope) return ignore('not an EventBridge event (not an object)');
  const source = envelope.source;
  const detailType = envelope['detail-type'];
  if (source === SCHEDULED_EVENT.source && detailType === SCHEDULED_EVENT.detailType) return { kind: 'sweep' };
  if (source !== CLOUDTRAIL_ECS_EVENT.source || detailType !== CLOUDTRAIL_ECS_EVENT.detailType) {
    return ignore(`unexpected event source "${String(source)}" / detail-type "${String(detailType)}"`);
  }
  const detail = record(envelope.detail);
  if (!detail || detail.eventSource !== CLOUDTRAIL_ECS_EVENT.eventSource) return ignore('detail.eventSource is not ECS');
  const eventName = text(detail.eventName);
  if (!eventName || !isHandled(eventName)) return ignore(`eventName "${String(detail.eventName)}" is not handled`);
  if (detail.errorCode !== undefined && detail.errorCode !== null) {
    return ignore(`${eventName} failed with ${String(detail.errorCode)}`);
  }
  const request = record(detail.requestParameters) ?? {};
  const response = record(detail.responseElements) ?? {};
  switch (eventName) {
    case 'RegisterTaskDefinition':
      return registered(request, response);
    case 'TagResource':
      return tagged(request);
    case 'CreateService':
    case 'UpdateService':
      return serviceChanged(eventName, request, response);
    case 'DeregisterTaskDefinition':
      return deregistered(request, response);
  }
}

function registered(request: Json, response: Json): OperatorAction {
  // The new revision's ARN is only in the response; if CloudTrail cut it, the family's latest
  // ACTIVE revision (DescribeTaskDefinition of the family) is the next best thing.
  const taskDefinition = text(record(response.taskDefinition)?.taskDefinitionArn) ?? text(request.family);
  if (!taskDefinition) return ignore('RegisterTaskDefinition names no task definition');
  return { kind: 'source', eventName: 'RegisterTaskDefinition', taskDefinition };
}

function tagged(request: Json): OperatorAction {
  const resourceArn = text(request.resourceArn);
  if (!resourceArn || !TASK_DEFINITION_ARN.test(resourceArn)) return ignore('TagResource of something other than a task definition');
  const tags = Array.isArray(request.tags) ? request.tags : [];
  // Any user tag can opt in, change a setting or change the tags the twin copies. Our own
  // reserved tags change none of that: the operator's tagging never triggers it again.
  const relevant = tags.some((tag) => !String(record(tag)?.key).startsWith(RESERVED_TAG_PREFIX));
  if (!relevant) return ignore('TagResource sets only sigv4-sidecar reserved tags');
  return { kind: 'source', eventName: 'TagResource', taskDefinition: resourceArn };
}

function serviceChanged(eventName: 'CreateService' | 'UpdateService', request: Json, response: Json): OperatorAction {
  const described = record(response.service);
  const service = text(described?.serviceArn) ?? text(request.service) ?? text(request.serviceName);
  if (!service) return ignore(`${eventName} names no service`);
  const cluster = text(described?.clusterArn) ?? text(request.cluster) ?? DEFAULT_CLUSTER;
  const taskDefinition = text(described?.taskDefinition) ?? text(request.taskDefinition);
  return { kind: 'service', eventName, cluster, service, ...(taskDefinition ? { taskDefinition } : {}) };
}

function deregistered(request: Json, response: Json): OperatorAction {
  const taskDefinition = text(record(response.taskDefinition)?.taskDefinitionArn) ?? text(request.taskDefinition);
  if (!taskDefinition) return ignore('DeregisterTaskDefinition names no task definition');
  return { kind: 'deregister', eventName: 'DeregisterTaskDefinition', taskDefinition };
}
