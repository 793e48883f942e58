// Settings from the environment: a bad one fails at cold start, naming the variable.
import { describe, expect, it } from 'vitest';
import { OPERATOR_ENV } from '../../functions/engine/constants';
import { ConfigError } from '../../functions/engine/errors';
import { loadConfig, REGION_ENV } from '../../functions/operator/config';

const IMAGE = '111122223333.dkr.ecr.eu-west-1.amazonaws.com/sigv4-sidecar:1.0.0';
const base = { [REGION_ENV]: 'eu-west-1', [OPERATOR_ENV.sidecarImage]: IMAGE };

describe('loadConfig', () => {
  it('reads the minimal settings with defaults', () => {
    expect(loadConfig(base)).toEqual({ sidecarImage: IMAGE, region: 'eu-west-1', clusters: undefined, auditEventBus: undefined });
  });

  it('reads clusters (names and ARNs, space separated, duplicates dropped) and the audit bus', () => {
    const config = loadConfig({
      ...base,
      [OPERATOR_ENV.clusters]: ' prod  arn:aws:ecs:eu-west-1:111122223333:cluster/staging prod ',
      [OPERATOR_ENV.auditEventBus]: 'arn:aws:events:eu-west-1:111122223333:event-bus/platform',
    });
    expect(config.clusters).toEqual(['prod', 'arn:aws:ecs:eu-west-1:111122223333:cluster/staging']);
    expect(config.auditEventBus).toBe('arn:aws:events:eu-west-1:111122223333:event-bus/platform');
  });

  it.each([
    'envoyproxy/envoy:v1.40-latest',
    `111122223333.dkr.ecr.eu-west-1.amazonaws.com/sigv4-sidecar@sha256:${'c'.repeat(64)}`,
    'registry.example.com:5000/platform/sigv4-sidecar:2',
  ])('accepts the image %s', (image) => {
    expect(loadConfig({ ...base, [OPERATOR_ENV.sidecarImage]: image }).sidecarImage).toBe(image);
  });

  it.each<[string, Record<string, string | undefined>, string, string]>([
    ['missing image', { [OPERATOR_ENV.sidecarImage]: undefined }, OPERATOR_ENV.sidecarImage, 'is required'],
    ['blank image', { [OPERATOR_ENV.sidecarImage]: '  ' }, OPERATOR_ENV.sidecarImage, 'is required'],
    ['image with spaces', { [OPERATOR_ENV.sidecarImage]: 'my image' }, OPERATOR_ENV.sidecarImage, 'is not an image reference'],
    ['uppercase repository', { [OPERATOR_ENV.sidecarImage]: 'registry/Sidecar:1' }, OPERATOR_ENV.sidecarImage, 'is not an image reference'],
    ['comma-separated clusters', { [OPERATOR_ENV.clusters]: 'prod,staging' }, OPERATOR_ENV.clusters, 'separate clusters with spaces'],
    ['cluster ARN of another region', { [OPERATOR_ENV.clusters]: 'arn:aws:ecs:us-east-1:111122223333:cluster/prod' }, OPERATOR_ENV.clusters, 'the operator watches eu-west-1 only'],
    ['bad bus name', { [OPERATOR_ENV.auditEventBus]: 'bus with spaces' }, OPERATOR_ENV.auditEventBus, 'neither an event bus name'],
    ['bus in another region', { [OPERATOR_ENV.auditEventBus]: 'arn:aws:events:us-east-1:111122223333:event-bus/x' }, OPERATOR_ENV.auditEventBus, 'not in eu-west-1'],
    ['no region', { [REGION_ENV]: undefined }, REGION_ENV, 'is not set'],
    ['bad region', { [REGION_ENV]: 'europe' }, REGION_ENV, 'is not an AWS region'],
  ])('%s: ConfigError naming %s', (_, change, setting, message) => {
    let error: unknown;
    try {
      loadConfig({ ...base, ...change });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).setting).toBe(setting);
    expect((error as ConfigError).message).toContain(`${setting}: `);
    expect((error as ConfigError).message).toContain(message);
  });
});
