// A realistic bridge-mode task definition that passes the ECS API model and the ECS rules, and
// a helper to derive minimally broken copies of it.
import type { RegisterInput } from '../../../functions/engine/types';

export function realisticTaskDefinition(): RegisterInput {
  return {
    family: 'orders-api',
    taskRoleArn: 'arn:aws:iam::123456789012:role/orders-api-task',
    executionRoleArn: 'arn:aws:iam::123456789012:role/orders-api-execution',
    networkMode: 'bridge',
    requiresCompatibilities: ['EC2'],
    cpu: '1 vCPU',
    memory: '1 GB',
    containerDefinitions: [
      {
        name: 'web',
        image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:1.4.2',
        essential: true,
        cpu: 512,
        memory: 512,
        memoryReservation: 256,
        entryPoint: ['/usr/local/bin/orders-api'],
        command: ['--listen', ':8080'],
        user: '1000:1000',
        portMappings: [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' }],
        environment: [{ name: 'CACHE_URL', value: 'redis://cache:6379' }],
        links: ['cache:cache'],
        dependsOn: [{ containerName: 'cache', condition: 'HEALTHY' }],
        dockerLabels: { 'com.example.team': 'orders' },
        ulimits: [{ name: 'nofile', softLimit: 65536, hardLimit: 65536 }],
        linuxParameters: { capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, initProcessEnabled: true },
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': '/ecs/orders-api', 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'web' },
        },
      },
      {
        name: 'cache',
        image: 'public.ecr.aws/docker/library/redis:7.2',
        essential: false,
        cpu: 256,
        memory: 256,
        healthCheck: { command: ['CMD', 'redis-cli', 'ping'], interval: 10, timeout: 5, retries: 3, startPeriod: 5 },
        mountPoints: [{ sourceVolume: 'cache-data', containerPath: '/data', readOnly: false }],
      },
    ],
    volumes: [{ name: 'cache-data', host: { sourcePath: '/var/lib/orders-cache' } }],
    tags: [
      { key: 'sigv4-sidecar', value: 'true' },
      { key: 'team', value: 'orders' },
      { key: 'cost-center', value: 'CC 1234' },
    ],
  };
}

/** A deep copy of `realisticTaskDefinition()` changed by `edit`. */
export function brokenCopy(edit: (input: RegisterInput) => void): RegisterInput {
  const copy = realisticTaskDefinition();
  edit(copy);
  return copy;
}
