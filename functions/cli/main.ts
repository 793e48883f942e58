// `sigv4-sidecar`: the operator's rewrite as an offline dry run. stdout carries only JSON (or the
// explanation), stderr the human summary, and the exit code says what happened.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { explain, inject, parseDocument, strip } from '../engine';
import { ConfigError, InputError, Sigv4SidecarError } from '../engine/errors';
import type { OperatorSettings, TaskDefinitionDocument } from '../engine/types';
import { COMMANDS, DEFAULT_CLI_IMAGE, DEFAULT_CLI_REGION, USAGE, type Command } from './usage';

export const EXIT = { ok: 0, unexpected: 1, usage: 2, refused: 3 } as const;

/** Bad usage or unreadable input: exit 2 with the message. */
class UsageError extends Sigv4SidecarError {}

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => string;
  env: NodeJS.ProcessEnv;
}

export function run(argv: string[], io: Io): number {
  try {
    return dispatch(argv, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof InputError || error instanceof ConfigError) {
      io.stderr(`sigv4-sidecar: ${error.message}\n`);
      return EXIT.usage;
    }
    io.stderr(`sigv4-sidecar: unexpected failure: ${error instanceof Error ? error.stack : String(error)}\n`);
    return EXIT.unexpected;
  }
}

function dispatch(argv: string[], io: Io): number {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help') {
    (command === undefined ? io.stderr : io.stdout)(`${USAGE.main}\n`);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (!(COMMANDS as string[]).includes(command)) {
    throw new UsageError(`unknown command ${JSON.stringify(command)}; commands: ${COMMANDS.join(', ')} (see --help)`);
  }
  const { values, positionals } = parseCommandArgs(command as Command, rest);
  if (values.help) {
    io.stdout(`${USAGE[command as Command]}\n`);
    return EXIT.ok;
  }
  if (positionals.length > 1) {
    throw new UsageError(`${command} takes one FILE, got ${positionals.length}: ${positionals.join(' ')}`);
  }
  const file = positionals[0] ?? '-';
  const doc = readDocument(file, io);
  const settings: OperatorSettings = {
    sidecarImage: values.image ?? io.env.SIDECAR_IMAGE ?? DEFAULT_CLI_IMAGE,
    defaultRegion: values.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? DEFAULT_CLI_REGION,
    sidecarName: values['sidecar-name'],
  };
  if (command === 'inject' && settings.sidecarImage === DEFAULT_CLI_IMAGE) {
    io.stderr(`note: no --image or $SIDECAR_IMAGE: the twin uses ${DEFAULT_CLI_IMAGE}; set your registry's image to register it\n`);
  }
  switch (command as Command) {
    case 'inject':
      return runInject(doc, settings, io);
    case 'strip':
      io.stdout(`${JSON.stringify(strip(doc).register, null, 2)}\n`);
      return EXIT.ok;
    case 'explain': {
      const explanation = explain(doc, settings);
      io.stdout(`${explanation.lines.join('\n')}\n`);
      return explanation.result.outcome === 'injected' ? EXIT.ok : EXIT.refused;
    }
  }
}

function parseCommandArgs(command: Command, args: string[]) {
  const withSettings = command !== 'strip';
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        ...(withSettings && {
          image: { type: 'string' },
          region: { type: 'string' },
          'sidecar-name': { type: 'string' },
        }),
      },
    }) as { values: { help?: boolean; image?: string; region?: string; 'sidecar-name'?: string }; positionals: string[] };
  } catch (error) {
    // Node's messages name the flag ("Unknown option '--imgae'"); add where to look.
    throw new UsageError(`${command}: ${(error as Error).message.split('. ')[0]} (see sigv4-sidecar ${command} --help)`);
  }
}

function readDocument(file: string, io: Io): TaskDefinitionDocument {
  const name = file === '-' ? 'stdin' : file;
  let text: string;
  try {
    text = file === '-' ? io.readStdin() : readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${name}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${name} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return parseDocument(json);
  } catch (error) {
    if (error instanceof InputError) throw new UsageError(`${name}: ${error.message}`, { cause: error });
    throw error;
  }
}

function runInject(doc: TaskDefinitionDocument, settings: OperatorSettings, io: Io): number {
  const result = inject(doc, settings);
  if (result.outcome === 'refused') {
    io.stderr(`refused: ${doc.source.family} is not injected:\n`);
    for (const reason of result.reasons) io.stderr(`${reason.message}\n`);
    for (const warning of result.warnings) io.stderr(`warning: ${warning}\n`);
    return EXIT.refused;
  }
  io.stdout(`${JSON.stringify(result.twin, null, 2)}\n`);
  io.stderr(`injected ${doc.source.family} (fingerprint ${result.fingerprint.slice(0, 12)}):\n`);
  for (const change of result.changes) io.stderr(`  - ${change}\n`);
  for (const warning of result.warnings) io.stderr(`warning: ${warning}\n`);
  return EXIT.ok;
}
