// The ECS operations whose input we validate: every call the engine's output and the operator
// send. The schema generator keeps only the shapes these inputs reach.
export const VALIDATED_OPERATIONS = [
  'RegisterTaskDefinition',
  'DeregisterTaskDefinition',
  'DescribeTaskDefinition',
  'ListTaskDefinitions',
  'UpdateService',
  'DescribeServices',
  'ListServices',
  'ListClusters',
  'TagResource',
  'UntagResource',
] as const;

export type EcsOperation = (typeof VALIDATED_OPERATIONS)[number];
