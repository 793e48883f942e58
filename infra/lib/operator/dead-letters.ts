import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../acknowledge';

export interface DeadLettersProps {
  /** Notified when the first event lands in the queue. */
  readonly alarmTopic?: ITopic;
}

/**
 * Where events end up that the operator still failed on after its retries (and events
 * EventBridge could not deliver), with an alarm as soon as one arrives.
 */
export class DeadLetters extends Construct {
  readonly queue: Queue;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: DeadLettersProps = {}) {
    super(scope, id);

    this.queue = new Queue(this, 'Queue', {
      // SQS-managed keys: EventBridge cannot send to a queue encrypted with the AWS managed KMS key.
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.queue,
      'This queue is itself the dead-letter queue of the operator and of its EventBridge targets.',
      'AwsSolutions-SQS3',
      'Serverless-SQSRedrivePolicy',
    );

    this.alarm = new Alarm(this, 'Alarm', {
      alarmDescription:
        'sigv4-sidecar operator: events failed after all retries. Read the queue messages and the operator logs, fix the cause, then redrive.',
      metric: this.queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (props.alarmTopic) this.alarm.addAlarmAction(new SnsAction(props.alarmTopic));
  }
}
