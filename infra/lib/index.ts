// The construct library: import from here.
export { Sigv4SidecarOperator, DEFAULTS as SIGV4_SIDECAR_OPERATOR_DEFAULTS } from './operator/sigv4-sidecar-operator';
export type { Sigv4SidecarOperatorProps } from './operator/props';
export { ecsApiCallPattern } from './operator/event-patterns';
export { ManagementEventsTrail } from './operator/management-events-trail';
export { DeadLetters, type DeadLettersProps } from './operator/dead-letters';
export { Sigv4SidecarOperatorStack, type Sigv4SidecarOperatorStackProps } from './operator-stack';
export { BridgeModeDemoStack, type BridgeModeDemoStackProps } from './demo/bridge-mode-demo-stack';
