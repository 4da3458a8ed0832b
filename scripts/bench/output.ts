/** What a bench run prints: the tables on stdout (stderr under --json) and the --json result. */
import * as os from 'node:os';
import { RateLimit } from '../../simulator';
import { ChangesMade, describeChanges } from './changes';
import { Options, Product } from './args';
import { buildInfo } from './build-info';
import { endpointLines, figures, fmt, Measured, mb, repeatedLines, round, table, verify } from './report';
import { ReplicaCheck, ReplicaMismatch } from './replica';
import { TapRun } from './run-tap';

export const PRODUCT_TITLE: Record<Product, string> = { bc3: 'Basecamp 3', bcx: 'Basecamp 2' };
/** How far the simulated clock moves between the full sync and the --incremental run (and before the --changes run). */
export const INCREMENTAL_AFTER_MS = 3_600_000;
const TOP_ENDPOINTS = 12;

const say = (line: string) => process.stderr.write(`${line}\n`);

/** The run's settings, derived from the options: limits, latency, the tap's config, notes. */
export interface Setup {
  limited: boolean;
  limit: RateLimit;
  perSecond: number;
  latencyMs: number;
  notes: string[];
  tapConfig: Record<string, unknown>;
  limitText: string;
  dir: string;
}

/** What the runs gave: the full sync, the incremental one (or why not), the record check, the machine. */
export interface Outcome {
  full: Measured;
  second?: Measured;
  secondSkipped?: string;
  stateBytes?: number;
  /** --changes: the changes made, the run after them (or why not), the replica check. */
  changes?: ChangesMade;
  third?: Measured;
  thirdSkipped?: string;
  changesStateBytes?: number;
  replica?: ReplicaCheck;
  replicaSkipped?: string;
  /** The replica's differences that no change left to the window explains. */
  losses?: ReplicaMismatch[];
  /** The run full_refresh_hours after the changes run, made when only changes left to the window differ. */
  window?: { hours: number; requests?: number; replica?: ReplicaCheck; skipped?: string };
  checked?: ReturnType<typeof verify>;
  simCpu: NodeJS.CpuUsage;
  generateSeconds: number;
  build: ReturnType<typeof buildInfo>;
  loadBefore: number;
  loadAfter: number;
  simMaxRssKb: number;
}

export type Figures = ReturnType<typeof figures>;
/** The figures of each run made: the full sync, the no-change run, the run after --changes. */
export interface RunFigures {
  full: Figures;
  second?: Figures;
  third?: Figures;
}

/** Each run's requests against the full sync's, and what a changed record cost: (after changes - no change) / changes. */
export function comparison(figs: RunFigures, changesMade: number | undefined) {
  const runs: Array<[string, Figures | undefined]> = [
    ['full sync', figs.full],
    ['no-change run', figs.second],
    ['after changes', figs.third],
  ];
  const perFull = (x: Figures) => (figs.full.requests ? round(x.requests / figs.full.requests, 3) : undefined);
  return {
    runs: runs.flatMap(([run, x]) => (x ? [{ run, requests: x.requests, requestsPerFullSync: perFull(x), records: x.records }] : [])),
    requestsPerChange: figs.second && figs.third && changesMade ? round((figs.third.requests - figs.second.requests) / changesMade, 2) : undefined,
  };
}

/** A later run's figures and traffic as --json gives them (or why it was not run). */
function laterRun(m: Measured | undefined, x: Figures | undefined, skipped: string | undefined, about: object) {
  if (!m || !x) return { ...about, skipped };
  return {
    ...about,
    ...x,
    requestsByEndpoint: m.traffic.byEndpoint,
    repeatedUrls: m.traffic.repeatedUrls,
    recordsByStream: Object.fromEntries([...m.run.sink.byStream].sort()),
    tapMemoryTimeline: m.run.measure?.memoryTimeline,
  };
}

/** --json's `changes`: what was changed, what the run after it cost, and the replica check. */
function changesResult(o: Options, out: Outcome, figs: RunFigures) {
  if (o.changes === undefined) return undefined;
  const about = {
    requested: o.changes,
    made: out.changes?.made,
    byStream: out.changes?.byStream,
    refused: out.changes?.refused,
    clockAdvancedMs: INCREMENTAL_AFTER_MS,
    stateBytes: out.changesStateBytes,
    requestsPerChange: comparison(figs, out.changes?.made).requestsPerChange,
    replica: out.replica ?? out.replicaSkipped,
    losses: out.losses?.map((m) => m.stream),
    window: out.window && {
      hours: out.window.hours,
      requests: out.window.requests,
      equal: out.window.replica ? !out.window.replica.mismatches.length : undefined,
      skipped: out.window.skipped,
    },
  };
  return laterRun(out.third, figs.third, out.thirdSkipped, about);
}

/** The result as --json gives it (the full sync's figures at the top level). */
export function resultOf(o: Options, s: Setup, out: Outcome, figs: RunFigures) {
  const { tapConfig, limited, limit } = s;
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
      full_refresh_hours: tapConfig.full_refresh_hours,
    },
    ...figs.full,
    recordsExpected: out.checked?.expected,
    recordMismatches: out.checked?.mismatches,
    simulatorGenerateSeconds: round(out.generateSeconds, 1),
    simulatorCpuSeconds: round((out.simCpu.user + out.simCpu.system) / 1e6, 1),
    simulatorPeakRssMB: mb(out.simMaxRssKb),
    incremental: o.incremental
      ? laterRun(out.second, figs.second, out.secondSkipped, { clockAdvancedMs: INCREMENTAL_AFTER_MS, stateBytes: out.stateBytes })
      : undefined,
    changes: changesResult(o, out, figs),
    // runs: each run's requests against the full sync's; requestsPerChange: (after changes - no change) / changes.
    ...(o.incremental ? comparison(figs, out.changes?.made) : {}),
    build: out.build,
    loadAverage1m: { before: round(out.loadBefore, 2), after: round(out.loadAfter, 2) },
    cpus: os.cpus().length,
    notes: s.notes,
    dir: s.dir,
  };
}
export type Result = ReturnType<typeof resultOf>;

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
      `${o.mode} (latency ${s.latencyMs} ms${limited ? `, simulator limit ${s.limitText}` : ', no limit'}; tap max_requests_per_10s ${result.tapConfig.max_requests_per_10s}${tapConfig.max_requests_per_10s === undefined ? ' (default)' : ''}, max_concurrency ${result.tapConfig.max_concurrency}${tapConfig.full_refresh_hours !== undefined ? `, full_refresh_hours ${tapConfig.full_refresh_hours}` : ''})`,
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
type Print = (line: string) => void;

/** A later run's table and traffic (or why it was not run). */
function printLater(print: Print, s: Setup, m: Measured | undefined, x: Figures | undefined, skipped: string | undefined): void {
  if (!m || !x) {
    print(`  ${skipped}`);
    return;
  }
  print(table(incrementalRows(s, m, x)));
  print('');
  for (const line of endpointLines(m.traffic, 40)) print(line);
  print('');
  for (const line of repeatedLines(m.traffic, TOP_ENDPOINTS)) print(line);
}

const bytesNote = (n: number | undefined) => (n !== undefined ? `, ${fmt(n)} bytes` : '');

/** The run after --changes: the changes made, then the run's table. */
function printChanges(print: Print, o: Options, s: Setup, out: Outcome, figs: RunFigures): void {
  print('');
  const made = out.changes?.made ?? 0;
  print(
    `run after ${fmt(made)} changes (of ${o.changes} asked; clock +1 h more, --state from the no-change run's last STATE${bytesNote(out.changesStateBytes)})`,
  );
  if (out.changes) for (const line of describeChanges(out.changes.byStream)) print(`  changed ${line}`);
  printLater(print, s, out.third, figs.third, out.thirdSkipped);
}

/** Loud: the replica after the changes run, stream by stream, against the simulator. */
function printReplica(print: Print, out: Outcome): void {
  const check = out.replica;
  if (!check) {
    print(`replica after the changes run: ${out.replicaSkipped}`);
    return;
  }
  if (!check.mismatches.length) {
    print(`replica after the changes run: ${fmt(check.held)} records, every stream equal to the simulator's ${fmt(check.expected)}`);
    return;
  }
  if (!out.losses?.length) {
    const waiting = check.mismatches.map((m) => `${m.stream} ${m.stale}`).join(', ');
    print(`replica after the changes run: equal but for records whose change only the full_refresh_hours window brings (${waiting})`);
    const w = out.window;
    if (w?.replica && !w.replica.mismatches.length)
      print(`replica after a run ${w.hours} h later (${fmt(w.requests)} requests): ${fmt(w.replica.held)} records, every stream equal to the simulator's`);
    else if (w?.replica) printMismatches(print, `after a run ${w.hours} h later`, w.replica.mismatches, w.replica);
    else print(`replica after a run ${w?.hours} h later: not checked: ${w?.skipped}`);
    return;
  }
  printMismatches(print, 'after the changes run', out.losses, check);
}

function printMismatches(print: Print, when: string, mismatches: ReplicaMismatch[], check: ReplicaCheck): void {
  print(`!!! REPLICA DIFFERS FROM THE SIMULATOR ${when}, in ${mismatches.length} streams (held ${fmt(check.held)}, expected ${fmt(check.expected)}):`);
  for (const m of mismatches) {
    print(
      `!!!   ${m.stream.padEnd(24)} expected ${m.expected}, held ${m.held}: ${m.missing} missing, ${m.stale} stale, ${m.extra} extra (${m.sample.join('; ')})`,
    );
  }
}

/** Each run's requests against the full sync's, and the cost of a changed record. */
function printComparison(print: Print, o: Options, out: Outcome, figs: RunFigures): void {
  const c = comparison(figs, out.changes?.made);
  print('');
  print('runs: requests, requests / full sync, records written');
  for (const r of c.runs)
    print(`  ${r.run.padEnd(16)} ${fmt(r.requests).padStart(9)} ${(r.requestsPerFullSync?.toFixed(3) ?? 'n/a').padStart(7)} ${fmt(r.records).padStart(9)}`);
  if (o.changes === undefined) return;
  print(`  requests per changed record, (after changes - no-change run) / ${fmt(out.changes?.made)}: ${fmt(c.requestsPerChange)}`);
  printReplica(print, out);
}

export function printReport(o: Options, s: Setup, out: Outcome, figs: RunFigures, result: Result): void {
  const print: Print = o.json ? say : (line: string) => process.stdout.write(`${line}\n`);
  print('');
  print(table(fullRows(o, s, out, figs.full, result)));
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
    print(`incremental run (clock +1 h, nothing changed, --state from the full sync's last STATE${bytesNote(out.stateBytes)})`);
    printLater(print, s, out.second, figs.second, out.secondSkipped);
  }
  if (o.changes !== undefined) printChanges(print, o, s, out, figs);
  if (o.incremental) printComparison(print, o, out, figs);
  for (const n of s.notes) print(`note: ${n}`);
}
