/**
 * The command line's flags: the yargs parser, then the checks of checks.ts. Each problem is one
 * line on stderr and exit code 2.
 */
import yargs from 'yargs';
import { Logger, parseLevel } from '../log';
import { Args, argsProblem, discoveryIgnores, repeatedFlag } from './checks';
import { version } from './version';

export type { Args };

const EPILOG = `Commands:
  tap-basecamp auth --client-id ID --client-secret SECRET [--output config.json]
      get a refresh token through Launchpad and write a ready config (tap-basecamp auth --help)

Every config key can come from the environment as TAP_BASECAMP_<KEY> (TAP_BASECAMP_ACCOUNT_ID,
TAP_BASECAMP_CLIENT_ID, TAP_BASECAMP_CLIENT_SECRET, TAP_BASECAMP_REFRESH_TOKEN, ...); a config
file wins. --config ENV: settings from the environment only. The log level (debug, info, warn,
error) is --log-level, else TAP_BASECAMP_LOGLEVEL, else LOG_LEVEL, else LOGLEVEL, else info.

Exit codes: 0 done; 1 failed (one line on stderr says why); 2 bad command line; on SIGINT or
SIGTERM the tap writes a final resumable STATE and dies of that signal.`;

function parser(argv: string[], onFail: (message: string) => void) {
  return (
    yargs(argv)
      .scriptName('tap-basecamp')
      .parserConfiguration({ 'camel-case-expansion': false })
      .usage('$0 --config CONFIG [--discover | --catalog CATALOG] [--state STATE]')
      .option('config', {
        type: 'string',
        array: true,
        describe: 'Config JSON file (repeatable; later files override earlier ones), or ENV: settings from the environment only',
      })
      .option('discover', { type: 'boolean', describe: 'Print the catalog of every stream' })
      .option('catalog', { type: 'string', describe: 'Sync the streams selected in this catalog' })
      .option('properties', { type: 'string', describe: 'Synonym of --catalog (older Singer taps)' })
      .option('state', { type: 'string', describe: 'Resume from this state (the value of a STATE message)' })
      .option('about', { type: 'boolean', describe: 'Print name, version, capabilities, settings and streams' })
      .option('format', { type: 'string', choices: ['json', 'markdown'], default: 'json', describe: 'Format of --about' })
      .option('test', { type: 'boolean', describe: 'Check the connection: refresh the token and read one page of projects' })
      .option('log-level', { type: 'string', describe: 'debug, info, warn or error (default: $TAP_BASECAMP_LOGLEVEL, $LOG_LEVEL, $LOGLEVEL or info)' })
      // Meltano passes the catalog it cached along with --discover: discovery wins, as in SDK taps.
      .conflicts('discover', 'test')
      .conflicts('catalog', 'properties')
      .epilogue(EPILOG)
      .strict()
      .help()
      .alias('help', 'h')
      .version(version())
      .exitProcess(false)
      .fail((message, err) => onFail(message || err?.message || 'invalid arguments'))
  );
}

/**
 * The flags of a run, or the exit code when there is nothing to run: 0 after --help or
 * --version (yargs printed them), 2 after a bad command line (one line on stderr). Sets the
 * log level the flags ask for.
 */
export async function parseArgs(argv: string[], log: Logger): Promise<Args | number> {
  if (argv[0] === 'help' && argv.length === 1) argv = ['--help'];
  let usageError: string | undefined;
  const flags = parser(argv, (message) => {
    usageError = message;
  });
  const repeated = repeatedFlag(argv);
  if (repeated) {
    log.error(repeated);
    return 2;
  }
  const args = (await flags.parse()) as Args;
  if (usageError) {
    // yargs puts the reason after a first line such as "Invalid values:"; keep both.
    const reason = usageError
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .join(' ');
    log.error(`${reason} (see tap-basecamp --help)`);
    return 2;
  }
  if (argv.includes('--help') || argv.includes('-h') || argv.includes('--version')) return 0;
  const problem = argsProblem(args);
  if (problem) {
    log.error(problem);
    return 2;
  }
  const level = args['log-level'] !== undefined ? parseLevel(args['log-level']) : undefined;
  if (level) log.setLevel(level);
  const ignored = discoveryIgnores(args);
  if (ignored) log.warn(ignored);
  return args;
}
