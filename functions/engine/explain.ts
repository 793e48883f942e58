// What would happen and why, without producing a twin: the CLI's `explain` and the operator's
// view of which containers need their image config read from the registry.
import { OPT_IN_TAG, RESERVED_TAGS } from './constants';
import { tagValue } from './document';
import { inject } from './inject';
import { needsImageConfig } from './mutators/transparent-bridge';
import { isOptedIn as optedIn, readSettings } from './settings';
import { looksInjected, unwrap } from './strip';
import type { InjectOptions, InjectResult, OperatorSettings, TaskDefinitionDocument } from './types';

/** Opted in, also when the input is a twin (its source's tags are what count). */
export function isOptedIn(doc: TaskDefinitionDocument): boolean {
  return optedIn(unwrap(doc).doc);
}

/** A twin made by sigv4-sidecar (it carries the source tag). */
export function isTwin(doc: TaskDefinitionDocument): boolean {
  return twinSourceOf(doc) !== undefined;
}

export function twinSourceOf(doc: TaskDefinitionDocument): string | undefined {
  return tagValue(doc.register.tags, RESERVED_TAGS.source);
}

/**
 * Containers whose entry point or user must come from the image config (bridge transparent
 * mode only), so the operator fetches exactly those from the registry.
 */
export function containersNeedingImageConfig(
  doc: TaskDefinitionDocument,
  operator: OperatorSettings,
): Array<{ containerName: string; image: string }> {
  const { doc: source, imageConfigs } = unwrap(doc);
  const { settings } = readSettings(source, operator);
  if (settings.mode !== 'transparent' || settings.networkMode !== 'bridge') return [];
  return (source.register.containerDefinitions ?? [])
    .filter((container) => settings.containers?.includes(container.name!))
    .filter((container) => imageConfigs[container.name!] === undefined && needsImageConfig(container))
    .map((container) => ({ containerName: container.name!, image: container.image! }));
}

export interface Explanation {
  optedIn: boolean;
  alreadyInjected: boolean;
  result: InjectResult;
  /** Lines a person reads: the verdict, the settings, then reasons or changes. */
  lines: string[];
}

export function explain(doc: TaskDefinitionDocument, operator: OperatorSettings, options: InjectOptions = {}): Explanation {
  const result = inject(doc, operator, options);
  const optedIn = isOptedIn(doc);
  const alreadyInjected = looksInjected(doc);
  const lines: string[] = [];
  const name = `${doc.source.family}${doc.source.revision !== undefined ? `:${doc.source.revision}` : ''}`;
  if (result.outcome === 'injected') {
    lines.push(`${name} would be injected${alreadyInjected ? ' (it is a twin already: stripped and injected again)' : ''}.`);
  } else {
    lines.push(`${name} would not be injected:`);
    for (const reason of result.reasons) lines.push(`  - ${reason.message}`);
    if (!optedIn) lines.push(`  (opt in with the tag ${OPT_IN_TAG}=true)`);
  }
  const settings = result.settings ?? {};
  lines.push('settings:');
  for (const [key, value] of Object.entries(settings)) {
    lines.push(`  ${key}: ${Array.isArray(value) ? value.join(' ') || '(none)' : String(value)}`);
  }
  if (result.outcome === 'injected') {
    lines.push('changes:');
    for (const change of result.changes) lines.push(`  - ${change}`);
  }
  for (const warning of result.warnings) lines.push(`warning: ${warning}`);
  return { optedIn, alreadyInjected, result, lines };
}
