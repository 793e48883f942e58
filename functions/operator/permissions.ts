// The IAM actions the operator calls, each with the narrowest resource it accepts. The CDK
// construct builds the Lambda's policy from `operatorPolicy` and nothing else, and a test checks
// that every SDK command the operator sends is listed here, so the two cannot drift apart.
// No SDK import here: infra imports this file.

export type OperatorService = 'ecs' | 'ecr' | 'iam' | 'events';

/** Every action the operator calls, grouped by service. */
export const OPERATOR_ACTIONS = {
  ecs: [
    'ecs:ListClusters',
    'ecs:ListServices',
    'ecs:DescribeServices',
    'ecs:UpdateService',
    'ecs:DescribeTaskDefinition',
    'ecs:ListTaskDefinitions',
    'ecs:RegisterTaskDefinition',
    'ecs:DeregisterTaskDefinition',
    'ecs:TagResource',
    'ecs:UntagResource',
  ],
  ecr: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
  iam: ['iam:PassRole', 'iam:SimulatePrincipalPolicy'],
  events: ['events:PutEvents'],
} as const satisfies Record<OperatorService, readonly string[]>;

export type OperatorAction = (typeof OPERATOR_ACTIONS)[OperatorService][number];

/** Where the operator runs and what it may touch. Values may be CDK tokens. */
export interface PermissionScope {
  partition: string;
  region: string;
  account: string;
  /** Watched cluster names or ARNs (the CLUSTERS setting); empty or absent means every cluster. */
  clusters?: readonly string[];
  /** ARN of the audit event bus. */
  eventBusArn: string;
  /**
   * ECR repositories whose image configs the operator may read. Default: every repository of
   * the account in any region (images of other accounts also need their repository policy).
   */
  ecrRepositoryArns?: readonly string[];
  /**
   * Task and execution roles the operator may pass when it registers a twin (the same roles as
   * the source). Default: every role of the account, only to ecs-tasks.amazonaws.com.
   */
  passRoleArns?: readonly string[];
}

export interface OperatorStatement {
  sid: string;
  service: OperatorService;
  actions: OperatorAction[];
  resources: string[];
  conditions?: Record<string, Record<string, string | string[]>>;
}

function clusterName(nameOrArn: string): string {
  const marker = ':cluster/';
  const at = nameOrArn.indexOf(marker);
  return at === -1 ? nameOrArn : nameOrArn.slice(at + marker.length);
}

/** The operator's least-privilege policy as plain statements. */
export function operatorPolicy(scope: PermissionScope): OperatorStatement[] {
  const { partition: p, region: r, account: a } = scope;
  const clusters = scope.clusters?.length ? scope.clusters.map(clusterName) : ['*'];
  const services = clusters.map((c) => `arn:${p}:ecs:${r}:${a}:service/${c}/*`);
  return [
    {
      // These ECS actions take no resource-level permissions: "*" is the only valid resource.
      sid: 'EcsReadAndRegister',
      service: 'ecs',
      actions: [
        'ecs:ListClusters',
        'ecs:ListServices',
        'ecs:DescribeTaskDefinition',
        'ecs:ListTaskDefinitions',
        'ecs:RegisterTaskDefinition',
        'ecs:DeregisterTaskDefinition',
      ],
      resources: ['*'],
    },
    {
      // Only services of the watched clusters.
      sid: 'EcsServices',
      service: 'ecs',
      actions: ['ecs:DescribeServices', 'ecs:UpdateService'],
      resources: services,
    },
    {
      // Tags on task definitions only: link, intent and refusal tags, and tag-on-register of
      // twins. UntagResource clears a refusal once the source is injected.
      sid: 'EcsTagTaskDefinitions',
      service: 'ecs',
      actions: ['ecs:TagResource', 'ecs:UntagResource'],
      resources: [`arn:${p}:ecs:${r}:${a}:task-definition/*`],
    },
    {
      // RegisterTaskDefinition passes the source's task and execution roles again.
      sid: 'PassTaskRolesToEcsTasks',
      service: 'iam',
      actions: ['iam:PassRole'],
      resources: [...(scope.passRoleArns ?? [`arn:${p}:iam::${a}:role/*`])],
      conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    },
    {
      // Preflight: can the task role call vpc-lattice-svcs:Invoke?
      sid: 'SimulateTaskRoles',
      service: 'iam',
      actions: ['iam:SimulatePrincipalPolicy'],
      resources: [`arn:${p}:iam::${a}:role/*`],
    },
    {
      // Image manifest and config blob of containers without entryPoint/command.
      sid: 'ReadImageConfigs',
      service: 'ecr',
      actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      resources: [...(scope.ecrRepositoryArns ?? [`arn:${p}:ecr:*:${a}:repository/*`])],
    },
    {
      sid: 'PutAuditEvents',
      service: 'events',
      actions: ['events:PutEvents'],
      resources: [scope.eventBusArn],
    },
  ];
}
