import type { ParseArgsConfig } from 'node:util';

/** The options a command accepts, in `node:util` parseArgs form. */
export type CommandOptions = NonNullable<ParseArgsConfig['options']>;

/**
 * One `tenure` subcommand. The registry in cli.ts answers `--help`/`-h` from `usage` and rejects
 * flags missing from `options` before `run` is called, so a command never starts a server, opens
 * a database or writes anything because of a mistyped flag.
 */
export interface Command {
  /** The words typed after `tenure`: `seed`, or `project create` for a command with a verb. */
  name: string;
  /** One line for the command list of `tenure --help`. */
  summary: string;
  /** The full text `tenure <name> --help` prints: synopsis, options, what it touches. */
  usage: string;
  /** Every flag the command takes (`--help` is added by the registry). */
  options: CommandOptions;
  /** Whether words that are not flags are allowed after the name. */
  positionals?: boolean;
  /**
   * Runs the command with the argument list after its name. A command whose outcome has more
   * than done/failed returns its exit code (`tenure import`: 3 rows rejected, 130 interrupted).
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: most commands return nothing (exit 0).
  run(args: string[]): Promise<void | number>;
}
