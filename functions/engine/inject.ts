// The composer: unwrap (if the input is already injected), read settings, check policy, run the
// mutators of the mode in order, validate. Pure: same input, same output.
import { RESERVED_TAGS } from './constants';
import { normalizeRegisterInput, tagValue } from './document';
import { addSidecarContainer } from './mutators/sidecar-container';
import type { Draft, InjectionContext, Mutator } from './mutators/context';
import { pointAtProxy } from './mutators/proxy';
import { reserveTaskResources } from './mutators/task-resources';
import { waitForSharedRedirect } from './mutators/transparent-awsvpc';
import { wrapForTransparentBridge } from './mutators/transparent-bridge';
import { recordTwinTags } from './mutators/twin-tags';
import { checkPolicy } from './policy';
import { readSettings, validateOperatorSettings } from './settings';
import { unwrap } from './strip';
import type {
  InjectOptions,
  InjectResult,
  OperatorSettings,
  Refusal,
  ResolvedSettings,
  TaskDefinitionDocument,
} from './types';
import { validateTwin } from './validate-twin';

function mutatorsFor(settings: ResolvedSettings): Mutator[] {
  const intercept =
    settings.mode === 'proxy'
      ? pointAtProxy
      : settings.networkMode === 'bridge'
        ? wrapForTransparentBridge
        : waitForSharedRedirect;
  return [intercept, addSidecarContainer, reserveTaskResources, normalizeTwin, recordTwinTags];
}

/** The twin in the same canonical form as any parsed input, so re-reading it changes nothing. */
const normalizeTwin: Mutator = (draft) => {
  draft.twin = normalizeRegisterInput(draft.twin);
}

export function inject(
  doc: TaskDefinitionDocument,
  operator: OperatorSettings,
  options: InjectOptions = {},
): InjectResult {
  validateOperatorSettings(operator);
  const unwrapped = unwrap(doc);
  const source = unwrapped.doc;
  const imageConfigs = { ...unwrapped.imageConfigs, ...options.imageConfigs };
  const reading = readSettings(source, operator);
  const refusals: Refusal[] = [
    ...reading.refusals,
    ...checkPolicy({ source: source.register, settings: reading.settings, imageConfigs }),
  ];
  if (refusals.length > 0) {
    return { outcome: 'refused', reasons: refusals, warnings: reading.warnings, settings: reading.settings };
  }
  // No refusal: every setting was read and the network mode is bridge or awsvpc.
  const settings = reading.settings as ResolvedSettings;
  const context: InjectionContext = { source: source.register, identity: source.source, settings, imageConfigs };
  const draft: Draft = { twin: structuredClone(source.register), changes: [], warnings: [...reading.warnings] };
  if (unwrapped.wasInjected) draft.changes.push('input was already injected: stripped and injected again');
  for (const mutate of mutatorsFor(settings)) mutate(draft, context);

  const violations = validateTwin(draft.twin);
  if (violations.length > 0) {
    return { outcome: 'refused', reasons: violations, warnings: draft.warnings, settings };
  }
  const fingerprint = tagValue(draft.twin.tags, RESERVED_TAGS.fingerprint)!;
  return { outcome: 'injected', twin: draft.twin, fingerprint, settings, changes: draft.changes, warnings: draft.warnings };
}
