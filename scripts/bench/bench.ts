/**
 * `npm run bench -- [--product bc3|bcx] [--records N] [--projects N] [--groups-in-recordings]
 *                   [--mode limited|unlimited] [--latency-ms MS]
 *                   [--concurrency N] [--incremental] [--json] [--timeout-min MIN] [--max-rate N]
 *                   [--seed S] [--verify | --no-verify]`
 *
 * Starts the Basecamp simulator in this process, runs the BUILT tap against it as a child
 * process (`node -r scripts/bench/measure.js bin/tap-basecamp --config <tmp>/config.json`) and
 * reports what the run cost:
 *
 *   limited   (default) the simulator answers after --latency-ms (default 100) and enforces
 *             the product's limit (Basecamp 3: 50 requests per 10 s; Basecamp 2: 500 per 10 s);
 *             the tap runs with its config defaults (max_requests_per_10s unset, so 50 for bc3
 *             and 500 for bcx; max_concurrency 8). Measures how close the tap gets to the ideal
 *             time, minimum requests / (5 or 50) per second.
 *   unlimited no latency, no rate limit, and the tap's own limiter opened as far as its config
 *             allows (100000 asked, clamped to the config schema's maximum): measures CPU per
 *             record and memory.
 *
 * --product bc3 (default) reads the simulator's Basecamp 3 account, sized by --records (spread over
 * --projects, default the simulator's 10 × √(records / 1500); --groups-in-recordings serves it
 * under the reading where the recordings endpoint also lists to-do list groups); --product
 * bcx its Basecamp 2 account (sized by --records, with the bc3 account left at its small default).
 * The bcx config carries no basecamp_product, so the tap asks Launchpad once, as a run whose
 * config does not say would.
 *
 * --incremental: after the full sync, the simulated clock moves on an hour (nothing else changes)
 * and the tap runs again with the last STATE the full sync wrote; that run is reported as a second
 * block (and as `incremental` in --json). Its rate-limit window starts empty, as an hour later.
 *
 * The tap's stdout goes to a counting sink (lines, RECORD lines per stream; only the last STATE
 * line is kept), its stderr to <tmp>/tap.log (tap-incremental.log for the second run). measure.js
 * writes the tap's CPU time and peak RSS on exit. "Minimum requests" is the number of distinct API
 * URLs (path + query) answered 200 or 304, so requests - minimum is the waste (429s, retries,
 * duplicate reads). Launchpad requests (/authorization...) are counted apart.
 *
 * Exits 1 when a tap run failed (non-zero exit, killed, or over --timeout-min, default 30),
 * 2 on bad arguments.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RateLimit, Simulator, startSimulator } from '../../simulator';
import { Options, parseArgs, Product, USAGE, UsageError } from './args';
import { buildInfo, schemaMaxRate } from './build-info';
import { Account, endpointLines, figures, fmt, Measured, mb, readLog, repeatedLines, round, table, verify } from './report';
import { ROOT, runTap, TapRun } from './run-tap';
import { analyse, stampArrivals, watchEmptyLists } from './traffic';

/** Each product's documented limit: what limited mode enforces, and the tap's default rate. */
const RATE_LIMITS: Record<Product, RateLimit> = {
  bc3: { requests: 50, windowMs: 10_000 },
  bcx: { requests: 500, windowMs: 10_000 },
};
const PRODUCT_TITLE: Record<Product, string> = { bc3: 'Basecamp 3', bcx: 'Basecamp 2' };
/** How far the simulated clock moves between the full sync and the --incremental run. */
const INCREMENTAL_AFTER_MS = 3_600_000;
/** What unlimited mode asks of the tap's limiter (clamped to what the config schema accepts). */
const UNLIMITED_RATE = 100_000;
/** Record counts up to this are checked against the simulator's expected records by default. */
const VERIFY_UP_TO = 100_000;
const TOP_ENDPOINTS = 12;

const say = (line: string) => process.stderr.write(`${line}\n`);

/** The run's settings, derived from the options: limits, latency, the tap's config, notes. */
interface Setup {
  limited: boolean;
  limit: RateLimit;
  perSecond: number;
  latencyMs: number;
  notes: string[];
  tapConfig: Record<string, unknown>;
  limitText: string;
  dir: string;
}

/** The options, or the exit code once a bad command line (or --help) has been answered. */
function options(): Options | number {
  try {
    return parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    if (err.message) process.stderr.write(`bench: ${err.message}\n`);
    process.stderr.write(`${USAGE}\n`);
    return err.message ? 2 : 0;
  }
}

/** The tap's config beyond the account's: its limiter opened in unlimited mode, its concurrency. */
function tapConfigFor(o: Options, limited: boolean, notes: string[]): Record<string, unknown> {
  const tapConfig: Record<string, unknown> = {};
  if (!limited) {
    let rate = o.maxRate ?? UNLIMITED_RATE;
    const max = schemaMaxRate();
    if (max !== undefined && rate > max) {
      notes.push(
        `max_requests_per_10s ${rate} is over the config schema's maximum (${max}); using ${max} (tap limiter spacing ~${Math.ceil((10_000 / max) * 1.02)} ms)`,
      );
      rate = max;
    }
    tapConfig.max_requests_per_10s = rate;
  } else if (o.maxRate !== undefined) tapConfig.max_requests_per_10s = o.maxRate;
  if (o.concurrency !== undefined) tapConfig.max_concurrency = o.concurrency;
  return tapConfig;
}

function setUp(o: Options): Setup {
  const limited = o.mode === 'limited';
  const limit = RATE_LIMITS[o.product];
  const notes: string[] = [];
  const tapConfig = tapConfigFor(o, limited, notes);
  const latencyMs = o.latencyMs ?? (limited ? 100 : 0);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tap-basecamp-bench-'));
  const limitText = `${limit.requests}/${limit.windowMs / 1000} s`;
  say(
    `bench: ${PRODUCT_TITLE[o.product]} (${o.product}), ${o.mode} mode, ~${o.records} records, latency ${latencyMs} ms${limited ? `, rate limit ${limitText}` : ''}${o.incremental ? ', then a no-change incremental run' : ''}; files in ${dir}`,
  );
  for (const n of notes) say(`bench: note: ${n}`);
  return { limited, limit, perSecond: limit.requests / (limit.windowMs / 1000), latencyMs, notes, tapConfig, limitText, dir };
}

/** What the runs gave: the full sync, the incremental one (or why not), the record check, the machine. */
interface Outcome {
  full: Measured;
  second?: Measured;
  secondSkipped?: string;
  stateBytes?: number;
  checked?: ReturnType<typeof verify>;
  simCpu: NodeJS.CpuUsage;
  generateSeconds: number;
  build: ReturnType<typeof buildInfo>;
  loadBefore: number;
  loadAfter: number;
  simMaxRssKb: number;
}

const succeeded = (r: TapRun) => !r.timedOut && !r.spawnError && r.code === 0 && r.signal === null;

/** The simulator, the account under test, and the tap runs against it. */
class Bench {
  private account: Account;
  private configFile: string;
  private arrivals: number[];
  private emptyLists: Map<string, number>;

  private constructor(
    private o: Options,
    private s: Setup,
    private sim: Simulator,
    readonly generateSeconds: number,
  ) {
    this.account =
      o.product === 'bc3'
        ? {
            config: (extra) => sim.config(extra),
            streamNames: () => sim.streamNames(),
            expectedRecords: (stream) => sim.expectedRecords(stream),
            advanceClock: (ms) => sim.advanceClock(ms),
            setRateLimit: (r) => sim.setRateLimit(r),
          }
        : sim.bcx;
    const simHeapAfterGenerate = process.memoryUsage().heapUsed;
    say(`bench: simulator at ${sim.baseUrl}, account generated in ${generateSeconds.toFixed(1)} s (heap ${(simHeapAfterGenerate / 2 ** 20).toFixed(0)} MB)`);
    this.configFile = path.join(s.dir, 'config.json');
    fs.writeFileSync(this.configFile, JSON.stringify(this.account.config(s.tapConfig), null, 2) + '\n', { mode: 0o600 });
    this.arrivals = stampArrivals(sim);
    this.emptyLists = watchEmptyLists();
  }

  static async start(o: Options, s: Setup): Promise<Bench> {
    const genStarted = Date.now();
    const seed = o.seed !== undefined ? { seed: o.seed } : {};
    const rateLimit = s.limited ? s.limit : null;
    const sim = await startSimulator(
      o.product === 'bc3'
        ? { records: o.records, projects: o.projects, latencyMs: s.latencyMs, rateLimit, readings: { groupsInRecordings: o.groupsInRecordings }, ...seed }
        : { latencyMs: s.latencyMs, rateLimit: null, ...seed, bcx: { records: o.records, rateLimit } },
    );
    return new Bench(o, s, sim, (Date.now() - genStarted) / 1000);
  }

  private async measureRun(name: string, stateFile?: string): Promise<Measured> {
    const { sim, arrivals, emptyLists } = this;
    sim.resetRequests();
    arrivals.length = 0;
    emptyLists.clear();
    const startedAt = Date.now();
    const run = await runTap(
      this.configFile,
      this.s.dir,
      this.o.timeoutMin * 60_000,
      (elapsed, sink) => {
        const r429 = sim.requests.reduce((n, e) => n + (e.status === 429 ? 1 : 0), 0);
        say(
          `bench: ${name === 'tap' ? '' : `${name}: `}${(elapsed / 1000).toFixed(0)} s: ${sink.records} records, ${sim.requests.length} requests, ${r429} answered 429`,
        );
      },
      { name, stateFile },
    );
    const logFile = path.join(this.s.dir, `${name}.log`);
    return { run, traffic: analyse(sim.requests, arrivals, startedAt, emptyLists, this.s.limit.windowMs), log: readLog(logFile), logFile };
  }

  /** The incremental run an hour later, from the full sync's last STATE (or why it was not run). */
  private async incremental(full: Measured): Promise<Pick<Outcome, 'second' | 'secondSkipped' | 'stateBytes'>> {
    const line = full.run.sink.lastState;
    if (!succeeded(full.run)) return { secondSkipped: 'not run: the full sync failed' };
    if (!line) return { secondSkipped: 'not run: the full sync wrote no STATE' };
    const stateFile = path.join(this.s.dir, 'state.json');
    const value = (JSON.parse(line) as { value: unknown }).value;
    const text = JSON.stringify(value);
    const stateBytes = Buffer.byteLength(text);
    fs.writeFileSync(stateFile, text + '\n');
    this.account.advanceClock(INCREMENTAL_AFTER_MS);
    // An hour later the account's rate-limit window holds none of the full sync's requests.
    if (this.s.limited) this.account.setRateLimit(this.s.limit);
    say(`bench: full sync done; clock +1 h, incremental run with ${stateFile} (${stateBytes} bytes)`);
    return { stateBytes, second: await this.measureRun('tap-incremental', stateFile) };
  }

  async runAll(): Promise<Outcome> {
    const build = buildInfo();
    const loadBefore = os.loadavg()[0] as number;
    const cpuBefore = process.cpuUsage();
    const shouldVerify = this.o.verify ?? this.o.records <= VERIFY_UP_TO;
    let runs: Pick<Outcome, 'full' | 'simCpu' | 'checked' | 'second' | 'secondSkipped' | 'stateBytes'>;
    try {
      const full = await this.measureRun('tap');
      const simCpu = process.cpuUsage(cpuBefore);
      // Before the clock moves: what a full sync must have written.
      const checked = shouldVerify ? verify(this.account, full.run.sink.byStream) : undefined;
      runs = { full, simCpu, checked, ...(this.o.incremental ? await this.incremental(full) : {}) };
    } finally {
      // Analysis below reads the logs; the server can go.
      await this.sim.stop().catch(() => undefined);
    }
    const loadAfter = os.loadavg()[0] as number;
    const simMaxRssKb = process.resourceUsage().maxRSS;
    return { ...runs, generateSeconds: this.generateSeconds, build, loadBefore, loadAfter, simMaxRssKb };
  }
}

type Figures = ReturnType<typeof figures>;

/** The result as --json gives it (the full sync's figures at the top level). */
function resultOf(o: Options, s: Setup, out: Outcome, f: Figures, s2: Figures | undefined) {
  const { tapConfig, limited, limit } = s;
  const { second } = out;
  return {
    product: o.product,
    mode: o.mode,
    recordsRequested: o.records,
    latencyMs: s.latencyMs,
    simulatorRateLimit: limited ? limit : null,
    tapConfig: {
      max_requests_per_10s: tapConfig.max_requests_per_10s ?? limit.requests,
      max_concurrency: tapConfig.max_concurrency ?? 8,
      max_requests_per_10s_set: tapConfig.max_requests_per_10s !== undefined,
    },
    ...f,
    recordsExpected: out.checked?.expected,
    recordMismatches: out.checked?.mismatches,
    simulatorGenerateSeconds: round(out.generateSeconds, 1),
    simulatorCpuSeconds: round((out.simCpu.user + out.simCpu.system) / 1e6, 1),
    simulatorPeakRssMB: mb(out.simMaxRssKb),
    incremental: o.incremental
      ? s2
        ? {
            clockAdvancedMs: INCREMENTAL_AFTER_MS,
            stateBytes: out.stateBytes,
            ...s2,
            requestsByEndpoint: second!.traffic.byEndpoint,
            repeatedUrls: second!.traffic.repeatedUrls,
            recordsByStream: Object.fromEntries([...second!.run.sink.byStream].sort()),
            tapMemoryTimeline: second!.run.measure?.memoryTimeline,
          }
        : { skipped: out.secondSkipped }
      : undefined,
    build: out.build,
    loadAverage1m: { before: round(out.loadBefore, 2), after: round(out.loadAfter, 2) },
    cpus: os.cpus().length,
    notes: s.notes,
    dir: s.dir,
  };
}
type Result = ReturnType<typeof resultOf>;

/** The texts of figures both tables show. */
const texts = {
  wasted: (x: Figures) => `${fmt(x.wastedRequests)} (${fmt(x.rateLimited)} answered 429, ${fmt(x.duplicateReads)} duplicate reads)`,
  empty: (x: Figures) => `${fmt(x.emptyListResponses)} (${x.requests ? ((100 * x.emptyListResponses) / x.requests).toFixed(1) : 0}% of requests)`,
  status: (x: Figures) =>
    Object.entries(x.requestsByStatus)
      .map(([st, n]) => `${st}: ${n}`)
      .join(', '),
  r429: (x: Figures) =>
    `${fmt(x.rateLimited)}${x.rateLimited ? ` (${x.rateLimitedAfter10s} after the first 10 s; at ${x.rateLimitedAtSeconds.join(', ')} s)` : ''}`,
  exit: (x: Figures, r: TapRun) => `${r.code ?? 'none'}${r.signal ? ` (signal ${r.signal})` : ''}${x.failure ? ` — FAILED: ${x.failure}` : ''}`,
  ideal: (s: Setup) => `ideal time (s) = minimum / ${fmt(s.perSecond)} per s`,
  checked: (out: Outcome) =>
    out.checked
      ? `${fmt(out.checked.expected)}${out.checked.mismatches.length ? ` — ${out.checked.mismatches.length} streams differ` : ' — all streams match'}`
      : 'not checked',
};

/** The full sync's table: what it wrote and what it cost. */
function fullRows(o: Options, s: Setup, out: Outcome, f: Figures, result: Result): Array<[string, unknown]> {
  const { limited, limit, tapConfig } = s;
  const { full, build } = out;
  return [
    ['product', `${PRODUCT_TITLE[o.product]} (${o.product})`],
    [
      'mode',
      `${o.mode} (latency ${s.latencyMs} ms${limited ? `, simulator limit ${s.limitText}` : ', no limit'}; tap max_requests_per_10s ${result.tapConfig.max_requests_per_10s}${tapConfig.max_requests_per_10s === undefined ? ' (default)' : ''}, max_concurrency ${result.tapConfig.max_concurrency})`,
    ],
    ['records (RECORD messages)', f.records],
    ['records expected (simulator)', texts.checked(out)],
    ['requests made (API)', f.requests],
    ['minimum requests (distinct URLs 200/304)', f.minimumRequests],
    ['requests / minimum', f.requestsPerMinimum?.toFixed(3)],
    ['wasted requests (made - minimum)', texts.wasted(f)],
    ['answered with an empty list', texts.empty(f)],
    ['requests by status', texts.status(f)],
    ['429s received', texts.r429(f)],
    [`busiest ${limit.windowMs / 1000} s / 1 s (requests)`, `${f.maxRequestsIn10s} / ${f.maxRequestsIn1s} (mean ${f.meanRequestsPerSecond}/s)`],
    ['Launchpad requests', f.launchpadRequests],
    ['wall time (s)', f.wallSeconds],
    [texts.ideal(s), limited ? f.idealSeconds : 'n/a (unlimited)'],
    ['ratio wall / ideal', limited ? f.ratioToIdeal : 'n/a (unlimited)'],
    ['tap CPU user + system (s)', full.run.measure ? `${fmt(f.tapCpuUserSeconds)} + ${fmt(f.tapCpuSystemSeconds)}` : 'n/a (no measure)'],
    ['records per tap CPU-second', f.recordsPerCpuSecond],
    ['tap peak RSS (MB)', full.run.measure ? f.tapPeakRssMB : `n/a from measure.js; /proc showed ${fmt(f.tapPeakRssFromProcMB)}`],
    ['tap peak heap used (MB)', f.tapPeakHeapUsedMB],
    ['tap heap used over the run (s: MB)', f.tapMemoryOutline.map(([t, h]) => `${t}: ${h}`).join(', ') || 'n/a'],
    ['simulator: generate s / CPU s / peak RSS MB', `${result.simulatorGenerateSeconds} / ${result.simulatorCpuSeconds} / ${fmt(result.simulatorPeakRssMB)}`],
    ['stdout (lines / MB / STATE messages)', `${fmt(f.stdoutLines)} / ${f.stdoutMB} / ${fmt(f.stateMessages)}`],
    ['tap exit code', texts.exit(f, full.run)],
    ['tap log: 429 / retry warnings, errors', `${f.tapLogRateLimitWarnings} / ${f.tapLogRetryWarnings}, ${f.tapLogErrors}`],
    ['tap log last line', f.tapLogLastLine],
    ['tap log', full.logFile],
    ['build', `HEAD ${build.commit ?? '?'}${build.srcChanged.length ? ` + uncommitted src/ (${build.srcChanged.join(', ')})` : ''}, dist ${build.distHash}`],
    ['load average (1 min) before / after', `${result.loadAverage1m.before} / ${result.loadAverage1m.after} on ${result.cpus} CPUs`],
  ];
}

/** The incremental run's table. */
function incrementalRows(s: Setup, second: Measured, s2: Figures): Array<[string, unknown]> {
  const r = second.run;
  return [
    ['records (RECORD messages)', s2.records],
    ['requests made (API)', s2.requests],
    ['minimum requests (distinct URLs 200/304)', s2.minimumRequests],
    ['requests / minimum', s2.requestsPerMinimum?.toFixed(3)],
    ['wasted requests (made - minimum)', texts.wasted(s2)],
    ['answered with an empty list', texts.empty(s2)],
    ['requests by status', texts.status(s2)],
    ['429s received', texts.r429(s2)],
    ['Launchpad requests', s2.launchpadRequests],
    ['wall time (s)', s2.wallSeconds],
    [texts.ideal(s), s.limited ? s2.idealSeconds : 'n/a (unlimited)'],
    ['ratio wall / ideal', s.limited ? s2.ratioToIdeal : 'n/a (unlimited)'],
    ['tap CPU user + system (s)', r.measure ? `${fmt(s2.tapCpuUserSeconds)} + ${fmt(s2.tapCpuSystemSeconds)}` : 'n/a (no measure)'],
    ['tap peak RSS / heap used (MB)', `${fmt(s2.tapPeakRssMB ?? s2.tapPeakRssFromProcMB)} / ${fmt(s2.tapPeakHeapUsedMB)}`],
    ['stdout (lines / MB / STATE messages)', `${fmt(s2.stdoutLines)} / ${s2.stdoutMB} / ${fmt(s2.stateMessages)}`],
    ['tap exit code', texts.exit(s2, r)],
    ['tap log last line', s2.tapLogLastLine],
    ['tap log', second.logFile],
  ];
}

/** The report: on stdout, or on stderr when stdout carries the --json line. */
function printReport(o: Options, s: Setup, out: Outcome, f: Figures, s2: Figures | undefined, result: Result): void {
  const print = o.json ? say : (line: string) => process.stdout.write(`${line}\n`);
  print('');
  print(table(fullRows(o, s, out, f, result)));
  if (out.checked?.mismatches.length) {
    print('');
    print('streams whose record count differs from the simulator:');
    for (const m of out.checked.mismatches) print(`  ${m.stream.padEnd(24)} expected ${m.expected}, got ${m.got}`);
  }
  print('');
  for (const line of endpointLines(out.full.traffic, TOP_ENDPOINTS)) print(line);
  print('');
  for (const line of repeatedLines(out.full.traffic, TOP_ENDPOINTS)) print(line);
  if (o.incremental) {
    print('');
    print(
      `incremental run (clock +1 h, nothing changed, --state from the full sync's last STATE${out.stateBytes !== undefined ? `, ${fmt(out.stateBytes)} bytes` : ''})`,
    );
    if (!out.second || !s2) print(`  ${out.secondSkipped}`);
    else {
      print(table(incrementalRows(s, out.second, s2)));
      print('');
      for (const line of endpointLines(out.second.traffic, 40)) print(line);
      print('');
      for (const line of repeatedLines(out.second.traffic, TOP_ENDPOINTS)) print(line);
    }
  }
  for (const n of s.notes) print(`note: ${n}`);
}

async function main(): Promise<number> {
  const o = options();
  if (typeof o === 'number') return o;
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) {
    say('bench: dist/cli.js is missing; run `npm run build` first (npm run bench does)');
    return 2;
  }
  const s = setUp(o);
  const bench = await Bench.start(o, s);
  const out = await bench.runAll();
  const perSecond = s.limited ? s.perSecond : undefined;
  const f = figures(out.full, perSecond, o.timeoutMin);
  const s2 = out.second ? figures(out.second, perSecond, o.timeoutMin) : undefined;
  const result = resultOf(o, s, out, f, s2);
  printReport(o, s, out, f, s2, result);
  const { full, second } = out;
  if (o.json)
    process.stdout.write(
      JSON.stringify({
        ...result,
        tapMemoryTimeline: full.run.measure?.memoryTimeline,
        requestsByEndpoint: full.traffic.byEndpoint,
        repeatedUrls: full.traffic.repeatedUrls,
        recordsByStream: Object.fromEntries([...full.run.sink.byStream].sort()),
      }) + '\n',
    );
  const ok = succeeded(full.run) && (!o.incremental || (second !== undefined && succeeded(second.run)));
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
