import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { ConfigError } from '../../functions/engine/errors';
import { acknowledge } from './acknowledge';
import type { Sigv4SidecarOperatorProps } from './operator/props';
import { Sigv4SidecarOperator } from './operator/sigv4-sidecar-operator';

export interface Sigv4SidecarOperatorStackProps extends StackProps, Omit<Sigv4SidecarOperatorProps, 'alarmTopic'> {
  /**
   * E-mail address notified when events land in the dead-letter queue (through an encrypted
   * SNS topic this stack creates).
   * @default no notification
   */
  readonly alarmEmail?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The operator, ready to deploy: `npx cdk deploy Sigv4SidecarOperator`. */
export class Sigv4SidecarOperatorStack extends Stack {
  readonly operator: Sigv4SidecarOperator;

  constructor(scope: Construct, id: string, props: Sigv4SidecarOperatorStackProps = {}) {
    super(scope, id, { description: 'sigv4-sidecar operator: SigV4 sidecars for ECS tasks that call VPC Lattice', ...props });
    const { alarmEmail, ...operatorProps } = props;

    this.operator = new Sigv4SidecarOperator(this, 'Operator', {
      ...operatorProps,
      ...(alarmEmail !== undefined ? { alarmTopic: this.alarmTopic(alarmEmail) } : {}),
    });

    new CfnOutput(this, 'OperatorFunctionName', { value: this.operator.function.functionName });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.operator.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'SidecarImageUri', { value: this.operator.sidecarImageUri });
  }

  private alarmTopic(email: string): Topic {
    if (!EMAIL.test(email)) {
      throw new ConfigError(`"${email}" is not an e-mail address`, 'Sigv4SidecarOperatorStackProps.alarmEmail');
    }
    const key = new Key(this, 'AlarmTopicKey', {
      description: 'sigv4-sidecar: encrypts the dead-letter alarm topic',
      enableKeyRotation: true,
    });
    // CloudWatch publishes alarm notifications to the encrypted topic.
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    const topic = new Topic(this, 'AlarmTopic', { masterKey: key, enforceSSL: true });
    const subscription = topic.addSubscription(new EmailSubscription(email));
    acknowledge(
      subscription,
      'An e-mail that cannot be delivered has no consumer to redrive to; the alarm state stays visible in CloudWatch.',
      'Serverless-SNSRedrivePolicy',
    );
    return topic;
  }
}
