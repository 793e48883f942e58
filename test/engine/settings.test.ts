import { describe, expect, it } from 'vitest';
import { DEFAULT_CIDRS, DEFAULT_SIDECAR_CPU, DEFAULT_SIDECAR_MEMORY_MIB } from '../../functions/engine/constants';
import { ConfigError } from '../../functions/engine/errors';
import { readSettings, validateOperatorSettings } from '../../functions/engine/settings';
import { OPERATOR, appContainer, optIn, taskDefinition } from './helpers';

const read = (...tags: Array<[string, string]>) => readSettings(taskDefinition({}, optIn(...tags)), OPERATOR);
const messages = (reading: ReturnType<typeof read>) => reading.refusals.map((refusal) => refusal.message);

describe('readSettings', () => {
  it('applies the documented defaults', () => {
    const { settings, refusals, optedIn } = read();
    expect(optedIn).toBe(true);
    expect(refusals).toEqual([]);
    expect(settings).toEqual({
      sidecarName: 'sigv4-sidecar',
      sidecarImage: 'sigv4-sidecar:1.0.0',
      mode: 'transparent',
      networkMode: 'bridge',
      containers: ['app'],
      ports: [80],
      cidrs: [...DEFAULT_CIDRS],
      hosts: [],
      region: 'us-east-1',
      signing: 'sigv4',
      cpu: DEFAULT_SIDECAR_CPU,
      memory: DEFAULT_SIDECAR_MEMORY_MIB,
      logLevel: 'info',
    });
  });

  it('reads every settings tag', () => {
    const { settings, refusals } = read(
      ['containers', 'app'],
      ['ports', '80  8080 80'],
      ['cidrs', '169.254.171.0/24'],
      ['hosts', 'API.example.com .corp.example.net'],
      ['mode', 'proxy'],
      ['region', 'eu-central-2'],
      ['signing', 'sigv4a'],
      ['cpu', '256'],
      ['memory', '64'],
      ['log-level', 'off'],
    );
    expect(refusals).toEqual([]);
    expect(settings).toMatchObject({
      containers: ['app'],
      ports: [80, 8080],
      cidrs: ['169.254.171.0/24'],
      hosts: ['api.example.com', '.corp.example.net'],
      mode: 'proxy',
      region: 'eu-central-2',
      signing: 'sigv4a',
      cpu: 256,
      memory: 64,
      logLevel: 'off',
    });
  });

  it('takes the region from the tag, else the ARN, else the operator', () => {
    const fromArn = {
      ...taskDefinition(),
      source: { family: 'demo', arn: 'arn:aws:ecs:ap-south-1:111122223333:task-definition/demo:1', region: 'ap-south-1' },
    };
    expect(readSettings(fromArn, OPERATOR).settings.region).toBe('ap-south-1');
    fromArn.register.tags!.push({ key: 'sigv4-sidecar/region', value: 'eu-west-3' });
    expect(readSettings(fromArn, OPERATOR).settings.region).toBe('eu-west-3');
    expect(read().settings.region).toBe('us-east-1');
  });

  it('leaves FireLens log routers out by default', () => {
    const doc = taskDefinition({
      containerDefinitions: [appContainer(), appContainer({ name: 'router', firelensConfiguration: { type: 'fluentbit' } })],
    });
    expect(readSettings(doc, OPERATOR).settings.containers).toEqual(['app']);
  });

  it.each([
    ['', 'absent'],
    ['True', '"True"'],
    ['yes', '"yes"'],
  ])('is not opted in with %j', (value, shown) => {
    const tags = value === '' ? [] : [{ key: 'sigv4-sidecar', value }];
    const reading = readSettings(taskDefinition({}, tags), OPERATOR);
    expect(reading.optedIn).toBe(false);
    expect(reading.refusals[0]).toMatchObject({ code: 'NOT_OPTED_IN', where: 'sigv4-sidecar' });
    expect(reading.refusals[0]!.message).toContain(shown);
  });

  it.each([
    ['ports', '443', 'TLS on 443 cannot be signed'],
    ['ports', '0', 'TCP ports 1-65535'],
    ['ports', '80 http', 'TCP ports 1-65535'],
    ['cidrs', '169.254.0.0/16', '169.254.0.0/16 covers one of them'],
    ['cidrs', 'fd00:ec2::/32', 'covers one of them'],
    ['cidrs', '10.0.0.0/33', 'CIDR blocks'],
    ['cidrs', '10.0.0.1', 'CIDR blocks'],
    ['hosts', '.com', 'domains with a leading dot'],
    ['hosts', 'a..example.com', 'DNS names'],
    ['mode', 'Proxy', 'allowed: transparent proxy'],
    ['region', 'US-EAST-1', 'an AWS region name'],
    ['signing', 'SIGV4', 'allowed: sigv4 sigv4a'],
    ['cpu', '31', 'from 32 to 4096'],
    ['memory', '4097', 'from 32 to 4096'],
    ['memory', '1.5', 'a whole number of MiB'],
    ['log-level', 'debug', 'Envoy logs credentials'],
    ['containers', ' ', 'at least one container'],
    ['contaners', 'app', 'unknown setting'],
  ])('refuses %s=%j, saying what is allowed', (tag, value, allowed) => {
    const reading = read([tag, value]);
    expect(reading.refusals).toHaveLength(1);
    expect(reading.refusals[0]).toMatchObject({ code: 'INVALID_TAG', where: `sigv4-sidecar/${tag}` });
    expect(reading.refusals[0]!.message).toContain(`sigv4-sidecar/${tag}=${JSON.stringify(value)}`);
    expect(reading.refusals[0]!.message).toContain(allowed);
  });

  it('reports every invalid tag, not just the first', () => {
    expect(messages(read(['ports', 'x'], ['mode', 'y'], ['signing', 'z']))).toHaveLength(3);
  });
});

describe('validateOperatorSettings', () => {
  it('accepts real settings', () => {
    expect(() => validateOperatorSettings({ sidecarImage: '111122223333.dkr.ecr.us-west-2.amazonaws.com/sigv4-sidecar@sha256:' + 'a'.repeat(64), defaultRegion: 'us-west-2', sidecarName: 'signer_1' })).not.toThrow();
  });
  it.each([
    [{ sidecarImage: 'has space:1' }, 'sidecarImage'],
    [{ sidecarImage: '' }, 'sidecarImage'],
    [{ defaultRegion: 'moon' }, 'defaultRegion'],
    [{ sidecarName: 'sig v4' }, 'sidecarName'],
  ])('names the bad setting %j', (override, setting) => {
    const attempt = () => validateOperatorSettings({ ...OPERATOR, ...override });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(`^${setting}: `));
  });
});
