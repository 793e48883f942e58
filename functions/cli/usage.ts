// Help texts of the CLI, one per command.
import { DEFAULT_SIDECAR_NAME } from '../engine/constants';

export const DEFAULT_CLI_IMAGE = 'sigv4-sidecar:latest';
export const DEFAULT_CLI_REGION = 'us-east-1';

const INPUT = `FILE is a task definition as JSON: the output of
  aws ecs describe-task-definition --include TAGS --task-definition NAME
or a register-task-definition --cli-input-json document with "tags". "-" or no FILE reads stdin.`;

const SETTINGS = `  --image URI          sidecar image (default: $SIDECAR_IMAGE, else ${DEFAULT_CLI_IMAGE})
  --region REGION      signing region when neither the tag sigv4-sidecar/region nor the
                       task definition's ARN names one (default: $AWS_REGION, else ${DEFAULT_CLI_REGION})
  --sidecar-name NAME  name of the sidecar container (default: ${DEFAULT_SIDECAR_NAME})`;

export const USAGE = {
  main: `Usage: sigv4-sidecar <command> [options] [FILE|-]

Rewrites an ECS task definition into its SigV4-signing twin, offline: the same engine the
sigv4-sidecar operator runs.

Commands:
  inject   print the injected twin (RegisterTaskDefinition input) on stdout
  strip    print the source task definition back from a twin
  explain  say why a task definition would or would not be injected, and how

Run "sigv4-sidecar <command> --help" for a command's options.
Exit codes: 0 done, 3 refused, 2 unreadable input or bad usage, 1 unexpected failure.`,
  inject: `Usage: sigv4-sidecar inject [options] [FILE|-]

Prints the injected twin on stdout, ready for
  aws ecs register-task-definition --cli-input-json file://twin.json
and a summary of changes and warnings on stderr. Exit 3 when refused (every reason on stderr).

${INPUT}

Options:
${SETTINGS}
  -h, --help           this help`,
  strip: `Usage: sigv4-sidecar strip [FILE|-]

Prints the source task definition (RegisterTaskDefinition input) back from a twin. Input that is
not injected comes back unchanged (normalized).

${INPUT}

Options:
  -h, --help           this help`,
  explain: `Usage: sigv4-sidecar explain [options] [FILE|-]

Says whether the task definition would be injected, with which settings, what would change,
or every reason it would not. Exit 0 when it would be injected, 3 when not.

${INPUT}

Options:
${SETTINGS}
  -h, --help           this help`,
} as const;

export type Command = Exclude<keyof typeof USAGE, 'main'>;
export const COMMANDS = Object.keys(USAGE).filter((key) => key !== 'main') as Command[];
