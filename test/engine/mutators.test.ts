// Each mutator alone, on a small draft: one concern, one test block.
import { describe, expect, it } from 'vitest';
import type { Draft, InjectionContext } from '../../functions/engine/mutators/context';
import { pointAtProxy } from '../../functions/engine/mutators/proxy';
import { addSidecarContainer } from '../../functions/engine/mutators/sidecar-container';
import { reserveTaskResources } from '../../functions/engine/mutators/task-resources';
import { waitForSharedRedirect } from '../../functions/engine/mutators/transparent-awsvpc';
import { unwrapTransparentBridge, wrapForTransparentBridge } from '../../functions/engine/mutators/transparent-bridge';
import { recordTwinTags } from '../../functions/engine/mutators/twin-tags';
import { readSettings } from '../../functions/engine/settings';
import type { ContainerDefinition, ImageConfig, RegisterInput, ResolvedSettings } from '../../functions/engine/types';
import { OPERATOR, appContainer, optIn, taskDefinition } from './helpers';

function setup(register: Partial<RegisterInput>, imageConfigs: Record<string, ImageConfig> = {}, tags = optIn()) {
  const doc = taskDefinition(register, tags);
  const settings = readSettings(doc, OPERATOR).settings as ResolvedSettings;
  const context: InjectionContext = { source: doc.register, identity: doc.source, settings, imageConfigs };
  const draft: Draft = { twin: structuredClone(doc.register), changes: [], warnings: [] };
  return { draft, context, container: (name = 'app') => draft.twin.containerDefinitions!.find((c) => c.name === name)! };
}
const env = (container: ContainerDefinition) => Object.fromEntries((container.environment ?? []).map((v) => [v.name, v.value]));

describe('wrapForTransparentBridge', () => {
  it('wraps the entry point, adds NET_ADMIN, link, dependsOn HEALTHY, kit volume and bootstrap settings', () => {
    const { draft, context, container } = setup({ containerDefinitions: [appContainer({ environment: [{ name: 'A', value: '1' }], links: ['db'] }), appContainer({ name: 'db' })] }, {}, optIn(['containers', 'app']));
    wrapForTransparentBridge(draft, context);
    expect(container()).toMatchObject({
      entryPoint: ['/opt/sigv4-sidecar/bootstrap', '/app'],
      command: ['serve'],
      links: ['db', 'sigv4-sidecar'],
      dependsOn: [{ containerName: 'sigv4-sidecar', condition: 'HEALTHY' }],
      volumesFrom: [{ sourceContainer: 'sigv4-sidecar', readOnly: true }],
      linuxParameters: { capabilities: { add: ['NET_ADMIN'] } },
    });
    expect(container().environment![0]).toEqual({ name: 'A', value: '1' });
    expect(env(container())).toMatchObject({
      SIGV4_SIDECAR_NAME: 'sigv4-sidecar',
      SIGV4_SIDECAR_CIDRS: '169.254.171.0/24 fd00:ec2:80::/64',
      SIGV4_SIDECAR_PORTS: '80',
      SIGV4_SIDECAR_PORT: '9090',
      SIGV4_SIDECAR_DROP_CAPS: 'NET_ADMIN',
    });
    expect(container('db')).toEqual(appContainer({ name: 'db' }));
    expect(draft.warnings).toEqual([expect.stringContaining('app: no user set')]);
  });

  it('runs a non-root user as root and hands the user to the bootstrap', () => {
    const { draft, context, container } = setup({ containerDefinitions: [appContainer({ user: '1000:1000' })] });
    wrapForTransparentBridge(draft, context);
    expect(container().user).toBe('0');
    expect(env(container()).SIGV4_SIDECAR_RUN_AS).toBe('1000:1000');
    expect(draft.warnings).toEqual([]);
  });

  it.each(['0', 'root', '0:0'])('leaves root user %s as is', (user) => {
    const { draft, context, container } = setup({ containerDefinitions: [appContainer({ user })] });
    wrapForTransparentBridge(draft, context);
    expect(container().user).toBe(user);
    expect(env(container()).SIGV4_SIDECAR_RUN_AS).toBeUndefined();
  });

  it('gives back what the bootstrap needs from a container that drops ALL, for the bootstrap only', () => {
    const { draft, context, container } = setup({ containerDefinitions: [appContainer({ user: '0', linuxParameters: { capabilities: { drop: ['ALL'] }, initProcessEnabled: true } })] });
    wrapForTransparentBridge(draft, context);
    expect(container().linuxParameters).toEqual({ capabilities: { drop: ['ALL'], add: ['NET_ADMIN', 'SETPCAP', 'NET_RAW'] }, initProcessEnabled: true });
    expect(env(container()).SIGV4_SIDECAR_DROP_CAPS).toBe('NET_ADMIN SETPCAP NET_RAW');
  });

  it('adds SETUID and SETGID when the bootstrap must switch back to a user the container cannot become', () => {
    const { draft, context, container } = setup({ containerDefinitions: [appContainer({ user: '1000', linuxParameters: { capabilities: { drop: ['SETUID', 'SETGID'] } } })] });
    wrapForTransparentBridge(draft, context);
    expect(container().linuxParameters!.capabilities!.add).toEqual(['NET_ADMIN', 'SETUID', 'SETGID']);
    expect(env(container()).SIGV4_SIDECAR_DROP_CAPS).toBe('NET_ADMIN SETUID SETGID');
  });

  it('keeps a NET_ADMIN the container asked for itself: nothing to drop', () => {
    const { draft, context, container } = setup({ containerDefinitions: [appContainer({ user: '0', linuxParameters: { capabilities: { add: ['NET_ADMIN'] } } })] });
    wrapForTransparentBridge(draft, context);
    expect(container().linuxParameters!.capabilities!.add).toEqual(['NET_ADMIN']);
    expect(env(container()).SIGV4_SIDECAR_DROP_CAPS).toBeUndefined();
  });

  it('takes ENTRYPOINT, CMD and USER from the image config, and unwrap gives them back', () => {
    const original = appContainer({ entryPoint: undefined, command: undefined });
    delete original.entryPoint;
    delete original.command;
    const image = { entrypoint: ['/entry.sh'], cmd: ['run', 'a b'], user: 'app' };
    const { draft, context, container } = setup({ containerDefinitions: [original] }, { app: image });
    wrapForTransparentBridge(draft, context);
    expect(container()).toMatchObject({ entryPoint: ['/opt/sigv4-sidecar/bootstrap', '/entry.sh'], command: ['run', 'a b'], user: '0' });
    expect(env(container()).SIGV4_SIDECAR_FROM_IMAGE).toBe('entryPoint command user');
    const copy = structuredClone(container());
    expect(unwrapTransparentBridge(copy)).toEqual(image);
    expect(copy.entryPoint).toBeUndefined();
    expect(copy.command).toBeUndefined();
    expect(copy.user).toBeUndefined();
  });

  it('keeps the task definition command when only the entry point comes from the image', () => {
    const original = appContainer({ command: ['--port', '80'] });
    delete original.entryPoint;
    const { draft, context, container } = setup({ containerDefinitions: [original] }, { app: { entrypoint: [], cmd: ['ignored'] } });
    wrapForTransparentBridge(draft, context);
    expect(container()).toMatchObject({ entryPoint: ['/opt/sigv4-sidecar/bootstrap'], command: ['--port', '80'] });
  });
});

describe('waitForSharedRedirect (awsvpc)', () => {
  it('only adds dependsOn, and warns that unlisted containers share the namespace', () => {
    const { draft, context, container } = setup({ networkMode: 'awsvpc', containerDefinitions: [appContainer(), appContainer({ name: 'side' })] }, {}, optIn(['containers', 'app']));
    waitForSharedRedirect(draft, context);
    expect(container()).toEqual({ ...appContainer(), dependsOn: [{ containerName: 'sigv4-sidecar', condition: 'HEALTHY' }] });
    expect(container('side')).toEqual(appContainer({ name: 'side' }));
    expect(draft.warnings).toEqual([expect.stringContaining('side share the task')]);
  });
});

describe('pointAtProxy', () => {
  it('bridge: proxy through the link name; metadata and credentials stay direct', () => {
    const { draft, context, container } = setup({}, {}, optIn(['mode', 'proxy']));
    pointAtProxy(draft, context);
    expect(env(container())).toEqual({
      HTTP_PROXY: 'http://sigv4-sidecar:9090',
      http_proxy: 'http://sigv4-sidecar:9090',
      NO_PROXY: '169.254.170.2,169.254.169.254,localhost,127.0.0.1',
      no_proxy: '169.254.170.2,169.254.169.254,localhost,127.0.0.1',
    });
    expect(container().links).toEqual(['sigv4-sidecar']);
    expect(container().linuxParameters).toBeUndefined();
  });

  it('awsvpc: proxy on loopback, no link; warns that redirect settings do nothing', () => {
    const { draft, context, container } = setup({ networkMode: 'awsvpc' }, {}, optIn(['mode', 'proxy'], ['ports', '8080']));
    pointAtProxy(draft, context);
    expect(env(container()).HTTP_PROXY).toBe('http://127.0.0.1:9090');
    expect(container().links).toBeUndefined();
    expect(draft.warnings).toEqual(['proxy mode: sigv4-sidecar/ports have no effect (nothing is redirected)']);
  });
});

describe('addSidecarContainer', () => {
  const sidecar = (draft: Draft) => draft.twin.containerDefinitions!.at(-1)!;

  it('adds an essential, health-checked sidecar with the image contract in its environment', () => {
    const { draft, context } = setup({ containerDefinitions: [appContainer({ logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': 'g' } } })] }, {}, optIn(['hosts', 'a.example.com .b.example.com'], ['signing', 'sigv4a']));
    addSidecarContainer(draft, context);
    expect(sidecar(draft)).toEqual({
      name: 'sigv4-sidecar',
      image: 'sigv4-sidecar:1.0.0',
      essential: true,
      cpu: 128,
      memoryReservation: 128,
      healthCheck: { command: ['CMD', '/opt/sigv4-sidecar/healthcheck'], interval: 5, timeout: 2, retries: 3, startPeriod: 10 },
      environment: [
        { name: 'SIGV4_SIDECAR_MODE', value: 'transparent' },
        { name: 'SIGV4_SIDECAR_NETWORK_MODE', value: 'bridge' },
        { name: 'SIGV4_SIDECAR_REGION', value: 'us-east-1' },
        { name: 'SIGV4_SIDECAR_SIGNING', value: 'sigv4a' },
        { name: 'SIGV4_SIDECAR_HOSTS', value: 'a.example.com .b.example.com' },
        { name: 'SIGV4_SIDECAR_LOG_LEVEL', value: 'info' },
        { name: 'SIGV4_SIDECAR_PORT', value: '9090' },
        { name: 'SIGV4_SIDECAR_CLIENTS', value: 'app' },
      ],
      linuxParameters: { capabilities: { add: ['NET_ADMIN'] } },
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': 'g' } },
    });
  });

  it('awsvpc transparent: NET_ADMIN and the redirect settings, no client list', () => {
    const { draft, context } = setup({ networkMode: 'awsvpc' });
    addSidecarContainer(draft, context);
    const variables = env(sidecar(draft));
    expect(variables).toMatchObject({ SIGV4_SIDECAR_CIDRS: '169.254.171.0/24 fd00:ec2:80::/64', SIGV4_SIDECAR_PORTS: '80' });
    expect(variables.SIGV4_SIDECAR_CLIENTS).toBeUndefined();
    expect(sidecar(draft).linuxParameters).toEqual({ capabilities: { add: ['NET_ADMIN'] } });
  });

  it('awsvpc proxy: no NET_ADMIN at all', () => {
    const { draft, context } = setup({ networkMode: 'awsvpc' }, {}, optIn(['mode', 'proxy']));
    addSidecarContainer(draft, context);
    expect(sidecar(draft).linuxParameters).toBeUndefined();
  });

  it('warns that a bridge container restarting in place may be locked out by the client firewall', () => {
    const { draft, context } = setup({ containerDefinitions: [appContainer({ restartPolicy: { enabled: true } })] });
    addSidecarContainer(draft, context);
    expect(draft.warnings).toEqual([expect.stringContaining('app: restartPolicy is enabled')]);
    const awsvpc = setup({ networkMode: 'awsvpc', containerDefinitions: [appContainer({ restartPolicy: { enabled: true } })] });
    addSidecarContainer(awsvpc.draft, awsvpc.context);
    expect(awsvpc.draft.warnings).toEqual([]);
  });

  it('waits for the FireLens router when it logs through it', () => {
    const router = appContainer({ name: 'router', firelensConfiguration: { type: 'fluentbit' } });
    const { draft, context } = setup({ containerDefinitions: [router, appContainer({ logConfiguration: { logDriver: 'awsfirelens' } })] });
    addSidecarContainer(draft, context);
    expect(sidecar(draft).dependsOn).toEqual([{ containerName: 'router', condition: 'START' }]);
  });
});

describe('reserveTaskResources', () => {
  it('EC2: raises task cpu and memory by the sidecar share', () => {
    const { draft, context } = setup({ cpu: '512', memory: '1024' }, {}, optIn(['cpu', '64'], ['memory', '96']));
    reserveTaskResources(draft, context);
    expect(draft.twin).toMatchObject({ cpu: '576', memory: '1120' });
    expect(draft.changes).toEqual(["task cpu 512 → 576, memory 1024 → 1120 MiB (the sidecar's share)"]);
  });
  it('Fargate: leaves the fixed size as is and says so', () => {
    const { draft, context } = setup({ networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512' });
    reserveTaskResources(draft, context);
    expect(draft.twin).toMatchObject({ cpu: '256', memory: '512' });
    expect(draft.changes[0]).toContain('Fargate sizes are fixed pairs');
  });
  it('no task-level size: nothing to do', () => {
    const { draft, context } = setup({});
    reserveTaskResources(draft, context);
    expect(draft.twin.cpu).toBeUndefined();
    expect(draft.changes).toEqual([]);
  });
});

describe('recordTwinTags', () => {
  it('keeps user tags, drops reserved ones, records source and fingerprint', () => {
    const { draft, context } = setup({}, {}, [...optIn(), { key: 'team', value: 'a' }, { key: 'sigv4-sidecar:twin', value: 'old' }]);
    recordTwinTags(draft, context);
    expect(draft.twin.tags).toEqual([
      { key: 'sigv4-sidecar', value: 'true' },
      { key: 'team', value: 'a' },
      { key: 'sigv4-sidecar:source', value: 'demo' },
      { key: 'sigv4-sidecar:fingerprint', value: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
  });
  it('changes the fingerprint when anything in the twin changes', () => {
    const first = setup({});
    const second = setup({ containerDefinitions: [appContainer({ image: 'app:2' })] });
    recordTwinTags(first.draft, first.context);
    recordTwinTags(second.draft, second.context);
    expect(first.draft.twin.tags!.at(-1)!.value).not.toBe(second.draft.twin.tags!.at(-1)!.value);
  });
});
