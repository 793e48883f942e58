// cdk.json and the app's context handling.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../functions/engine/errors';
import { CONTEXT_KEYS, readAppContext } from '../../infra/bin/context';
import { CDK_JSON } from './support/synth';

const recommendedFlags = createRequire(import.meta.url)('aws-cdk-lib/recommended-feature-flags.json') as Record<string, unknown>;

function contextOf(values: Record<string, unknown>) {
  return readAppContext((key) => values[key]);
}

describe('cdk.json', () => {
  it('runs the app with tsx', () => {
    expect(CDK_JSON.app).toBe('npx tsx infra/bin/app.ts');
  });

  it('carries exactly the feature flags aws-cdk-lib recommends for new projects', () => {
    expect(CDK_JSON.context).toEqual(recommendedFlags);
  });
});

describe('app context', () => {
  it('leaves every prop to its default when no context is given', () => {
    expect(contextOf({})).toEqual({ operator: {}, demo: {} });
  });

  it('reads operator and demo settings from -c strings', () => {
    const context = contextOf({
      [CONTEXT_KEYS.sidecarImage]: 'public.ecr.aws/example/sigv4-sidecar:1.0.0',
      [CONTEXT_KEYS.clusters]: ' prod  staging ',
      [CONTEXT_KEYS.sweepSchedule]: 'rate(30 minutes)',
      [CONTEXT_KEYS.alarmEmail]: 'platform@example.com',
      [CONTEXT_KEYS.createTrail]: 'false',
      [CONTEXT_KEYS.passRoleNamePattern]: 'app-*',
      [CONTEXT_KEYS.serviceNetworkId]: 'sn-0123456789abcdef0',
      [CONTEXT_KEYS.latticeServiceUrl]: 'http://example',
    });
    expect(context).toEqual({
      operator: {
        sidecarImage: 'public.ecr.aws/example/sigv4-sidecar:1.0.0',
        clusters: ['prod', 'staging'],
        sweepSchedule: 'rate(30 minutes)',
        alarmEmail: 'platform@example.com',
        createTrail: false,
        passRoleNamePattern: 'app-*',
      },
      demo: { serviceNetworkId: 'sn-0123456789abcdef0', latticeServiceUrl: 'http://example' },
    });
  });

  it('takes booleans and lists from cdk.json as they are', () => {
    expect(contextOf({ [CONTEXT_KEYS.createTrail]: true, [CONTEXT_KEYS.clusters]: ['prod'] }).operator).toEqual({
      createTrail: true,
      clusters: ['prod'],
    });
  });

  it('names the context key of a bad value', () => {
    expect(() => contextOf({ [CONTEXT_KEYS.createTrail]: 'no' })).toThrow(ConfigError);
    expect(() => contextOf({ [CONTEXT_KEYS.createTrail]: 'no' })).toThrow(/context createTrail: "no" is not true or false/);
    expect(() => contextOf({ [CONTEXT_KEYS.clusters]: [1] })).toThrow(/context clusters: expected a string/);
  });
});
