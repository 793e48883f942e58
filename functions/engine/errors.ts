// Typed errors that carry where the problem is. Policy outcomes (refusals) are values, not
// errors: see types.ts. These are for input that cannot be read at all and for broken settings.

/** Base class: every error of ours has a stable name and may carry a cause. */
export class Sigv4SidecarError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The input is not a task definition we can read. `path` is the JSON path of the problem. */
export class InputError extends Sigv4SidecarError {
  constructor(
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${message}`, options);
  }
}

/** Operator or CLI settings are missing or invalid. `setting` names the variable or flag. */
export class ConfigError extends Sigv4SidecarError {
  constructor(
    message: string,
    readonly setting: string,
    options?: { cause?: unknown },
  ) {
    super(`${setting}: ${message}`, options);
  }
}
