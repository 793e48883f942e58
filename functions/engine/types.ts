// The engine's public types. The engine is pure: these values go in and come out, nothing else.
import type {
  ContainerDefinition,
  RegisterTaskDefinitionCommandInput,
  Tag,
} from '@aws-sdk/client-ecs';
import type { LogLevel, Mode, SigningAlgorithm } from './constants';

export type { ContainerDefinition, Tag };

/** What RegisterTaskDefinition takes: the engine's input after parsing, and its output. */
export type RegisterInput = RegisterTaskDefinitionCommandInput;

/** Where a task definition came from, when the input says so (describe output has the ARN). */
export interface SourceIdentity {
  arn?: string;
  family: string;
  revision?: number;
  /** Region parsed from the ARN, used as the default signing region. */
  region?: string;
}

/** A task definition as the engine sees it: what RegisterTaskDefinition takes, tags included. */
export interface TaskDefinitionDocument {
  register: RegisterInput;
  source: SourceIdentity;
}

/** Settings of the operator (or the CLI flags), the same for every task definition. */
export interface OperatorSettings {
  /** Image of the sidecar (Envoy and the bootstrap kit). */
  sidecarImage: string;
  /** Signing region when neither a tag nor the task definition's ARN names one. */
  defaultRegion: string;
  /** Name of the sidecar container. Defaults to DEFAULT_SIDECAR_NAME. */
  sidecarName?: string;
}

/** Start command and user of an image, as its registry config says (Entrypoint, Cmd, User). */
export interface ImageConfig {
  entrypoint?: string[];
  cmd?: string[];
  user?: string;
}

export interface InjectOptions {
  /**
   * Image configs resolved by the operator from the registry, by container name. Offline (the
   * CLI) there are none, and a container whose start command is unknown is refused.
   */
  imageConfigs?: Readonly<Record<string, ImageConfig>>;
}

/** The per-task-definition settings after reading the tags and applying defaults. */
export interface ResolvedSettings {
  mode: Mode;
  networkMode: 'bridge' | 'awsvpc';
  containers: string[];
  ports: number[];
  cidrs: string[];
  hosts: string[];
  region: string;
  signing: SigningAlgorithm;
  cpu: number;
  memory: number;
  logLevel: LogLevel;
  sidecarName: string;
  sidecarImage: string;
}

export type RefusalCode =
  | 'NOT_OPTED_IN'
  | 'INVALID_TAG'
  | 'UNSUPPORTED_PLATFORM'
  | 'UNSUPPORTED_NETWORK_MODE'
  | 'NO_TASK_ROLE'
  | 'UNKNOWN_START_COMMAND'
  | 'UNKNOWN_CONTAINER'
  | 'SIDECAR_NAME_TAKEN'
  | 'PROXY_ENV_CONFLICT'
  | 'PROXY_CONFIGURATION_CONFLICT'
  | 'RESERVED_ENVIRONMENT'
  | 'NOTHING_TO_INTERCEPT'
  | 'TOO_MANY_CONTAINERS'
  | 'TOO_MANY_TAGS'
  | 'MODEL_VIOLATION'
  | 'ECS_RULE_VIOLATION';

/** One reason not to inject: what is wrong, where (tag, container, JSON path) and what is allowed. */
export interface Refusal {
  code: RefusalCode;
  message: string;
  /** JSON path or tag key the reason is about. */
  where?: string;
}

export interface Injected {
  outcome: 'injected';
  /** The twin, ready to send to RegisterTaskDefinition. */
  twin: RegisterInput;
  fingerprint: string;
  settings: ResolvedSettings;
  /** Human-readable list of what injection changed. */
  changes: string[];
  warnings: string[];
}

export interface Refused {
  outcome: 'refused';
  /** Every reason found, not just the first. */
  reasons: Refusal[];
  warnings: string[];
  /** Settings as far as they could be read, for explain. */
  settings?: Partial<ResolvedSettings>;
}

export type InjectResult = Injected | Refused;
