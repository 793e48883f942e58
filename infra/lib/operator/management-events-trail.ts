import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { ReadWriteType, Trail } from 'aws-cdk-lib/aws-cloudtrail';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from '../acknowledge';

/** How long trail files and their access logs are kept: the operator itself never reads them. */
const LOG_EXPIRATION = Duration.days(90);

/**
 * A CloudTrail trail of this region's management write events. EventBridge sees ECS API calls
 * only when a trail logs them; read events are left out because the operator handles none.
 */
export class ManagementEventsTrail extends Construct {
  readonly trail: Trail;
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    const accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // No object ownership here: CDK picks a bucket policy or the log-delivery ACL by feature flag.
      enforceSSL: true,
      lifecycleRules: [{ expiration: LOG_EXPIRATION }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      accessLogs,
      'This bucket receives the server access logs of the trail bucket; logging it too would recurse.',
      'AwsSolutions-S1',
    );

    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      lifecycleRules: [{ expiration: LOG_EXPIRATION, noncurrentVersionExpiration: LOG_EXPIRATION }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.trail = new Trail(this, 'Trail', {
      bucket: this.bucket,
      managementEvents: ReadWriteType.WRITE_ONLY,
      // One region: the operator stack is regional, and a second multi-region trail is billed.
      isMultiRegionTrail: false,
      includeGlobalServiceEvents: false,
      enableFileValidation: true,
    });
  }
}
