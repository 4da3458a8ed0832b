/**
 * `npm run bench -- [--product bc3|bcx] [--records N] [--projects N] [--groups-in-recordings]
 *                   [--mode limited|unlimited] [--latency-ms MS]
 *                   [--concurrency N] [--incremental] [--changes N] [--full-refresh-hours H]
 *                   [--json] [--timeout-min MIN] [--max-rate N] [--seed S] [--verify | --no-verify]`
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
 * under the reading where the recordings endpoint also lists to-do list groups; --projects-stay
 * under the one where a change inside a project does not move the project's updated_at); --product
 * bcx its Basecamp 2 account (sized by --records, with the bc3 account left at its small default).
 * The bcx config carries no basecamp_product, so the tap asks Launchpad once, as a run whose
 * config does not say would.
 *
 * --incremental: after the full sync, the simulated clock moves on an hour (nothing else changes)
 * and the tap runs again with the last STATE the full sync wrote; that run is reported as a second
 * block (and as `incremental` in --json). Its rate-limit window starts empty, as an hour later.
 *
 * --changes N (implies --incremental, bc3 only): after the no-change run, N changes are made to the
 * account through the simulator's API (changes.ts: edits, new to-dos, comments and campfire lines,
 * completions, a few archived or trashed records, over random projects; the same --seed makes the
 * same changes), the clock moves on another hour, and the tap runs a third time from the no-change
 * run's last STATE (`changes` in --json). The report gives each run's requests against the full
 * sync's and (changes run - no-change run) / N, the requests per changed record. When records are
 * verified, the replica (the full sync's records, then both later runs', upserted on each stream's
 * key) is compared with the simulator's expected records, field for field (replica.ts).
 *
 * --full-refresh-hours H is passed to the tap's config as full_refresh_hours (only when given).
 *
 * The tap's stdout goes to a counting sink (lines, RECORD lines per stream; only the last STATE
 * line is kept; a copy goes to <tmp>/<run>.out when the replica is checked, removed when it matches), its stderr to <tmp>/tap.log
 * (tap-incremental.log, tap-changes.log for the later runs). measure.js
 * writes the tap's CPU time and peak RSS on exit. "Minimum requests" is the number of distinct API
 * URLs (path + query) answered 200 or 304, so requests - minimum is the waste (429s, retries,
 * duplicate reads). Launchpad requests (/authorization...) are counted apart.
 *
 * Exits 1 when a tap run failed (non-zero exit, killed, or over --timeout-min, default 30), or when
 * --verify was given and the replica after --changes differs from the account beyond the changes
 * the tap may leave to its full_refresh_hours window (changes.ts leftToWindow; those must then
 * arrive in one more run that many hours later); 2 on bad arguments.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RateLimit, Simulator, startSimulator } from '../../simulator';
import { Options, parseArgs, Product, USAGE, UsageError } from './args';
import { buildInfo } from './build-info';
import { ChangesMade, leftToWindow, makeChanges } from './changes';
import { INCREMENTAL_AFTER_MS, Outcome, PRODUCT_TITLE, printReport, resultOf, RunFigures, Setup } from './output';
import { beyondWindow, compareReplica, mergeRuns } from './replica';
import { Account, figures, Measured, readLog, verify } from './report';
import { ROOT, runTap, TapRun } from './run-tap';
import { tapConfigFor, writeCatalog } from './tap-config';
import { OPT_IN_STREAMS } from '../../simulator/expected';
import { analyse, stampArrivals, watchEmptyLists } from './traffic';

/** Each product's documented limit: what limited mode enforces, and the tap's default rate. */
const RATE_LIMITS: Record<Product, RateLimit> = {
  bc3: { requests: 50, windowMs: 10_000 },
  bcx: { requests: 500, windowMs: 10_000 },
};
/** Record counts up to this are checked against the simulator's expected records by default. */
const VERIFY_UP_TO = 100_000;
const DEFAULT_SEED = 42;
/** The tap's full_refresh_hours when the config does not set it. */
const DEFAULT_FULL_REFRESH_HOURS = 24;

const say = (line: string) => process.stderr.write(`${line}\n`);

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

function setUp(o: Options): Setup {
  const limited = o.mode === 'limited';
  const limit = RATE_LIMITS[o.product];
  const notes: string[] = [];
  const tapConfig = tapConfigFor(o, limited, notes);
  const latencyMs = o.latencyMs ?? (limited ? 100 : 0);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tap-basecamp-bench-'));
  const limitText = `${limit.requests}/${limit.windowMs / 1000} s`;
  say(
    `bench: ${PRODUCT_TITLE[o.product]} (${o.product}), ${o.mode} mode, ~${o.records} records, latency ${latencyMs} ms${limited ? `, rate limit ${limitText}` : ''}${o.incremental ? ', then a no-change incremental run' : ''}${o.changes ? `, then ${o.changes} changes and another run` : ''}; files in ${dir}`,
  );
  for (const n of notes) say(`bench: note: ${n}`);
  return { limited, limit, perSecond: limit.requests / (limit.windowMs / 1000), latencyMs, notes, tapConfig, limitText, dir };
}

const succeeded = (r: TapRun) => !r.timedOut && !r.spawnError && r.code === 0 && r.signal === null;

/** The simulator, the account under test, and the tap runs against it. */
class Bench {
  private account: Account;
  private configFile: string;
  /** The catalog the runs pass when --select names streams beyond the default ones. */
  private catalogFile?: string;
  private arrivals: number[];
  private emptyLists: Map<string, number>;
  private shouldVerify: boolean;
  /** The runs' stdout is kept on disk for the replica check after --changes. */
  private capture: boolean;

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
            streamNames: () => sim.streamNames().filter((n) => !(OPT_IN_STREAMS as readonly string[]).includes(n) || o.select.includes(n)),
            expectedRecords: (stream) => sim.expectedRecords(stream),
            advanceClock: (ms) => sim.advanceClock(ms),
            setRateLimit: (r) => sim.setRateLimit(r),
          }
        : sim.bcx;
    const simHeapAfterGenerate = process.memoryUsage().heapUsed;
    say(`bench: simulator at ${sim.baseUrl}, account generated in ${generateSeconds.toFixed(1)} s (heap ${(simHeapAfterGenerate / 2 ** 20).toFixed(0)} MB)`);
    this.configFile = path.join(s.dir, 'config.json');
    fs.writeFileSync(this.configFile, JSON.stringify(this.account.config(s.tapConfig), null, 2) + '\n', { mode: 0o600 });
    if (o.select.length > 0) this.catalogFile = writeCatalog(o.product, o.select, s.dir);
    this.arrivals = stampArrivals(sim);
    this.emptyLists = watchEmptyLists();
    this.shouldVerify = o.verify ?? o.records <= VERIFY_UP_TO;
    this.capture = o.changes !== undefined && this.shouldVerify;
  }

  static async start(o: Options, s: Setup): Promise<Bench> {
    const genStarted = Date.now();
    const seed = o.seed !== undefined ? { seed: o.seed } : {};
    const rateLimit = s.limited ? s.limit : null;
    const sim = await startSimulator(
      o.product === 'bc3'
        ? {
            records: o.records,
            projects: o.projects,
            latencyMs: s.latencyMs,
            rateLimit,
            readings: { groupsInRecordings: o.groupsInRecordings, changesTouchProject: !o.projectsStay },
            ...seed,
          }
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
    const stdoutFile = this.capture ? this.outFile(name) : undefined;
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
      { name, stateFile, stdoutFile, catalogFile: this.catalogFile },
    );
    const logFile = path.join(this.s.dir, `${name}.log`);
    return { run, traffic: analyse(sim.requests, arrivals, startedAt, emptyLists, this.s.limit.windowMs), log: readLog(logFile), logFile };
  }

  private outFile(name: string): string {
    return path.join(this.s.dir, `${name}.out`);
  }

  /** A run's last STATE written to `file` for the next run, or why the next run cannot be made. */
  private saveState(prev: Measured, file: string, what: string): { stateFile: string; stateBytes: number } | string {
    const line = prev.run.sink.lastState;
    if (!succeeded(prev.run)) return `not run: ${what} failed`;
    if (!line) return `not run: ${what} wrote no STATE`;
    const stateFile = path.join(this.s.dir, file);
    const text = JSON.stringify((JSON.parse(line) as { value: unknown }).value);
    fs.writeFileSync(stateFile, text + '\n');
    return { stateFile, stateBytes: Buffer.byteLength(text) };
  }

  /** The clock `ms` on (an hour by default); by then the account's rate-limit window holds none of the last run's requests. */
  private clockOn(ms = INCREMENTAL_AFTER_MS): void {
    this.account.advanceClock(ms);
    if (this.s.limited) this.account.setRateLimit(this.s.limit);
  }

  /** The incremental run an hour later, from the full sync's last STATE (or why it was not run). */
  private async incremental(full: Measured): Promise<Pick<Outcome, 'second' | 'secondSkipped' | 'stateBytes'>> {
    const saved = this.saveState(full, 'state.json', 'the full sync');
    if (typeof saved === 'string') return { secondSkipped: saved };
    this.clockOn();
    say(`bench: full sync done; clock +1 h, incremental run with ${saved.stateFile} (${saved.stateBytes} bytes)`);
    return { stateBytes: saved.stateBytes, second: await this.measureRun('tap-incremental', saved.stateFile) };
  }

  /** --changes: the changes, the clock another hour on, and a run from the no-change run's last STATE. */
  private async afterChanges(second: Measured | undefined, n: number): Promise<Pick<Outcome, 'third' | 'thirdSkipped' | 'changes' | 'changesStateBytes'>> {
    if (!second) return { thirdSkipped: 'not run: the no-change run was not made' };
    const saved = this.saveState(second, 'state-incremental.json', 'the no-change run');
    if (typeof saved === 'string') return { thirdSkipped: saved };
    const changes = makeChanges(this.sim, n, this.o.seed ?? DEFAULT_SEED);
    this.clockOn();
    say(`bench: no-change run done; ${changes.made} changes made, clock +1 h, run with ${saved.stateFile} (${saved.stateBytes} bytes)`);
    for (const r of changes.refused) say(`bench: note: the simulator refused a change: ${r}`);
    return { changes, changesStateBytes: saved.stateBytes, third: await this.measureRun('tap-changes', saved.stateFile) };
  }

  /**
   * The replica after the three runs against the account, when all three ran and their stdout was
   * kept. Where it differs only in changes the tap may leave to the full_refresh_hours window
   * (leftToWindow), one more run that much later must bring them.
   */
  private async replica(runs: Array<Measured | undefined>, changes?: ChangesMade): Promise<Pick<Outcome, 'replica' | 'replicaSkipped' | 'losses' | 'window'>> {
    if (!this.capture)
      return { replicaSkipped: `not checked (${this.o.verify === false ? '--no-verify' : `over ${VERIFY_UP_TO} records: --verify checks it`})` };
    if (!runs.every((m) => m && succeeded(m.run))) return { replicaSkipped: 'not checked: a run failed or was not made' };
    say('bench: comparing the replica after the changes run with the account');
    const files = ['tap', 'tap-incremental', 'tap-changes'].map((n) => this.outFile(n));
    const replica = compareReplica(await mergeRuns(files), this.account);
    const hours = this.o.fullRefreshHours ?? DEFAULT_FULL_REFRESH_HOURS;
    const waits = hours > 0 && changes ? leftToWindow(changes.log, this.o.projectsStay) : new Map<string, Set<string>>();
    const losses = beyondWindow(replica, waits);
    const window = replica.mismatches.length && !losses.length ? await this.windowRun(runs[2]!, files, hours) : undefined;
    // The copies of stdout are kept only where they can explain a difference.
    if (!losses.length && !window?.replica?.mismatches.length) for (const f of [...files, this.outFile('tap-window')]) fs.rmSync(f, { force: true });
    return { replica, losses, window };
  }

  /** A run full_refresh_hours after the changes run, from its STATE: what the window brings, compared again. */
  private async windowRun(changesRun: Measured, files: string[], hours: number): Promise<NonNullable<Outcome['window']>> {
    const saved = this.saveState(changesRun, 'state-changes.json', 'the changes run');
    if (typeof saved === 'string') return { hours, skipped: saved };
    this.clockOn(hours * 3_600_000);
    say(`bench: the replica waits only for changes left to the window; clock +${hours} h, run with ${saved.stateFile}`);
    const run = await this.measureRun('tap-window', saved.stateFile);
    if (!succeeded(run.run)) return { hours, skipped: 'the window run failed' };
    return { hours, requests: this.sim.requests.length, replica: compareReplica(await mergeRuns([...files, this.outFile('tap-window')]), this.account) };
  }

  private async runs(cpuBefore: NodeJS.CpuUsage): Promise<Omit<Outcome, 'generateSeconds' | 'build' | 'loadBefore' | 'loadAfter' | 'simMaxRssKb'>> {
    const full = await this.measureRun('tap');
    const simCpu = process.cpuUsage(cpuBefore);
    // Before the clock moves: what a full sync must have written.
    const checked = this.shouldVerify ? verify(this.account, full.run.sink.byStream) : undefined;
    if (!this.o.incremental) return { full, simCpu, checked };
    const inc = await this.incremental(full);
    if (this.o.changes === undefined) return { full, simCpu, checked, ...inc };
    const ch = await this.afterChanges(inc.second, this.o.changes);
    return { full, simCpu, checked, ...inc, ...ch, ...(await this.replica([full, inc.second, ch.third], ch.changes)) };
  }

  async runAll(): Promise<Outcome> {
    const build = buildInfo();
    const loadBefore = os.loadavg()[0] as number;
    const cpuBefore = process.cpuUsage();
    let runs: Awaited<ReturnType<Bench['runs']>>;
    try {
      runs = await this.runs(cpuBefore);
    } finally {
      // Analysis below reads the logs; the server can go.
      await this.sim.stop().catch(() => undefined);
    }
    const loadAfter = os.loadavg()[0] as number;
    const simMaxRssKb = process.resourceUsage().maxRSS;
    return { ...runs, generateSeconds: this.generateSeconds, build, loadBefore, loadAfter, simMaxRssKb };
  }
}

/** The replica equals the account, or differs only in changes left to the window and the run that much later brought them. */
function replicaHolds(out: Outcome): boolean {
  if (!out.replica || out.losses?.length) return false;
  return !out.replica.mismatches.length || out.window?.replica?.mismatches.length === 0;
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
  const of = (m: Measured | undefined) => (m ? figures(m, perSecond, o.timeoutMin) : undefined);
  const figs: RunFigures = { full: figures(out.full, perSecond, o.timeoutMin), second: of(out.second), third: of(out.third) };
  const result = resultOf(o, s, out, figs);
  printReport(o, s, out, figs, result);
  const { full } = out;
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
  const asked = [full, ...(o.incremental ? [out.second] : []), ...(o.changes !== undefined ? [out.third] : [])];
  // Replica differences fail the bench only when --verify was asked for by name.
  const replicaOk = o.verify !== true || replicaHolds(out);
  const ok = asked.every((m) => m !== undefined && succeeded(m.run)) && replicaOk;
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
