// The bridge-mode demo: what the original sample built by hand, with no sidecar in it.
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPT_IN_TAG, OPT_IN_VALUE } from '../../functions/engine/constants';
import { ConfigError } from '../../functions/engine/errors';
import { APP_TARGET_URL_ENV } from '../../infra/lib/demo/app-image-contract';
import { BridgeModeDemoStack, type BridgeModeDemoStackProps } from '../../infra/lib/index';
import { fakeAssets, newApp, templateOf, unacknowledgedFindings } from './support/synth';

const assets = fakeAssets();
const SERVICE_NETWORK_ID = 'sn-0123456789abcdef0';
const SERVICE_URL = 'http://orders-0123456789abcdef0.7d67968.vpc-lattice-svcs.eu-west-1.on.aws';

function synth(props: BridgeModeDemoStackProps = {}) {
  const app = newApp();
  const stack = new BridgeModeDemoStack(app, 'BridgeModeDemo', { appImageDirectory: assets.imageDir, ...props });
  return { app, stack, template: templateOf(stack) };
}

let plain: ReturnType<typeof synth>;
let associated: ReturnType<typeof synth>;

function only(template: Template, type: string): Record<string, any> {
  const resources = Object.values(template.findResources(type));
  expect(resources, type).toHaveLength(1);
  return resources[0]!.Properties;
}

beforeAll(() => {
  plain = synth();
  associated = synth({ serviceNetworkId: SERVICE_NETWORK_ID, latticeServiceUrl: SERVICE_URL });
});

describe('network', () => {
  it('is BridgeModeVPC over three AZs from Fn::GetAZs, public and private subnets', () => {
    plain.template.hasResourceProperties('AWS::EC2::VPC', {
      Tags: Match.arrayWith([{ Key: 'Name', Value: 'BridgeModeVPC' }]),
    });
    const subnets = Object.values(plain.template.findResources('AWS::EC2::Subnet')).map((s) => s.Properties);
    expect(subnets).toHaveLength(6);
    const zones = subnets.map((s) => JSON.stringify(s.AvailabilityZone));
    expect(new Set(zones)).toEqual(new Set([0, 1, 2].map((i) => JSON.stringify({ 'Fn::Select': [i, { 'Fn::GetAZs': '' }] }))));
    expect(subnets.filter((s) => s.MapPublicIpOnLaunch === true)).toHaveLength(3);
    plain.template.resourceCountIs('AWS::EC2::NatGateway', 1);
    plain.template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL' });
  });

  it('needs no context lookup (synth works offline)', () => {
    expect(plain.app.synth().manifest.missing ?? []).toEqual([]);
  });
});

describe('cluster capacity', () => {
  it('launches ECS-optimized Amazon Linux 2023 from its SSM parameter, IMDSv2 only, encrypted root volume', () => {
    const data = only(plain.template, 'AWS::EC2::LaunchTemplate').LaunchTemplateData;
    expect(data.MetadataOptions).toEqual({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 });
    expect(data.BlockDeviceMappings[0].Ebs).toMatchObject({ Encrypted: true });
    const parameter = data.ImageId.Ref as string;
    expect(plain.template.toJSON().Parameters[parameter]).toMatchObject({
      Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
      Default: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id',
    });
  });

  it('runs the instances in an Auto Scaling group behind a capacity provider', () => {
    plain.template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      LaunchTemplate: Match.objectLike({ LaunchTemplateId: Match.anyValue() }),
    });
    plain.template.resourceCountIs('AWS::AutoScaling::LaunchConfiguration', 0);
    plain.template.hasResourceProperties('AWS::ECS::CapacityProvider', {
      AutoScalingGroupProvider: Match.objectLike({ ManagedScaling: Match.objectLike({ Status: 'ENABLED' }) }),
    });
    plain.template.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
      CapacityProviders: [{ Ref: Match.stringLikeRegexp('^CapacityProvider') }],
    });
  });
});

describe('task definition', () => {
  it('is bridge mode on EC2 and opted in with the sigv4-sidecar tag', () => {
    const taskDefinition = only(plain.template, 'AWS::ECS::TaskDefinition');
    expect(taskDefinition.NetworkMode).toBe('bridge');
    expect(taskDefinition.RequiresCompatibilities).toEqual(['EC2']);
    expect(taskDefinition.Tags).toContainEqual({ Key: OPT_IN_TAG, Value: OPT_IN_VALUE });
  });

  it('has one container, the app image, and nothing of the sidecar', () => {
    const { ContainerDefinitions } = only(plain.template, 'AWS::ECS::TaskDefinition');
    expect(ContainerDefinitions).toHaveLength(1);
    const [app] = ContainerDefinitions;
    expect(app.Name).toBe('app');
    expect(JSON.stringify(app.Image)).toContain('container-assets');
    expect(app).not.toHaveProperty('LinuxParameters');
    expect(app).not.toHaveProperty('Links');
    expect(app).not.toHaveProperty('EntryPoint');
    expect(app.LogConfiguration.LogDriver).toBe('awslogs');
    // Only the opt-in tag names sigv4-sidecar: the containers know nothing of it.
    const containers = JSON.stringify(only(associated.template, 'AWS::ECS::TaskDefinition').ContainerDefinitions);
    for (const word of ['envoy', 'sidecar', 'net_admin', '9090']) expect(containers.toLowerCase()).not.toContain(word);
    const stackText = JSON.stringify(associated.template.toJSON()).toLowerCase();
    expect(stackText).not.toContain('envoy');
  });

  it('passes the URL in the variable the app reads, and only an http:// URL', () => {
    const client = readFileSync(new URL('../../app-image/client.mjs', import.meta.url), 'utf8');
    expect(client).toContain(`process.env.${APP_TARGET_URL_ENV}`);
    expect(() => synth({ latticeServiceUrl: 'https://orders.example.com' })).toThrow(/is not an http:\/\/ URL/);
    expect(() => synth({ latticeServiceUrl: 'orders' })).toThrow(ConfigError);
  });

  it('passes the Lattice service URL to the app only when given', () => {
    expect(only(plain.template, 'AWS::ECS::TaskDefinition').ContainerDefinitions[0]).not.toHaveProperty('Environment');
    expect(only(associated.template, 'AWS::ECS::TaskDefinition').ContainerDefinitions[0].Environment).toEqual([
      { Name: APP_TARGET_URL_ENV, Value: SERVICE_URL },
    ]);
  });

  it('gives the task role vpc-lattice-svcs:Invoke', () => {
    const taskRoleId = only(plain.template, 'AWS::ECS::TaskDefinition').TaskRoleArn['Fn::GetAtt'][0];
    const policies = Object.values(plain.template.findResources('AWS::IAM::Policy')).filter((p) =>
      p.Properties.Roles.some((r: { Ref: string }) => r.Ref === taskRoleId),
    );
    const actions = policies.flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((s: { Action: unknown }) => s.Action));
    expect(actions).toContain('vpc-lattice-svcs:Invoke');
  });
});

describe('service', () => {
  it('runs one task with ECS Exec on the capacity provider, with a rollback circuit breaker', () => {
    associated.template.hasResourceProperties('AWS::ECS::Service', {
      DesiredCount: 1,
      EnableExecuteCommand: true,
      CapacityProviderStrategy: [{ CapacityProvider: { Ref: Match.stringLikeRegexp('^CapacityProvider') }, Weight: 1 }],
      DeploymentConfiguration: Match.objectLike({ DeploymentCircuitBreaker: { Enable: true, Rollback: true } }),
    });
  });

  it('runs no task until there is a URL to call (the app exits without one)', () => {
    plain.template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 0, EnableExecuteCommand: true });
  });
});

describe('VPC Lattice service network', () => {
  it('is associated only when serviceNetworkId is given', () => {
    plain.template.resourceCountIs('AWS::VpcLattice::ServiceNetworkVpcAssociation', 0);
    associated.template.hasResourceProperties('AWS::VpcLattice::ServiceNetworkVpcAssociation', {
      ServiceNetworkIdentifier: SERVICE_NETWORK_ID,
      VpcIdentifier: { Ref: Match.stringLikeRegexp('^Vpc') },
      SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^LatticeSecurityGroup'), 'GroupId'] }],
    });
  });

  it('admits HTTP and HTTPS from the container instances only', () => {
    const groups = associated.template.findResources('AWS::EC2::SecurityGroupIngress');
    const ingress = Object.values(groups).map((g) => g.Properties);
    expect(ingress.map((i) => i.FromPort).sort()).toEqual([443, 80]);
    for (const rule of ingress) {
      expect(rule.SourceSecurityGroupId['Fn::GetAtt'][0]).toMatch(/^InstanceSecurityGroup/);
      expect(rule).not.toHaveProperty('CidrIp');
    }
  });

  it('rejects an id that is not a service network', () => {
    expect(() => synth({ serviceNetworkId: 'vpc-0123456789abcdef0' })).toThrow(ConfigError);
    expect(() => synth({ serviceNetworkId: 'sn-123' })).toThrow(/neither a VPC Lattice service network id/);
  });
});

describe('cdk-nag', () => {
  it('AwsSolutions and Serverless: no unacknowledged finding, with and without the association', () => {
    expect(unacknowledgedFindings(plain.app, plain.stack)).toEqual([]);
    expect(unacknowledgedFindings(associated.app, associated.stack)).toEqual([]);
  });
});
