// The Dockerfiles cannot be built here (no Docker engine): check what they promise statically.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KIT_DIR, SIDECAR_HEALTHCHECK } from '../../functions/engine/constants.js';
import { repo } from '../netns/harness.js';

const sidecar = readFileSync(join(repo, 'sidecar-image/Dockerfile'), 'utf8');
const app = readFileSync(join(repo, 'app-image/Dockerfile'), 'utf8');
const instructions = (text: string): string[] => text.split('\n').filter((l) => /^[A-Z]+ /.test(l));

describe('sidecar-image/Dockerfile', () => {
  it('is based on a pinned Envoy 1.40 release, not a moving tag', () => {
    expect(sidecar).toMatch(/^ARG ENVOY_IMAGE=envoyproxy\/envoy:v1\.40\.\d+$/m);
    expect(sidecar).not.toMatch(/latest/);
  });

  it('builds the kit with the same script the tests use, per target architecture', () => {
    expect(sidecar).toContain('CC="$cc" /src/kit/build /opt/sigv4-sidecar "$TARGETARCH"');
    // drain-init is compiled for the target: native gcc, or the cross compiler and libc.
    expect(sidecar).toContain('libc6-dev-$TARGETARCH-cross');
    expect(sidecar).toMatch(/FROM --platform=\$BUILDPLATFORM debian:12-slim AS kit/);
  });

  it('ships the kit as a VOLUME at KIT_DIR, starts the entrypoint, checks health with the kit', () => {
    const lines = instructions(sidecar);
    expect(lines).toContain(`VOLUME ["${KIT_DIR}"]`);
    expect(lines).toContain(`ENTRYPOINT ["${KIT_DIR}/entrypoint"]`);
    expect(lines.find((l) => l.startsWith('HEALTHCHECK'))).toContain(`CMD ["${SIDECAR_HEALTHCHECK}"]`);
    // Exec form only: no shell between ECS and Envoy.
    expect(lines.filter((l) => /^(ENTRYPOINT|CMD) /.test(l)).every((l) => /\[".*"\]$/.test(l))).toBe(true);
  });
});

describe('app-image/Dockerfile', () => {
  it('is an ordinary image with nothing of sigv4-sidecar in it', () => {
    expect(instructions(app).join('\n')).not.toMatch(/iptables|sigv4-sidecar|bootstrap|NET_ADMIN|setpriv/i);
    expect(instructions(app)).toContain('USER node');
  });
});
