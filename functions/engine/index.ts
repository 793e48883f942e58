// The injection engine: pure functions shared by the CLI and the operator Lambda.
export * from './constants';
export * from './errors';
export type * from './types';
export { parseDocument, normalizeRegisterInput, parseTaskDefinitionArn } from './document';
export { inject } from './inject';
export { strip, looksInjected } from './strip';
export { explain, isOptedIn, isTwin, twinSourceOf, containersNeedingImageConfig, type Explanation } from './explain';
export { validateAgainstModel } from './model/validate';
export { canonicalJson } from './canonical';
