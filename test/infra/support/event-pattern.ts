// EventBridge event-pattern matching, offline, for exactly the operators our rules use:
// literal values, `exists`, `anything-but` (a value or a list), `prefix` and `$or`.
// No maintained matcher is on the npm registry here; anything else throws, so a rule that
// starts using another operator fails its test instead of being evaluated wrongly.
//
// Semantics (EventBridge user guide, "Event patterns" and "Content filtering"):
// - every key of a pattern object must match; `$or` holds sub-patterns of which one must match;
// - a leaf is an array of matchers, any of which may match; an array value in the event
//   matches when any of its elements does;
// - a field that is absent matches only `{ "exists": false }`: `anything-but` needs the field.

type Pattern = { readonly [key: string]: unknown };

function isObject(value: unknown): value is Pattern {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function matchesScalar(matcher: unknown, value: unknown): boolean {
  if (!isObject(matcher)) return matcher === value;
  const [operator, ...others] = Object.keys(matcher);
  if (operator === undefined || others.length > 0) throw new Error(`unsupported matcher ${JSON.stringify(matcher)}`);
  const operand = matcher[operator];
  switch (operator) {
    case 'anything-but': {
      if (isObject(operand)) throw new Error(`unsupported anything-but form ${JSON.stringify(matcher)}`);
      const excluded = Array.isArray(operand) ? operand : [operand];
      return !excluded.includes(value);
    }
    case 'prefix':
      if (typeof operand !== 'string') throw new Error(`unsupported prefix form ${JSON.stringify(matcher)}`);
      return typeof value === 'string' && value.startsWith(operand);
    case 'exists':
      // Reached only when the field is present (absent fields are handled in matchesLeaf).
      return operand === true;
    default:
      throw new Error(`unsupported operator ${operator}`);
  }
}

function matchesLeaf(matchers: readonly unknown[], value: unknown): boolean {
  if (value === undefined) return matchers.some((m) => isObject(m) && m.exists === false);
  const values = Array.isArray(value) ? value : [value];
  return matchers.some((matcher) => values.some((v) => matchesScalar(matcher, v)));
}

/** Whether `event` (any JSON object) matches the EventBridge `pattern`. */
export function matchesPattern(pattern: Pattern, event: unknown): boolean {
  const fields = isObject(event) ? event : {};
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === '$or') {
      if (!Array.isArray(expected) || expected.length < 2 || !expected.every(isObject)) {
        throw new Error('$or needs an array of at least two patterns');
      }
      return expected.some((alternative) => matchesPattern(alternative, event));
    }
    if (Array.isArray(expected)) return matchesLeaf(expected, fields[key]);
    if (isObject(expected)) return matchesPattern(expected, fields[key]);
    throw new Error(`pattern field ${key} must be an array or an object, got ${JSON.stringify(expected)}`);
  });
}
