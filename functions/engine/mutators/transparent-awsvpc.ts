// awsvpc mode, transparent: all containers share one network namespace, so the sidecar installs
// the redirect for everyone. Intercepted containers only wait for it: no NET_ADMIN, no wrapper.
import { dependOnSidecar } from './container-edits';
import { interceptedContainers, type Mutator } from './context';

export const waitForSharedRedirect: Mutator = (draft, context) => {
  const { sidecarName, cidrs, ports, containers } = context.settings;
  const intercepted = interceptedContainers(draft, context);
  for (const container of intercepted) dependOnSidecar(container, sidecarName);
  draft.changes.push(
    `${intercepted.map((c) => c.name).join(', ')}: dependsOn ${sidecarName} HEALTHY; the sidecar redirects ` +
      `TCP ${ports.join(' ')} to ${cidrs.join(' ')} for the whole task (awsvpc shares one namespace)`,
  );
  const everyone = draft.twin.containerDefinitions!.filter((c) => c.name !== sidecarName).map((c) => c.name);
  const notListed = everyone.filter((name) => !containers.includes(name!));
  if (notListed.length > 0) {
    draft.warnings.push(
      `awsvpc mode: ${notListed.join(', ')} share the task's network namespace and are redirected too, ` +
        'although not listed in sigv4-sidecar/containers',
    );
  }
};
