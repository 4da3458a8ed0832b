/** What a bench run reports: the figures of a tap run, the tap's log, the record check, and the text tables. */
import * as fs from 'node:fs';
import { RateLimit } from '../../simulator';
import { TapRun } from './run-tap';
import { Traffic } from './traffic';

/** What the bench needs of one simulated account (the bc3 one, or sim.bcx). */
export interface Account {
  config(extra?: object): Record<string, unknown>;
  streamNames(): string[];
  expectedRecords(stream: string): object[];
  advanceClock(ms: number): void;
  setRateLimit(r: RateLimit | null): void;
}

/** Streams whose RECORD count differs from what the simulator says a full sync must emit. */
export function verify(
  sim: Pick<Account, 'streamNames' | 'expectedRecords'>,
  byStream: Map<string, number>,
): { expected: number; mismatches: Array<{ stream: string; expected: number; got: number }> } {
  let expected = 0;
  const mismatches: Array<{ stream: string; expected: number; got: number }> = [];
  const names = new Set([...sim.streamNames(), ...byStream.keys()]);
  for (const stream of names) {
    let want = 0;
    try {
      want = sim.streamNames().includes(stream) ? sim.expectedRecords(stream).length : 0;
    } catch {
      want = 0;
    }
    expected += want;
    const got = byStream.get(stream) ?? 0;
    if (got !== want) mismatches.push({ stream, expected: want, got });
  }
  return { expected, mismatches };
}

// The tap's log.

export interface LogSummary {
  lastLine: string;
  rateLimitWarnings: number;
  retryWarnings: number;
  errors: number;
  summary?: { records: number; requests: number; retries: number; rateLimited: number; notModified: number; seconds: number };
}

export function readLog(file: string): LogSummary {
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    /* no log */
  }
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const out: LogSummary = {
    lastLine: lines[lines.length - 1] ?? '',
    rateLimitWarnings: 0,
    retryWarnings: 0,
    errors: 0,
  };
  for (const line of lines) {
    if (/ WARN rate limited on /.test(line)) out.rateLimitWarnings++;
    else if (/ WARN .*; retry \d+\/\d+ in /.test(line)) out.retryWarnings++;
    if (/ ERROR /.test(line)) out.errors++;
    const m = /sync complete: (\d+) records, (\d+) requests \((\d+) retries, (\d+) answered 429, (\d+) not modified\b.*\) in ([\d.]+) s/.exec(line);
    if (m) {
      out.summary = {
        records: Number(m[1]),
        requests: Number(m[2]),
        retries: Number(m[3]),
        rateLimited: Number(m[4]),
        notModified: Number(m[5]),
        seconds: Number(m[6]),
      };
    }
  }
  return out;
}

/** About ten evenly spaced points of the tap's memory timeline. */
function outline(timeline: Array<[number, number, number]> | undefined): Array<[number, number, number]> {
  if (!timeline?.length) return [];
  const step = Math.max(1, Math.ceil(timeline.length / 10));
  const points = timeline.filter((_, i) => i % step === 0);
  const last = timeline[timeline.length - 1]!;
  if (points[points.length - 1] !== last) points.push(last);
  return points;
}

export const mb = (kb: number | undefined) => (kb === undefined ? undefined : Number((kb / 1024).toFixed(1)));
export const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** One tap run and what the simulator saw of it. */
export interface Measured {
  run: TapRun;
  traffic: Traffic;
  log: LogSummary;
  logFile: string;
}

/** Why a run failed, or undefined when it did not. */
function failureOf(run: TapRun, timeoutMin: number): string | undefined {
  if (run.spawnError) return `could not start: ${run.spawnError}`;
  if (run.timedOut) return `killed after the ${timeoutMin} min limit`;
  if (run.signal) return `died of ${run.signal}`;
  if (run.code !== 0) return `exit code ${run.code}`;
  return undefined;
}

/** The figures of one run, as --json gives them. */
export function figures(m: Measured, perSecond: number | undefined, timeoutMin: number) {
  const { run, traffic, log } = m;
  const wallS = run.wallMs / 1000;
  const cpuS = run.measure ? (run.measure.cpuUserMs + run.measure.cpuSystemMs) / 1000 : undefined;
  const idealS = perSecond ? traffic.minimumRequests / perSecond : undefined;
  const failure = failureOf(run, timeoutMin);
  return {
    records: run.sink.records,
    stdoutLines: run.sink.lines,
    stdoutMB: round(run.sink.bytes / 2 ** 20, 1),
    stateMessages: run.sink.states,
    requests: traffic.apiRequests,
    minimumRequests: traffic.minimumRequests,
    wastedRequests: traffic.apiRequests - traffic.minimumRequests,
    requestsPerMinimum: traffic.minimumRequests ? round(traffic.apiRequests / traffic.minimumRequests, 3) : undefined,
    duplicateReads: traffic.duplicateReads,
    emptyListResponses: traffic.emptyLists,
    rateLimited: traffic.rateLimited,
    rateLimitedAfter10s: traffic.rateLimitedAfter10s,
    rateLimitedAtSeconds: traffic.rateLimitedAt,
    requestsByStatus: traffic.byStatus,
    launchpadRequests: traffic.launchpadRequests,
    maxRequestsIn10s: traffic.maxIn10s,
    maxRequestsIn1s: traffic.maxIn1s,
    meanRequestsPerSecond: traffic.meanRate,
    wallSeconds: round(wallS, 1),
    idealSeconds: idealS === undefined ? undefined : round(idealS, 1),
    ratioToIdeal: idealS ? round(wallS / idealS, 3) : undefined,
    tapCpuUserSeconds: run.measure ? round(run.measure.cpuUserMs / 1000, 2) : undefined,
    tapCpuSystemSeconds: run.measure ? round(run.measure.cpuSystemMs / 1000, 2) : undefined,
    recordsPerCpuSecond: cpuS ? Math.round(run.sink.records / cpuS) : undefined,
    cpuMsPer1000Records: cpuS && run.sink.records ? round((cpuS * 1e6) / run.sink.records, 1) : undefined,
    tapPeakRssMB: mb(run.measure?.maxRssKb),
    tapPeakHeapUsedMB: mb(run.measure?.peakHeapUsedKb),
    tapPeakRssFromProcMB: mb(run.procPeakRssKb),
    tapMemoryOutline: outline(run.measure?.memoryTimeline),
    tapExitCode: run.code,
    tapSignal: run.signal ?? undefined,
    failure,
    tapLogSummary: log.summary,
    tapLogRateLimitWarnings: log.rateLimitWarnings,
    tapLogRetryWarnings: log.retryWarnings,
    tapLogErrors: log.errors,
    tapLogLastLine: log.lastLine,
  };
}

export const fmt = (v: unknown): string =>
  v === undefined ? 'n/a' : typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 3 }) : String(v);

export function table(rows: Array<[string, unknown]>): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${fmt(v)}`).join('\n');
}

/** The URLs read more than once (the duplicate reads), `top` of them. */
export function repeatedLines(traffic: Traffic, top: number): string[] {
  const shown = traffic.repeatedUrls.slice(0, top);
  if (!shown.length) return ['no URL read more than once'];
  return [
    `URLs read more than once (${shown.length} of ${traffic.repeatedUrls.length}): reads`,
    ...shown.map((u) => `  ${String(u.reads).padStart(7)}  ${u.url}`),
  ];
}

export function endpointLines(traffic: Traffic, top: number): string[] {
  const shown = traffic.byEndpoint.slice(0, top);
  return [
    `busiest endpoints (${shown.length} of ${traffic.byEndpoint.length}): requests, pages after the first, empty lists`,
    ...shown.map((e) => `  ${String(e.requests).padStart(7)} ${String(e.laterPages).padStart(7)} ${String(e.emptyLists).padStart(7)}  ${e.endpoint}`),
  ];
}
