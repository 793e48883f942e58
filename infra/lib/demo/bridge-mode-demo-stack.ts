import { Fn, RemovalPolicy, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import { AutoScalingGroup } from 'aws-cdk-lib/aws-autoscaling';
import {
  BlockDeviceVolume,
  EbsDeviceVolumeType,
  FlowLogDestination,
  FlowLogTrafficType,
  InstanceType,
  LaunchTemplate,
  Port,
  SecurityGroup,
  SubnetType,
  UserData,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { DockerImageAsset, Platform } from 'aws-cdk-lib/aws-ecr-assets';
import {
  AsgCapacityProvider,
  Cluster,
  ContainerImage,
  ContainerInsights,
  Ec2Service,
  Ec2TaskDefinition,
  EcsOptimizedImage,
  LogDrivers,
  NetworkMode,
} from 'aws-cdk-lib/aws-ecs';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnServiceNetworkVpcAssociation } from 'aws-cdk-lib/aws-vpclattice';
import type { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import { LATTICE_SIGNING_SERVICE, OPT_IN_TAG, OPT_IN_VALUE } from '../../../functions/engine/constants';
import { ConfigError } from '../../../functions/engine/errors';
import { acknowledge } from '../acknowledge';
import { APP_CONTAINER_NAME, APP_TARGET_URL_ENV } from './app-image-contract';

const APP_IMAGE_DIR = fileURLToPath(new URL('../../../app-image', import.meta.url));
const SERVICE_NETWORK_ID = /^sn-[0-9a-z]{17}$/;
const SERVICE_NETWORK_ARN = /^arn:aws[a-z-]*:vpc-lattice:[a-z0-9-]+:\d{12}:servicenetwork\/sn-[0-9a-z]{17}$/;
const AVAILABILITY_ZONES = 3;
const HTTP_URL = /^http:\/\/[^\s/?#]+(?:[/?#]\S*)?$/;

export interface BridgeModeDemoStackProps extends StackProps {
  /**
   * Id or ARN of a VPC Lattice service network to associate BridgeModeVPC with
   * (context `serviceNetworkId`).
   * @default no association
   */
  readonly serviceNetworkId?: string;
  /**
   * `http://` URL of the Lattice service the demo app calls (context `latticeServiceUrl`).
   * @default none: the service is created with no running task, since the app needs a URL
   */
  readonly latticeServiceUrl?: string;
  /**
   * Directory with the Dockerfile of the app.
   * @default `app-image/` of this repository
   */
  readonly appImageDirectory?: string;
  /**
   * Container instance type (x86_64, like the image assets).
   * @default t3.small
   */
  readonly instanceType?: InstanceType;
}

/**
 * The bridge-mode sample, without any sidecar wiring: an app tagged `sigv4-sidecar=true` on an
 * EC2-backed cluster. The operator registers the injected twin and moves the service onto it.
 */
export class BridgeModeDemoStack extends Stack {
  readonly vpc: Vpc;
  readonly cluster: Cluster;
  readonly taskDefinition: Ec2TaskDefinition;
  readonly service: Ec2Service;
  readonly instanceSecurityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: BridgeModeDemoStackProps = {}) {
    super(scope, id, { description: 'sigv4-sidecar demo: a bridge-mode ECS service that calls VPC Lattice', ...props });

    this.vpc = this.createVpc();
    this.cluster = new Cluster(this, 'Cluster', { vpc: this.vpc, containerInsightsV2: ContainerInsights.ENABLED });
    this.instanceSecurityGroup = new SecurityGroup(this, 'InstanceSecurityGroup', {
      vpc: this.vpc,
      description: 'sigv4-sidecar demo container instances: no inbound, any outbound',
      allowAllOutbound: true,
    });
    const capacityProvider = this.createCapacity(props.instanceType ?? new InstanceType('t3.small'));
    this.cluster.addAsgCapacityProvider(capacityProvider);
    this.taskDefinition = this.createTaskDefinition(props.appImageDirectory ?? APP_IMAGE_DIR, props.latticeServiceUrl);

    this.service = new Ec2Service(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      // The app exits without a URL to call: run it only once there is one.
      desiredCount: props.latticeServiceUrl === undefined ? 0 : 1,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      enableExecuteCommand: true,
      // A twin that cannot start rolls the service back to the revision that ran before.
      circuitBreaker: { enable: true, rollback: true },
      capacityProviderStrategies: [{ capacityProvider: capacityProvider.capacityProviderName, weight: 1 }],
    });

    if (props.serviceNetworkId !== undefined) this.associateServiceNetwork(props.serviceNetworkId);
  }

  /** Three AZs without a context lookup: the stack stays environment-agnostic and synthesizes offline. */
  override get availabilityZones(): string[] {
    return Array.from({ length: AVAILABILITY_ZONES }, (_, index) => Fn.select(index, Fn.getAzs()));
  }

  private createVpc(): Vpc {
    const flowLogs = new LogGroup(this, 'FlowLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    return new Vpc(this, 'Vpc', {
      vpcName: 'BridgeModeVPC',
      maxAzs: AVAILABILITY_ZONES,
      // One NAT gateway keeps the demo cheap; the container instances live in private subnets.
      natGateways: 1,
      subnetConfiguration: [
        { name: 'Public', subnetType: SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'Private', subnetType: SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 },
      ],
      flowLogs: {
        All: { destination: FlowLogDestination.toCloudWatchLogs(flowLogs), trafficType: FlowLogTrafficType.ALL },
      },
    });
  }

  private createCapacity(instanceType: InstanceType): AsgCapacityProvider {
    const instanceRole = new Role(this, 'InstanceRole', { assumedBy: new ServicePrincipal('ec2.amazonaws.com') });
    // CDK adds the ECS agent's statements when the capacity joins the cluster.
    acknowledge(
      instanceRole,
      'ECS container agent: the Submit* state-change calls, scoped to this cluster by CDK.',
      'AwsSolutions-IAM5[Action::ecs:Submit*]',
    );
    acknowledge(
      instanceRole,
      'ECS container agent: DiscoverPollEndpoint, StartTelemetrySession and the like accept no resource-level permissions.',
      'AwsSolutions-IAM5[Resource::*]',
    );
    const launchTemplate = new LaunchTemplate(this, 'LaunchTemplate', {
      // Resolved from the public SSM parameter at deploy time, not looked up at synth.
      machineImage: EcsOptimizedImage.amazonLinux2023(),
      instanceType,
      requireImdsv2: true,
      // Bridge-mode containers sit one hop away: with a hop limit of 1 they cannot reach
      // instance metadata and the instance role; they use their task role.
      httpPutResponseHopLimit: 1,
      userData: UserData.forLinux(),
      role: instanceRole,
      securityGroup: this.instanceSecurityGroup,
      blockDevices: [
        { deviceName: '/dev/xvda', volume: BlockDeviceVolume.ebs(30, { encrypted: true, volumeType: EbsDeviceVolumeType.GP3 }) },
      ],
    });
    const autoScalingGroup = new AutoScalingGroup(this, 'Instances', {
      vpc: this.vpc,
      vpcSubnets: { subnetType: SubnetType.PRIVATE_WITH_EGRESS },
      launchTemplate,
      minCapacity: 1,
      maxCapacity: 3,
    });
    acknowledge(
      autoScalingGroup,
      'Demo cluster: ECS managed scaling and the capacity provider report capacity; no scaling notifications wanted.',
      'AwsSolutions-AS3',
    );
    return new AsgCapacityProvider(this, 'CapacityProvider', { autoScalingGroup });
  }

  private createTaskDefinition(appImageDirectory: string, latticeServiceUrl: string | undefined): Ec2TaskDefinition {
    if (latticeServiceUrl !== undefined && !HTTP_URL.test(latticeServiceUrl)) {
      throw new ConfigError(
        `"${latticeServiceUrl}" is not an http:// URL; the app sends plain HTTP and the sidecar signs it (e.g. http://<service>.<id>.vpc-lattice-svcs.<region>.on.aws)`,
        'BridgeModeDemoStackProps.latticeServiceUrl (context latticeServiceUrl)',
      );
    }
    const taskRole = new Role(this, 'TaskRole', {
      assumedBy: new ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'sigv4-sidecar demo app: may call VPC Lattice services',
    });
    taskRole.addToPolicy(
      new PolicyStatement({
        actions: [`${LATTICE_SIGNING_SERVICE}:Invoke`],
        resources: [`arn:${this.partition}:vpc-lattice:${this.region}:${this.account}:service/*`],
      }),
    );

    const taskDefinition = new Ec2TaskDefinition(this, 'TaskDefinition', {
      family: 'bridge-mode-demo',
      networkMode: NetworkMode.BRIDGE,
      taskRole,
    });
    // The only thing an application team adds: the operator does the rest after deploy.
    Tags.of(taskDefinition).add(OPT_IN_TAG, OPT_IN_VALUE);

    const logGroup = new LogGroup(this, 'AppLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    taskDefinition.addContainer(APP_CONTAINER_NAME, {
      image: ContainerImage.fromDockerImageAsset(
        new DockerImageAsset(this, 'AppImage', { directory: appImageDirectory, platform: Platform.LINUX_AMD64 }),
      ),
      essential: true,
      memoryReservationMiB: 128,
      logging: LogDrivers.awsLogs({ streamPrefix: APP_CONTAINER_NAME, logGroup }),
      ...(latticeServiceUrl !== undefined ? { environment: { [APP_TARGET_URL_ENV]: latticeServiceUrl } } : {}),
    });

    acknowledge(
      taskRole,
      'The demo may call any Lattice service of its service network; each service auth policy decides.',
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:vpc-lattice:<AWS::Region>:<AWS::AccountId>:service/*]`,
    );
    acknowledge(
      taskRole,
      'ECS Exec: the ssmmessages channel actions accept no resource-level permissions.',
      'AwsSolutions-IAM5[Resource::*]',
    );
    acknowledge(
      taskDefinition,
      'Execution role: ecr:GetAuthorizationToken accepts no resource-level permissions; image pulls are scoped to the asset repository.',
      'AwsSolutions-IAM5[Resource::*]',
    );
    acknowledge(
      taskDefinition,
      'The only environment variable is the URL of the Lattice service to call, which is not a secret.',
      'AwsSolutions-ECS2',
    );
    return taskDefinition;
  }

  private associateServiceNetwork(serviceNetworkId: string): void {
    if (!SERVICE_NETWORK_ID.test(serviceNetworkId) && !SERVICE_NETWORK_ARN.test(serviceNetworkId)) {
      throw new ConfigError(
        `"${serviceNetworkId}" is neither a VPC Lattice service network id (sn- and 17 characters) nor its ARN`,
        'BridgeModeDemoStackProps.serviceNetworkId (context serviceNetworkId)',
      );
    }
    // Lattice applies this group to traffic from the VPC into the service network.
    const securityGroup = new SecurityGroup(this, 'LatticeSecurityGroup', {
      vpc: this.vpc,
      description: 'sigv4-sidecar demo: HTTP and HTTPS from the container instances into the service network',
      allowAllOutbound: false,
    });
    // Bridge-mode traffic leaves through the instance's address, so the instance group is the source.
    for (const port of [Port.tcp(80), Port.tcp(443)]) {
      securityGroup.addIngressRule(this.instanceSecurityGroup, port, 'from the container instances');
    }
    new CfnServiceNetworkVpcAssociation(this, 'ServiceNetworkAssociation', {
      serviceNetworkIdentifier: serviceNetworkId,
      vpcIdentifier: this.vpc.vpcId,
      securityGroupIds: [securityGroup.securityGroupId],
    });
  }
}
