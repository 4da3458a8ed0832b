/**
 * The checks of the command line yargs does not make (a flag given twice, an empty path, an
 * unknown log level): pure functions, each problem the one line printed before exit code 2.
 */
import { parseLevel } from '../log';

export interface Args {
  config?: string[];
  discover?: boolean;
  catalog?: string;
  properties?: string;
  state?: string;
  about?: boolean;
  format?: string;
  test?: boolean;
  'log-level'?: string;
}

/** Flags that take one value: two of one would reach the code as an array. */
const SINGLE_FLAGS = ['catalog', 'properties', 'state', 'format', 'log-level'];

/** Why the raw command line gives a flag more than once; undefined when it does not. */
export function repeatedFlag(argv: readonly string[]): string | undefined {
  for (const flag of SINGLE_FLAGS) {
    const given = argv.filter((a) => a === `--${flag}` || a.startsWith(`--${flag}=`)).length;
    if (given > 1) return `--${flag} given ${given} times; give it once (see tap-basecamp --help)`;
  }
  return undefined;
}

const blank = (value: unknown) => String(value).trim() === '';
const emptyPath = (flag: 'catalog' | 'properties' | 'state') => (args: Args) =>
  args[flag] !== undefined && blank(args[flag]) ? `--${flag} needs a file path, not an empty string (see tap-basecamp --help)` : undefined;

/** The checks of parsed flags yargs does not make, in the order they are reported. */
const ARG_CHECKS: ReadonlyArray<(args: Args) => string | undefined> = [
  emptyPath('catalog'),
  emptyPath('properties'),
  emptyPath('state'),
  (args) => ((args.config ?? []).some(blank) ? '--config needs a file path, not an empty string (see tap-basecamp --help)' : undefined),
  (args) =>
    args['log-level'] !== undefined && !parseLevel(args['log-level'])
      ? `--log-level must be one of debug, info, warn, error (got "${args['log-level']}")`
      : undefined,
];

/** The first problem of the parsed flags; undefined when there is none. */
export function argsProblem(args: Args): string | undefined {
  for (const check of ARG_CHECKS) {
    const problem = check(args);
    if (problem) return problem;
  }
  return undefined;
}

/** The warning for a catalog given with --discover, which prints the catalog of every stream and reads none. */
export function discoveryIgnores(args: Pick<Args, 'discover' | 'catalog' | 'properties'>): string | undefined {
  if (!args.discover) return undefined;
  const given = (['catalog', 'properties'] as const).filter((f) => args[f] !== undefined).map((f) => `--${f} ${args[f]}`);
  return given.length > 0 ? `--discover prints the catalog of every stream: ignoring ${given.join(' and ')}` : undefined;
}
