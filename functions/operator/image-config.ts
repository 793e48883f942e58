// Reads ENTRYPOINT, CMD and USER of an ECR image: manifest (BatchGetImage), the manifest of the
// task's CPU architecture when the tag is an image index, then the config blob through the
// pre-signed URL of GetDownloadUrlForLayer. Anything else (other registries, missing images,
// unexpected documents) is a reason the operator cannot inject, never a guess.
import { createHash } from 'node:crypto';
import { BatchGetImageCommand, GetDownloadUrlForLayerCommand, type ECRClient, type ImageIdentifier } from '@aws-sdk/client-ecr';
import type { ImageConfig, Refusal } from '../engine/types';

const MEDIA_TYPES = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
} as const;
const INDEX_TYPES: readonly string[] = [MEDIA_TYPES.dockerList, MEDIA_TYPES.ociIndex];

const ECR_IMAGE =
  /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9][a-z0-9._/-]*?)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/;

/** ECS runtimePlatform.cpuArchitecture to the OCI platform architecture; ECS defaults to X86_64. */
const ARCHITECTURES: Record<string, string> = { X86_64: 'amd64', ARM64: 'arm64' };

export class ImageConfigError extends Error {}

export interface EcrImage {
  registryId: string;
  region: string;
  repositoryName: string;
  imageId: ImageIdentifier;
}

export function parseEcrImage(image: string): EcrImage {
  const match = ECR_IMAGE.exec(image);
  if (!match) {
    throw new ImageConfigError(
      'is not in Amazon ECR, so its ENTRYPOINT/CMD cannot be read: set entryPoint and command on the container',
    );
  }
  const [, registryId, region, repositoryName, tag, digest] = match;
  const imageId: ImageIdentifier = digest ? { imageDigest: digest } : { imageTag: tag ?? 'latest' };
  return { registryId: registryId!, region: region!, repositoryName: repositoryName!, imageId };
}

export interface ImageConfigDeps {
  ecr(region: string): Pick<ECRClient, 'send'>;
  fetch: typeof fetch;
}

interface Manifest {
  mediaType?: string;
  config?: { digest?: string };
  manifests?: Array<{ digest?: string; mediaType?: string; platform?: { architecture?: string; os?: string } }>;
}

async function getManifest(deps: ImageConfigDeps, image: EcrImage, imageId: ImageIdentifier): Promise<Manifest> {
  const out = await deps.ecr(image.region).send(
    new BatchGetImageCommand({
      registryId: image.registryId,
      repositoryName: image.repositoryName,
      imageIds: [imageId],
      acceptedMediaTypes: Object.values(MEDIA_TYPES),
    }),
  );
  const found = out.images?.[0];
  if (!found?.imageManifest) {
    const failure = out.failures?.[0];
    throw new ImageConfigError(`was not found in ECR (${failure?.failureCode ?? 'no image'}: ${failure?.failureReason ?? 'empty answer'})`);
  }
  const manifest = JSON.parse(found.imageManifest) as Manifest;
  return { ...manifest, mediaType: found.imageManifestMediaType ?? manifest.mediaType };
}

function pickPlatform(index: Manifest, architecture: string): string {
  const entry = index.manifests?.find((m) => m.platform?.os === 'linux' && m.platform.architecture === architecture);
  if (!entry?.digest) throw new ImageConfigError(`has no linux/${architecture} image in its image index`);
  return entry.digest;
}

async function downloadConfig(deps: ImageConfigDeps, image: EcrImage, digest: string): Promise<ImageConfig> {
  const out = await deps.ecr(image.region).send(
    new GetDownloadUrlForLayerCommand({ registryId: image.registryId, repositoryName: image.repositoryName, layerDigest: digest }),
  );
  if (!out.downloadUrl) throw new ImageConfigError('config blob has no download URL');
  // The URL is pre-signed: it carries credentials, so it never goes into an error or a log.
  const response = await deps.fetch(out.downloadUrl);
  if (!response.ok) throw new ImageConfigError(`config blob download failed with HTTP ${response.status}`);
  const body = Buffer.from(await response.arrayBuffer());
  if (`sha256:${createHash('sha256').update(body).digest('hex')}` !== digest) {
    throw new ImageConfigError('config blob does not match its digest');
  }
  const config = (JSON.parse(body.toString('utf8')) as { config?: { Entrypoint?: string[] | null; Cmd?: string[] | null; User?: string } }).config ?? {};
  return {
    ...(config.Entrypoint ? { entrypoint: config.Entrypoint } : {}),
    ...(config.Cmd ? { cmd: config.Cmd } : {}),
    ...(config.User ? { user: config.User } : {}),
  };
}

/** The image config of `image` for the task's CPU architecture (ECS runtimePlatform value). */
export async function readImageConfig(deps: ImageConfigDeps, imageUri: string, cpuArchitecture = 'X86_64'): Promise<ImageConfig> {
  const image = parseEcrImage(imageUri);
  const architecture = ARCHITECTURES[cpuArchitecture];
  if (!architecture) throw new ImageConfigError(`cpuArchitecture ${cpuArchitecture} is not supported`);
  let manifest = await getManifest(deps, image, image.imageId);
  if (INDEX_TYPES.includes(manifest.mediaType ?? '')) {
    manifest = await getManifest(deps, image, { imageDigest: pickPlatform(manifest, architecture) });
  }
  const digest = manifest.config?.digest;
  if (!digest) throw new ImageConfigError(`manifest (${manifest.mediaType ?? 'unknown type'}) names no config blob`);
  return downloadConfig(deps, image, digest);
}

export interface ResolvedImageConfigs {
  configs: Record<string, ImageConfig>;
  /** Why a container's config could not be read, as refusal reasons. */
  reasons: Refusal[];
}

/** Image configs of the containers the engine asks for, each image read once. */
export async function resolveImageConfigs(
  deps: ImageConfigDeps,
  needed: ReadonlyArray<{ containerName: string; image: string }>,
  cpuArchitecture: string | undefined,
): Promise<ResolvedImageConfigs> {
  const byImage = new Map<string, Promise<ImageConfig>>();
  const read = (image: string) => {
    let pending = byImage.get(image);
    if (!pending) {
      pending = readImageConfig(deps, image, cpuArchitecture);
      byImage.set(image, pending);
    }
    return pending;
  };
  const results = await Promise.allSettled(needed.map((container) => read(container.image)));
  const resolved: ResolvedImageConfigs = { configs: {}, reasons: [] };
  results.forEach((result, index) => {
    const { containerName, image } = needed[index]!;
    if (result.status === 'fulfilled') {
      resolved.configs[containerName] = result.value;
      return;
    }
    const error = result.reason as Error;
    // SDK errors name the problem (AccessDeniedException, RepositoryNotFoundException); other
    // errors are reported by name only, so no pre-signed URL leaks into a tag or event.
    const why = error instanceof ImageConfigError ? error.message : `could not be read from ECR (${error.name})`;
    resolved.reasons.push({
      code: 'UNKNOWN_START_COMMAND',
      message: `container ${containerName}: image ${image} ${why}`,
      where: `containerDefinitions[name=${containerName}]`,
    });
  });
  return resolved;
}
