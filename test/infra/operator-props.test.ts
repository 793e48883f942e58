// Bad props fail synth with the prop's name and what is allowed.
import { Duration, Fn, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { OPERATOR_ENV } from '../../functions/engine/constants';
import { ConfigError } from '../../functions/engine/errors';
import { loadConfig, REGION_ENV } from '../../functions/operator/config';
import { Sigv4SidecarOperator, type Sigv4SidecarOperatorProps } from '../../infra/lib/index';
import { fakeAssets, newApp } from './support/synth';

const assets = fakeAssets();
const IMAGE = 'public.ecr.aws/example/sigv4-sidecar:1.0.0';

function build(props: Sigv4SidecarOperatorProps): Sigv4SidecarOperator {
  const stack = new Stack(newApp(), 'Test');
  return new Sigv4SidecarOperator(stack, 'Operator', { operatorBundleDir: assets.bundleDir, sidecarImage: IMAGE, ...props });
}

function errorOf(props: Sigv4SidecarOperatorProps): ConfigError {
  try {
    build(props);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`props were accepted: ${JSON.stringify(props)}`);
}

describe('operator bundle', () => {
  it('tells to run npm run build when the bundle is missing', () => {
    const error = errorOf({ operatorBundleDir: assets.emptyDir });
    expect(error.setting).toBe('Sigv4SidecarOperatorProps.operatorBundleDir');
    expect(error.message).toContain('run `npm run build` first');
    expect(error.message).toContain(assets.emptyDir);
  });
});

describe('clusters', () => {
  it.each([
    ['prod cluster', 'clusters[0]'],
    ['arn:aws:ecs:eu-west-1:111122223333:service/prod/orders', 'clusters[0]'],
    ['x'.repeat(256), 'clusters[0]'],
  ])('rejects %s', (cluster, where) => {
    const error = errorOf({ clusters: [cluster] });
    expect(error.setting).toBe(`Sigv4SidecarOperatorProps.${where}`);
    expect(error.message).toMatch(/neither a cluster name .* nor an ECS cluster ARN/);
  });

  it('names the position of the bad entry', () => {
    expect(errorOf({ clusters: ['prod', 'bad/name'] }).setting).toBe('Sigv4SidecarOperatorProps.clusters[1]');
  });

  it('rejects an empty list, which would read as "no cluster"', () => {
    expect(errorOf({ clusters: [] }).message).toMatch(/omit it to watch every cluster/);
  });

  it('accepts names, ARNs and tokens', () => {
    const token = Fn.importValue('shared-cluster-name');
    expect(() => build({ clusters: ['prod', 'Prod_2-b', 'arn:aws:ecs:eu-west-1:111122223333:cluster/staging', token] })).not.toThrow();
  });
});

describe('sweepSchedule and timeout', () => {
  it.each([
    ['every hour', /not an EventBridge schedule/],
    ['rate(1 hours)', /singular unit for 1/],
    ['rate(2 hour)', /singular unit for 1/],
    ['rate(0 minutes)', /at least 1/],
    ['cron(0 * * *)', /not an EventBridge schedule/],
  ])('rejects %s', (sweepSchedule, message) => {
    const error = errorOf({ sweepSchedule });
    expect(error.setting).toBe('Sigv4SidecarOperatorProps.sweepSchedule');
    expect(error.message).toMatch(message);
  });

  it('accepts rate and cron expressions', () => {
    for (const sweepSchedule of ['rate(1 hour)', 'rate(15 minutes)', 'rate(1 day)', 'cron(0/30 * * * ? *)']) {
      expect(() => build({ sweepSchedule }), sweepSchedule).not.toThrow();
    }
  });

  it('keeps the timeout between 1 and 15 minutes', () => {
    expect(errorOf({ timeout: Duration.minutes(16) }).message).toMatch(/out of range; a sweep needs between 1 and 15 minutes/);
    expect(errorOf({ timeout: Duration.seconds(30) }).setting).toBe('Sigv4SidecarOperatorProps.timeout');
  });

  it('refuses a timeout longer than the sweep interval', () => {
    const error = errorOf({ sweepSchedule: 'rate(5 minutes)', timeout: Duration.minutes(10) });
    expect(error.message).toMatch(/longer than the sweep interval \(5 minutes\)/);
  });
});

describe('sidecarImage', () => {
  it.each([
    ['Public.ecr.aws/Example/Sidecar:1', /not an image URI/],
    ['public.ecr.aws/example/sidecar', /neither a tag nor a digest/],
    ['public.ecr.aws/example/sidecar@sha256:abc', /not an image URI/],
    ['', /not an image URI/],
  ])('rejects %j', (sidecarImage, message) => {
    const error = errorOf({ sidecarImage });
    expect(error.setting).toBe('Sigv4SidecarOperatorProps.sidecarImage');
    expect(error.message).toMatch(message);
  });

  it('accepts tags, digests and registries with ports, as the operator does at cold start', () => {
    for (const sidecarImage of [
      '111122223333.dkr.ecr.eu-west-1.amazonaws.com/sigv4-sidecar:1.2.3',
      `registry.example.com:5000/team/sigv4-sidecar@sha256:${'a'.repeat(64)}`,
      'sigv4-sidecar:latest',
    ]) {
      expect(() => build({ sidecarImage }), sidecarImage).not.toThrow();
      expect(loadConfig({ [OPERATOR_ENV.sidecarImage]: sidecarImage, [REGION_ENV]: 'eu-west-1' }).sidecarImage).toBe(sidecarImage);
    }
  });
});

describe('other props', () => {
  it('checks memory, role name pattern and repository ARNs', () => {
    expect(errorOf({ memorySize: 64 }).setting).toBe('Sigv4SidecarOperatorProps.memorySize');
    expect(errorOf({ memorySize: 512.5 }).message).toMatch(/integer from 128 to 10240/);
    expect(errorOf({ passRoleNamePattern: 'app roles' }).setting).toBe('Sigv4SidecarOperatorProps.passRoleNamePattern');
    expect(errorOf({ imageRepositoryArns: ['arn:aws:s3:::bucket'] }).setting).toBe(
      'Sigv4SidecarOperatorProps.imageRepositoryArns[0]',
    );
    expect(errorOf({ imageRepositoryArns: [] }).message).toMatch(/omit it/);
    expect(() =>
      build({
        memorySize: 1024,
        passRoleNamePattern: '/apps/orders-*',
        imageRepositoryArns: ['arn:aws:ecr:eu-west-1:111122223333:repository/team/*'],
      }),
    ).not.toThrow();
  });
});
