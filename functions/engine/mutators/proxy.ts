// Proxy mode (any network mode, the only one on Fargate): no iptables and no NET_ADMIN in the app
// containers; they reach the sidecar through HTTP_PROXY, and metadata/credentials stay direct.
import { NO_PROXY_HOSTS, SETTING_TAGS, SIDECAR_PORT } from '../constants';
import { tagValue } from '../document';
import type { ResolvedSettings } from '../types';
import { appendEnv, dependOnSidecar, linkToSidecar } from './container-edits';
import { interceptedContainers, type Mutator } from './context';

/** Bridge: the sidecar by its link name. awsvpc: the shared loopback. */
export function proxyUrl(networkMode: ResolvedSettings['networkMode'], sidecarName: string): string {
  const host = networkMode === 'bridge' ? sidecarName : '127.0.0.1';
  return `http://${host}:${SIDECAR_PORT}`;
}

export const NO_PROXY_VALUE = NO_PROXY_HOSTS.join(',');

export const pointAtProxy: Mutator = (draft, context) => {
  const { settings } = context;
  const url = proxyUrl(settings.networkMode, settings.sidecarName);
  for (const container of interceptedContainers(draft, context)) {
    if (settings.networkMode === 'bridge') linkToSidecar(container, settings.sidecarName);
    dependOnSidecar(container, settings.sidecarName);
    appendEnv(container, [
      ['HTTP_PROXY', url],
      ['http_proxy', url],
      ['NO_PROXY', NO_PROXY_VALUE],
      ['no_proxy', NO_PROXY_VALUE],
    ]);
    draft.changes.push(
      `${container.name}: HTTP_PROXY and http_proxy ${url}, NO_PROXY ${NO_PROXY_VALUE}; ` +
        `${settings.networkMode === 'bridge' ? 'link and ' : ''}dependsOn ${settings.sidecarName} HEALTHY`,
    );
  }
  const ignored = [SETTING_TAGS.ports, SETTING_TAGS.cidrs].filter((tag) => tagValue(context.source.tags, tag) !== undefined);
  if (ignored.length > 0) draft.warnings.push(`proxy mode: ${ignored.join(' and ')} have no effect (nothing is redirected)`);
};
