/** The bench's command line (see bench.ts for what each flag does). */
export type Product = 'bc3' | 'bcx';
export type Mode = 'limited' | 'unlimited';

export interface Options {
  product: Product;
  records: number;
  /** Projects the bc3 records are spread over (default: the simulator's, 10 × √(records / 1500)). */
  projects?: number;
  /** The simulator's reading where to-do list groups are also served by the recordings endpoint. */
  groupsInRecordings: boolean;
  /** The simulator's reading where a change inside a project leaves the project's updated_at where it was. */
  projectsStay: boolean;
  mode: Mode;
  latencyMs?: number;
  concurrency?: number;
  json: boolean;
  timeoutMin: number;
  maxRate?: number;
  seed?: number;
  verify?: boolean;
  incremental: boolean;
  /** Changes made to the account after the no-change run, before a third run (implies incremental). */
  changes?: number;
  /** Passed to the tap's config as full_refresh_hours, only when given. */
  fullRefreshHours?: number;
  /** Streams selected beyond the default ones (opt-in streams): the runs then pass a catalog. */
  select: string[];
}

export const USAGE =
  'usage: npm run bench -- [--product bc3|bcx] [--records N] [--projects N] [--groups-in-recordings] [--projects-stay] [--mode limited|unlimited] [--latency-ms MS] [--concurrency N] [--incremental] [--changes N] ' +
  '[--full-refresh-hours H] [--select NAME]... [--json] [--timeout-min MIN] [--max-rate N] [--seed S] [--verify | --no-verify]';

/** A bad command line (an empty message: --help). */
export class UsageError extends Error {}

function num(flag: string, v: string | undefined, min: number): number {
  const n = Number(v);
  if (v === undefined || v === '' || !Number.isFinite(n) || n < min) throw new UsageError(`${flag} needs a number >= ${min}`);
  return n;
}

/** `--flag=value` is `--flag value`. */
function splitEquals(argv: string[]): string[] {
  const args: string[] = [];
  for (const a of argv) {
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) args.push(a.slice(0, eq), a.slice(eq + 1));
    else args.push(a);
  }
  return args;
}

/** What a flag does to the options; `next` takes the flag's value (the next argument). */
type Flag = (o: Options, next: () => string | undefined, flag: string) => void;

const help: Flag = () => {
  throw new UsageError('');
};

const FLAGS = new Map<string, Flag>([
  [
    '--product',
    (o, next) => {
      const p = next();
      if (p !== 'bc3' && p !== 'bcx') throw new UsageError('--product must be bc3 or bcx');
      o.product = p;
    },
  ],
  ['--incremental', (o) => (o.incremental = true)],
  [
    '--changes',
    (o, next, a) => {
      o.changes = Math.round(num(a, next(), 1));
      o.incremental = true;
    },
  ],
  ['--full-refresh-hours', (o, next, a) => (o.fullRefreshHours = num(a, next(), 0))],
  [
    '--select',
    (o, next, a) => {
      const name = next();
      if (!name || name.startsWith('--')) throw new UsageError(`${a} needs a stream name`);
      o.select.push(name);
    },
  ],
  ['--records', (o, next, a) => (o.records = Math.round(num(a, next(), 1)))],
  ['--projects', (o, next, a) => (o.projects = Math.round(num(a, next(), 1)))],
  ['--groups-in-recordings', (o) => (o.groupsInRecordings = true)],
  ['--projects-stay', (o) => (o.projectsStay = true)],
  [
    '--mode',
    (o, next) => {
      const m = next();
      if (m !== 'limited' && m !== 'unlimited') throw new UsageError('--mode must be limited or unlimited');
      o.mode = m;
    },
  ],
  ['--latency-ms', (o, next, a) => (o.latencyMs = num(a, next(), 0))],
  ['--concurrency', (o, next, a) => (o.concurrency = Math.round(num(a, next(), 1)))],
  ['--json', (o) => (o.json = true)],
  ['--timeout-min', (o, next, a) => (o.timeoutMin = num(a, next(), 0.01))],
  ['--max-rate', (o, next, a) => (o.maxRate = Math.round(num(a, next(), 1)))],
  ['--seed', (o, next, a) => (o.seed = Math.round(num(a, next(), 0)))],
  ['--verify', (o) => (o.verify = true)],
  ['--no-verify', (o) => (o.verify = false)],
  ['--help', help],
  ['-h', help],
]);

export function parseArgs(argv: string[]): Options {
  const o: Options = {
    product: 'bc3',
    records: 10_000,
    mode: 'limited',
    json: false,
    timeoutMin: 30,
    incremental: false,
    groupsInRecordings: false,
    projectsStay: false,
    select: [],
  };
  const args = splitEquals(argv);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const flag = FLAGS.get(a);
    if (!flag) throw new UsageError(`unknown argument ${a}`);
    flag(o, () => args[++i], a);
  }
  // The changes are made through the Basecamp 3 account's own API; the bcx one has another.
  if (o.changes !== undefined && o.product !== 'bc3') throw new UsageError('--changes needs --product bc3');
  return o;
}
