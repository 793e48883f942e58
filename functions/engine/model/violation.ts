// The one shape every validator reports in: where (a JSON path into the input) and what is wrong.

/** One problem found in an input: `path` like `$.containerDefinitions[1].name`; `message` says
 * what is wrong and what is allowed. */
export interface Violation {
  path: string;
  message: string;
}

export const ROOT_PATH = '$';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `$.a` for identifier-like keys, `$["odd key"]` for anything else (map keys, tag keys). */
export function childPath(parent: string, key: string): string {
  return IDENTIFIER.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}
