import { parseArgs } from 'node:util';
import { ConfigError } from '../config/config.js';
import { DataFolderError } from '../db/data-folder-error.js';
import { AppError } from '../errors/app-error.js';
import { ImportError } from '../import/import-error.js';
import type { Command } from './command.js';
import { UsageError } from './usage-error.js';

/** Exit codes: 0 done, 1 the command failed, 2 the command line was wrong (as in most CLIs). */
export const EXIT_USAGE = 2;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const consoleIo: CliIo = {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
};

function overview(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((command) => command.name.length)) + 2;
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}${command.summary}`);
  return `Usage: tenure <command> [options]

Commands:
${lines.join('\n')}

Options:
  -h, --help       Show help (also after any command: tenure <command> --help)
  -v, --version    Show the version

Without DATABASE_URL, Tenure uses the embedded database in TENURE_DATA_DIR (.tenure-data).`;
}

/** The command whose name matches the longest prefix of argv (`project create` before `project`). */
function findCommand(commands: readonly Command[], argv: string[]) {
  let found: Command | undefined;
  for (const command of commands) {
    const words = command.name.split(' ');
    const matches = words.every((word, i) => argv[i] === word);
    if (matches && (!found || words.length > found.name.split(' ').length)) found = command;
  }
  return found;
}

/** Whether the user asked for help: `-h`/`--help` anywhere before a `--` terminator. */
function asksForHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/**
 * Dispatches `tenure <command> [options]` over a registry of commands and returns the exit code.
 * Help and argument errors are answered here, before the command runs.
 */
export async function runCli(
  commands: readonly Command[],
  argv: string[],
  options: { version: string; io?: CliIo },
): Promise<number> {
  const io = options.io ?? consoleIo;
  const [first] = argv;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    const topic = first === 'help' ? findCommand(commands, argv.slice(1)) : undefined;
    io.out(topic ? topic.usage : overview(commands));
    return 0;
  }
  if (first === '--version' || first === '-v') {
    io.out(options.version);
    return 0;
  }
  const command = findCommand(commands, argv);
  if (!command) {
    // `tenure project --help`: the commands of that family.
    const family = commands.filter((candidate) => candidate.name.startsWith(`${first} `));
    if (family.length > 0 && asksForHelp(argv.slice(1))) {
      io.out(family.map((member) => member.usage).join('\n\n'));
      return 0;
    }
    io.err(`tenure: unknown command "${argv.join(' ')}"\n\n${overview(commands)}`);
    return EXIT_USAGE;
  }
  const args = argv.slice(command.name.split(' ').length);
  if (asksForHelp(args)) {
    io.out(command.usage);
    return 0;
  }
  try {
    parseArgs({ args, options: command.options, allowPositionals: command.positionals ?? false });
  } catch (error) {
    io.err(`tenure ${command.name}: ${(error as Error).message}\n\n${command.usage}`);
    return EXIT_USAGE;
  }
  try {
    return (await command.run(args)) ?? 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`tenure ${command.name}: ${error.message}\n\n${command.usage}`);
      return EXIT_USAGE;
    }
    // Errors that explain themselves are printed as a sentence, not a stack trace.
    if (
      error instanceof ConfigError ||
      error instanceof DataFolderError ||
      error instanceof ImportError ||
      // The API's own refusals (e.g. insufficient_history from a training): code and sentence.
      error instanceof AppError
    ) {
      io.err(`tenure ${command.name}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
