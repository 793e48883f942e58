// ENTRYPOINT/CMD/USER from ECR: manifest, image index by architecture, config blob by digest.
import { createHash } from 'node:crypto';
import { BatchGetImageCommand, ECRClient, GetDownloadUrlForLayerCommand } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RESERVED_TAGS } from '../../functions/engine/constants';
import { parseEcrImage, readImageConfig, resolveImageConfigs } from '../../functions/operator/image-config';
import { harness, registerEvent, sourceInput, type Harness } from './harness';

const IMAGE = '222233334444.dkr.ecr.us-east-1.amazonaws.com/team/orders:1.4.2';
const ACCEPTED = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
];
const blob = JSON.stringify({ architecture: 'arm64', config: { Entrypoint: ['/docker-entrypoint.sh'], Cmd: ['serve', '--port', '8080'], User: 'app' } });
const blobDigest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
const armDigest = `sha256:${'a'.repeat(64)}`;
const amdDigest = `sha256:${'b'.repeat(64)}`;
const index = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  manifests: [
    { digest: amdDigest, mediaType: 'application/vnd.oci.image.manifest.v1+json', platform: { architecture: 'amd64', os: 'linux' } },
    { digest: armDigest, mediaType: 'application/vnd.oci.image.manifest.v1+json', platform: { architecture: 'arm64', os: 'linux' } },
  ],
});
const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { digest: blobDigest } });

let ecr: ReturnType<typeof mockClient>;
let fetch: ReturnType<typeof vi.fn>;
const deps = () => ({ ecr: () => new ECRClient({ region: 'us-east-1' }), fetch: fetch as unknown as typeof globalThis.fetch });

beforeEach(() => {
  ecr = mockClient(ECRClient);
  fetch = vi.fn(async () => new Response(blob));
  ecr.on(BatchGetImageCommand, { imageIds: [{ imageTag: '1.4.2' }] }).resolves({
    images: [{ imageManifest: index, imageManifestMediaType: 'application/vnd.oci.image.index.v1+json' }],
  });
  ecr.on(BatchGetImageCommand, { imageIds: [{ imageDigest: armDigest }] }).resolves({
    images: [{ imageManifest: manifest, imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json' }],
  });
  ecr.on(GetDownloadUrlForLayerCommand).resolves({ downloadUrl: 'https://s3.example/blob?X-Amz-Security-Token=secret', layerDigest: blobDigest });
});
afterEach(() => ecr.restore());

describe('parseEcrImage', () => {
  it.each([
    [IMAGE, { registryId: '222233334444', region: 'us-east-1', repositoryName: 'team/orders', imageId: { imageTag: '1.4.2' } }],
    ['222233334444.dkr.ecr.eu-west-1.amazonaws.com/app', { registryId: '222233334444', region: 'eu-west-1', repositoryName: 'app', imageId: { imageTag: 'latest' } }],
    [`222233334444.dkr.ecr.eu-west-1.amazonaws.com/app:v1@${amdDigest}`, { registryId: '222233334444', region: 'eu-west-1', repositoryName: 'app', imageId: { imageDigest: amdDigest } }],
  ])('%s', (image, expected) => expect(parseEcrImage(image)).toEqual(expected));

  it.each(['nginx:latest', 'public.ecr.aws/nginx/nginx:1', 'ghcr.io/org/app:1'])('%s is not in ECR', (image) => {
    expect(() => parseEcrImage(image)).toThrow('is not in Amazon ECR');
  });
});

describe('readImageConfig', () => {
  it('follows the image index to the arm64 manifest and reads the config blob', async () => {
    await expect(readImageConfig(deps(), IMAGE, 'ARM64')).resolves.toEqual({
      entrypoint: ['/docker-entrypoint.sh'],
      cmd: ['serve', '--port', '8080'],
      user: 'app',
    });
    expect(ecr).toHaveReceivedNthCommandWith(BatchGetImageCommand, 1, {
      registryId: '222233334444',
      repositoryName: 'team/orders',
      imageIds: [{ imageTag: '1.4.2' }],
      acceptedMediaTypes: ACCEPTED,
    });
    expect(ecr).toHaveReceivedNthCommandWith(BatchGetImageCommand, 2, {
      registryId: '222233334444',
      repositoryName: 'team/orders',
      imageIds: [{ imageDigest: armDigest }],
      acceptedMediaTypes: ACCEPTED,
    });
    expect(ecr).toHaveReceivedCommandWith(GetDownloadUrlForLayerCommand, { registryId: '222233334444', repositoryName: 'team/orders', layerDigest: blobDigest });
    expect(fetch).toHaveBeenCalledWith('https://s3.example/blob?X-Amz-Security-Token=secret');
  });

  it('defaults to X86_64 (amd64) like ECS', async () => {
    ecr.on(BatchGetImageCommand, { imageIds: [{ imageDigest: amdDigest }] }).resolves({
      images: [{ imageManifest: manifest, imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json' }],
    });
    await readImageConfig(deps(), IMAGE);
    expect(ecr).toHaveReceivedNthCommandWith(BatchGetImageCommand, 2, { imageIds: [{ imageDigest: amdDigest }] });
  });

  it.each([
    ['an image that does not exist', () => ecr.on(BatchGetImageCommand, { imageIds: [{ imageTag: '1.4.2' }] }).resolves({ images: [], failures: [{ failureCode: 'ImageNotFound', failureReason: 'Requested image not found' }] }), 'was not found in ECR (ImageNotFound: Requested image not found)'],
    ['an index without the architecture', () => ecr.on(BatchGetImageCommand, { imageIds: [{ imageTag: '1.4.2' }] }).resolves({ images: [{ imageManifest: JSON.stringify({ manifests: [] }), imageManifestMediaType: 'application/vnd.oci.image.index.v1+json' }] }), 'has no linux/arm64 image in its image index'],
    ['a blob that does not match its digest', () => fetch.mockResolvedValue(new Response('{"config":{}}')), 'config blob does not match its digest'],
    ['a failed download', () => fetch.mockResolvedValue(new Response('denied', { status: 403 })), 'config blob download failed with HTTP 403'],
  ])('%s is an error with the reason', async (_, arrange, message) => {
    arrange();
    await expect(readImageConfig(deps(), IMAGE, 'ARM64')).rejects.toThrow(message);
  });
});

describe('resolveImageConfigs', () => {
  it('reads each image once and turns failures into reasons without the pre-signed URL', async () => {
    fetch.mockRejectedValue(new TypeError('fetch failed for https://s3.example/blob?X-Amz-Security-Token=secret'));
    const resolved = await resolveImageConfigs(
      deps(),
      [
        { containerName: 'a', image: IMAGE },
        { containerName: 'b', image: IMAGE },
        { containerName: 'c', image: 'nginx:1' },
      ],
      'ARM64',
    );
    expect(ecr.commandCalls(GetDownloadUrlForLayerCommand)).toHaveLength(1);
    expect(resolved.configs).toEqual({});
    expect(resolved.reasons.map((r) => r.message)).toEqual([
      `container a: image ${IMAGE} could not be read from ECR (TypeError)`,
      `container b: image ${IMAGE} could not be read from ECR (TypeError)`,
      'container c: image nginx:1 is not in Amazon ECR, so its ENTRYPOINT/CMD cannot be read: set entryPoint and command on the container',
    ]);
    expect(JSON.stringify(resolved)).not.toContain('secret');
  });
});

describe('in the operator', () => {
  let h: Harness;
  beforeEach(() => {
    ecr.restore();
    h = harness();
  });
  afterEach(() => h.restore());

  const withoutStartCommand = (image: string) =>
    sourceInput('orders', {
      runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
      containerDefinitions: [{ name: 'app', image, memory: 256, essential: true }],
    });

  it('wraps the start command read from ECR', async () => {
    h.ecr.on(BatchGetImageCommand, { imageIds: [{ imageTag: '1.4.2' }] }).resolves({ images: [{ imageManifest: index, imageManifestMediaType: 'application/vnd.oci.image.index.v1+json' }] });
    h.ecr.on(BatchGetImageCommand, { imageIds: [{ imageDigest: armDigest }] }).resolves({ images: [{ imageManifest: manifest, imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json' }] });
    h.ecr.on(GetDownloadUrlForLayerCommand).resolves({ downloadUrl: 'https://s3.example/blob' });
    h.fetch.mockResolvedValue(new Response(blob));
    const source = h.ecs.seed(withoutStartCommand(IMAGE));
    await h.handler(registerEvent(source));
    const [, twin] = h.ecs.calls('RegisterTaskDefinition')[0]! as [string, { containerDefinitions: Array<{ name: string; entryPoint?: string[]; command?: string[] }> }];
    const app = twin.containerDefinitions.find((c) => c.name === 'app')!;
    expect(app.entryPoint?.slice(1)).toEqual(['/docker-entrypoint.sh']);
    expect(app.command).toEqual(['serve', '--port', '8080']);
  });

  it('refuses an image outside ECR with the reason on the tag and in the audit event', async () => {
    const source = h.ecs.seed(withoutStartCommand('docker.io/library/nginx:1'));
    await h.handler(registerEvent(source));
    expect(h.ecs.calls('RegisterTaskDefinition')).toEqual([]);
    expect(h.ecs.tagsOf(source)[RESERVED_TAGS.refused]).toBe('UNKNOWN_START_COMMAND');
    const [refusal] = h.audits();
    expect(refusal!.detail.reasons[0].message).toBe(
      'container app: image docker.io/library/nginx:1 is not in Amazon ECR, so its ENTRYPOINT/CMD cannot be read: set entryPoint and command on the container',
    );
  });
});
