/**
 * `npm run bench -- [--product bc3|bcx] [--records N] [--mode limited|unlimited] [--latency-ms MS]
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
 * --product bc3 (default) reads the simulator's Basecamp 3 account, sized by --records; --product
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
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { ServerResponse } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { RateLimit, RequestLogEntry, Simulator, startSimulator } from '../../simulator';

const ROOT = path.join(__dirname, '..', '..');
const TAP = path.join(ROOT, 'bin', 'tap-basecamp');
const MEASURE = path.join(__dirname, 'measure.js');
type Product = 'bc3' | 'bcx';
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
const PROGRESS_EVERY_MS = 30_000;
const KILL_GRACE_MS = 15_000;
const TOP_ENDPOINTS = 12;

type Mode = 'limited' | 'unlimited';

interface Options {
  product: Product;
  records: number;
  mode: Mode;
  latencyMs?: number;
  concurrency?: number;
  json: boolean;
  timeoutMin: number;
  maxRate?: number;
  seed?: number;
  verify?: boolean;
  incremental: boolean;
}

const USAGE =
  'usage: npm run bench -- [--product bc3|bcx] [--records N] [--mode limited|unlimited] [--latency-ms MS] [--concurrency N] [--incremental] [--json] ' +
  '[--timeout-min MIN] [--max-rate N] [--seed S] [--verify | --no-verify]';

class UsageError extends Error {}

function parseArgs(argv: string[]): Options {
  const o: Options = { product: 'bc3', records: 10_000, mode: 'limited', json: false, timeoutMin: 30, incremental: false };
  const args: string[] = [];
  for (const a of argv) {
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) args.push(a.slice(0, eq), a.slice(eq + 1));
    else args.push(a);
  }
  const num = (flag: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (v === undefined || v === '' || !Number.isFinite(n) || n < min) throw new UsageError(`${flag} needs a number >= ${min}`);
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    switch (a) {
      case '--product': {
        const p = args[++i];
        if (p !== 'bc3' && p !== 'bcx') throw new UsageError('--product must be bc3 or bcx');
        o.product = p;
        break;
      }
      case '--incremental': o.incremental = true; break;
      case '--records': o.records = Math.round(num(a, args[++i], 1)); break;
      case '--mode': {
        const m = args[++i];
        if (m !== 'limited' && m !== 'unlimited') throw new UsageError('--mode must be limited or unlimited');
        o.mode = m;
        break;
      }
      case '--latency-ms': o.latencyMs = num(a, args[++i], 0); break;
      case '--concurrency': o.concurrency = Math.round(num(a, args[++i], 1)); break;
      case '--json': o.json = true; break;
      case '--timeout-min': o.timeoutMin = num(a, args[++i], 0.01); break;
      case '--max-rate': o.maxRate = Math.round(num(a, args[++i], 1)); break;
      case '--seed': o.seed = Math.round(num(a, args[++i], 0)); break;
      case '--verify': o.verify = true; break;
      case '--no-verify': o.verify = false; break;
      case '--help': case '-h': throw new UsageError('');
      default: throw new UsageError(`unknown argument ${a}`);
    }
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// The tap's stdout: counted, never stored (but for the last STATE line, which --incremental needs).

/** Enough of a line's end to hold `"stream":"<name>","time_extracted":"<iso>","type":"RECORD"}`. */
const TAIL = 200;
const HEAD = 24;
const RECORD_END = '"type":"RECORD"}';
const SCHEMA_END = '"type":"SCHEMA"}';
const STATE_START = Buffer.from('{"type":"STATE"', 'latin1');
const STREAM_IN_TAIL = /"stream":"([^"\\]*)","time_extracted"/g;

class CountingSink {
  bytes = 0;
  lines = 0;
  records = 0;
  schemas = 0;
  states = 0;
  other = 0;
  readonly byStream = new Map<string, number>();
  /** The last STATE line, whole. */
  lastState: string | undefined;
  private head: Buffer = Buffer.alloc(0); // first HEAD bytes of the line in progress
  private tail: Buffer = Buffer.alloc(0); // last bytes of the line in progress
  private stateParts: Buffer[] | undefined; // the line in progress, whole, once it shows to be a STATE

  write(chunk: Buffer): void {
    this.bytes += chunk.length;
    let start = 0;
    while (start <= chunk.length) {
      const nl = chunk.indexOf(10, start);
      const end = nl === -1 ? chunk.length : nl;
      if (end > start) this.keep(chunk.subarray(start, end));
      const piece = chunk.subarray(Math.max(start, end - TAIL), end);
      if (nl === -1) {
        // Line continues in the next chunk: keep only its last TAIL bytes (copied, never the chunk).
        if (piece.length > 0) {
          const joined = this.tail.length ? Buffer.concat([this.tail, piece]) : piece;
          this.tail = Buffer.from(joined.subarray(Math.max(0, joined.length - TAIL)));
        }
        return;
      }
      const lineTail = this.tail.length ? Buffer.concat([this.tail, piece]) : piece;
      this.line(this.head, lineTail);
      this.reset();
      start = nl + 1;
    }
  }

  /** A last line without a newline (a run cut short) still counts. */
  end(): void {
    if (this.head.length || this.tail.length) this.line(this.head, this.tail);
    this.reset();
  }

  /** The line's first bytes (however the chunks split it), and all of it when it is a STATE. */
  private keep(segment: Buffer): void {
    if (this.stateParts) {
      this.stateParts.push(Buffer.from(segment));
      return;
    }
    const before = this.head;
    if (before.length >= HEAD) return;
    this.head = Buffer.concat([before, segment.subarray(0, HEAD - before.length)]);
    if (before.length < STATE_START.length && this.head.length >= STATE_START.length && this.head.subarray(0, STATE_START.length).equals(STATE_START)) {
      this.stateParts = [before, Buffer.from(segment)];
    }
  }

  private reset(): void {
    this.head = Buffer.alloc(0);
    this.tail = Buffer.alloc(0);
    this.stateParts = undefined;
  }

  private line(head: Buffer, tailBuf: Buffer): void {
    this.lines++;
    const tail = tailBuf.toString('latin1').replace(/\r$/, '');
    const start = head.toString('latin1');
    if (tail.endsWith(RECORD_END) || start.startsWith('{"type":"RECORD"')) {
      this.records++;
      let stream = '?';
      for (const m of tail.matchAll(STREAM_IN_TAIL)) stream = m[1]!; // the last one is the message's own
      this.byStream.set(stream, (this.byStream.get(stream) ?? 0) + 1);
    } else if (tail.endsWith(SCHEMA_END) || start.startsWith('{"type":"SCHEMA"')) this.schemas++;
    else if (start.startsWith('{"type":"STATE"')) {
      this.states++;
      if (this.stateParts) this.lastState = Buffer.concat(this.stateParts).toString('utf8').replace(/\r$/, '');
    } else this.other++;
  }
}

// ---------------------------------------------------------------------------------------------
// Running the tap.

interface Measure {
  cpuUserMs: number;
  cpuSystemMs: number;
  maxRssKb: number;
  peakHeapUsedKb?: number;
  exitCode?: number;
  /** [seconds, heapUsed MB, rss MB], about one a second. */
  memoryTimeline?: Array<[number, number, number]>;
}

interface TapRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  spawnError?: string;
  wallMs: number;
  sink: CountingSink;
  measure?: Measure;
  /** The tap's peak RSS as /proc/<pid>/status (VmHWM) last showed it: survives a kill or a crash. */
  procPeakRssKb?: number;
}

/** VmHWM (peak resident set) of a live process, in kB; undefined when /proc cannot tell. */
function procPeakRss(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function childEnv(measureFile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TAP_BENCH_MEASURE: measureFile };
  // Measure the tap as configured by its config file alone, on a default node.
  for (const k of Object.keys(env)) if (k.startsWith('TAP_BASECAMP_')) delete env[k];
  delete env.LOG_LEVEL;
  delete env.NODE_OPTIONS;
  return env;
}

function runTap(
  configFile: string,
  dir: string,
  timeoutMs: number,
  progress: (elapsedMs: number, sink: CountingSink) => void,
  run: { name: string; stateFile?: string } = { name: 'tap' },
): Promise<TapRun> {
  const measureFile = path.join(dir, `${run.name === 'tap' ? 'measure' : `measure-${run.name}`}.json`);
  const logFile = path.join(dir, `${run.name}.log`);
  const args = ['-r', MEASURE, TAP, '--config', configFile, ...(run.stateFile ? ['--state', run.stateFile] : [])];
  const sink = new CountingSink();
  return new Promise((resolve) => {
    const errFd = fs.openSync(logFile, 'w');
    const started = Date.now();
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, args, {
        cwd: ROOT,
        env: childEnv(measureFile),
        stdio: ['ignore', 'pipe', errFd],
      });
    } catch (err) {
      fs.closeSync(errFd);
      resolve({ code: null, signal: null, timedOut: false, spawnError: (err as Error).message, wallMs: 0, sink });
      return;
    }
    let timedOut = false;
    let wallMs = 0;
    let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const limit = setTimeout(() => {
      timedOut = true;
      process.stderr.write(`bench: the tap ran over ${(timeoutMs / 60_000).toFixed(1)} min; stopping it (SIGTERM, then SIGKILL)\n`);
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    }, timeoutMs);
    const ticker = setInterval(() => progress(Date.now() - started, sink), PROGRESS_EVERY_MS);
    let procPeakRssKb: number | undefined;
    const rssWatch = setInterval(() => {
      procPeakRssKb = procPeakRss(child.pid) ?? procPeakRssKb;
    }, 1000);
    child.stdout!.on('data', (chunk: Buffer) => sink.write(chunk));
    child.on('exit', (code, signal) => {
      wallMs = Date.now() - started;
      clearInterval(rssWatch);
      exited = { code, signal };
    });
    let settled = false;
    const finish = (spawnError?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(limit);
      if (killTimer) clearTimeout(killTimer);
      clearInterval(ticker);
      clearInterval(rssWatch);
      fs.closeSync(errFd);
      sink.end();
      let measure: Measure | undefined;
      try {
        measure = JSON.parse(fs.readFileSync(measureFile, 'utf8').trim()) as Measure;
      } catch {
        measure = undefined; // killed by a signal: no 'exit' event in the child
      }
      resolve({
        code: exited?.code ?? null,
        signal: exited?.signal ?? null,
        timedOut,
        spawnError,
        wallMs: wallMs || Date.now() - started,
        sink,
        measure,
        procPeakRssKb,
      });
    };
    child.on('error', (err) => finish(err.message));
    child.on('close', () => finish());
  });
}

// ---------------------------------------------------------------------------------------------
// What the simulator saw.

/** Stamps every logged request with its arrival time (the log entries carry none); empty it with the log. */
function stampArrivals(sim: Simulator): number[] {
  const times: number[] = [];
  const log = sim.requests as RequestLogEntry[] & { push: (...items: RequestLogEntry[]) => number };
  const push = Array.prototype.push;
  log.push = function (this: RequestLogEntry[], ...items: RequestLogEntry[]): number {
    const now = Date.now();
    for (let i = 0; i < items.length; i++) times.push(now);
    return push.apply(this, items);
  };
  return times;
}

/**
 * Watches the simulator's answers (this process's http.ServerResponse.writeHead) for list pages
 * whose X-Total-Count is 0 (Basecamp 2's, which carry no count: a body of two bytes, `[]`):
 * requests the data did not need in hindsight, though the tap could not know before asking.
 * Counted per endpoint; no body is read or kept.
 */
function watchEmptyLists(): Map<string, number> {
  const empty = new Map<string, number>();
  const proto = ServerResponse.prototype as unknown as { writeHead: (this: ServerResponse, status: number, ...rest: unknown[]) => ServerResponse };
  const writeHead = proto.writeHead;
  proto.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]): ServerResponse {
    try {
      const headers = rest.find((x) => x !== null && typeof x === 'object' && !Array.isArray(x)) as Record<string, unknown> | undefined;
      const url = (this as ServerResponse & { req?: { url?: string } }).req?.url;
      if (status === 200 && url && headers && headers['X-Total-Count'] !== undefined && Number(headers['X-Total-Count']) === 0) {
        const { endpoint } = endpointOf(url);
        empty.set(endpoint, (empty.get(endpoint) ?? 0) + 1);
      } else if (status === 200 && url && headers && headers['X-Total-Count'] === undefined && Number(headers['Content-Length']) === 2) {
        // Basecamp 2 lists carry no count: an answer of two bytes is `[]`.
        const { endpoint } = endpointOf(url);
        empty.set(endpoint, (empty.get(endpoint) ?? 0) + 1);
      }
    } catch {
      /* counting must never break the simulator */
    }
    return writeHead.call(this, status, ...rest);
  };
  return empty;
}

interface Traffic {
  apiRequests: number;
  launchpadRequests: number;
  minimumRequests: number;
  successResponses: number;
  duplicateReads: number;
  rateLimited: number;
  byStatus: Record<string, number>;
  /** Seconds after the tap started at which 429s arrived (first 20). */
  rateLimitedAt: number[];
  rateLimitedAfter10s: number;
  /** Most API requests arriving in any window of the product's rate-limit window. */
  maxIn10s: number;
  /** The API requests of the busiest second, to spot bursts. */
  maxIn1s: number;
  /** Requests per second between the first and the last API request. */
  meanRate: number;
  /** API requests per endpoint (ids as :id, page dropped), most requested first. */
  byEndpoint: Array<{ endpoint: string; requests: number; laterPages: number; emptyLists: number }>;
  /** 200 answers that were an empty list (X-Total-Count: 0). */
  emptyLists: number;
}

/**
 * `/999/buckets/12/todolists/34/todos.json?status=archived&page=2` -> `/buckets/:id/todolists/:id/todos.json?status=archived`;
 * Basecamp 2's `/999/api/v1/projects/12/events.json?since=2026-...` -> `/projects/:id/events.json?since=:time`.
 */
function endpointOf(p: string): { endpoint: string; laterPage: boolean } {
  const q = p.indexOf('?');
  const pathname = (q === -1 ? p : p.slice(0, q))
    .replace(/^\/\d+(?=\/)/, '')
    .replace(/^\/api\/v1(?=\/)/, '')
    .replace(/\/\d+(?:-[\w-]+)?(?=\/|\.json|$)/g, '/:id'); // Basecamp 2 paths may carry a slug: /calendars/12-general.json
  const params = new URLSearchParams(q === -1 ? '' : p.slice(q + 1));
  const page = Number(params.get('page') ?? '1');
  params.delete('page');
  if (params.has('since')) params.set('since', ':time');
  params.sort();
  const rest = params.toString();
  return { endpoint: rest ? `${pathname}?${decodeURIComponent(rest)}` : pathname, laterPage: page > 1 };
}

function analyse(entries: RequestLogEntry[], times: number[], startedAt: number, empty: Map<string, number>, windowMs: number): Traffic {
  const byStatus: Record<string, number> = {};
  const needed = new Set<string>();
  const arrivals: number[] = [];
  const rateLimitedAt: number[] = [];
  const endpoints = new Map<string, { requests: number; laterPages: number }>();
  let launchpad = 0;
  let success = 0;
  let rateLimited = 0;
  let rateLimitedAfter10s = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.path.startsWith('/authorization')) {
      launchpad++;
      continue;
    }
    const at = times[i] ?? startedAt;
    arrivals.push(at);
    const { endpoint, laterPage } = endpointOf(e.path);
    const ep = endpoints.get(endpoint) ?? { requests: 0, laterPages: 0 };
    ep.requests++;
    if (laterPage) ep.laterPages++;
    endpoints.set(endpoint, ep);
    byStatus[String(e.status)] = (byStatus[String(e.status)] ?? 0) + 1;
    if (e.status === 200 || e.status === 304) {
      success++;
      needed.add(e.path);
    } else if (e.status === 429) {
      rateLimited++;
      const s = (at - startedAt) / 1000;
      if (s > 10) rateLimitedAfter10s++;
      if (rateLimitedAt.length < 20) rateLimitedAt.push(Number(s.toFixed(1)));
    }
  }
  const busiest = (windowMs: number): number => {
    let max = 0;
    for (let lo = 0, hi = 0; hi < arrivals.length; hi++) {
      while ((arrivals[hi] as number) - (arrivals[lo] as number) >= windowMs) lo++;
      max = Math.max(max, hi - lo + 1);
    }
    return max;
  };
  const span = arrivals.length > 1 ? ((arrivals[arrivals.length - 1] as number) - (arrivals[0] as number)) / 1000 : 0;
  return {
    apiRequests: arrivals.length,
    launchpadRequests: launchpad,
    minimumRequests: needed.size,
    successResponses: success,
    duplicateReads: success - needed.size,
    rateLimited,
    byStatus,
    rateLimitedAt,
    rateLimitedAfter10s,
    maxIn10s: busiest(windowMs),
    maxIn1s: busiest(1000),
    meanRate: span > 0 ? Number((arrivals.length / span).toFixed(2)) : 0,
    emptyLists: [...empty.values()].reduce((a, b) => a + b, 0),
    byEndpoint: [...endpoints].map(([endpoint, v]) => ({ endpoint, ...v, emptyLists: empty.get(endpoint) ?? 0 })).sort((a, b) => b.requests - a.requests || a.endpoint.localeCompare(b.endpoint)),
  };
}

/** What the bench needs of one simulated account (the bc3 one, or sim.bcx). */
interface Account {
  config(extra?: object): Record<string, unknown>;
  streamNames(): string[];
  expectedRecords(stream: string): object[];
  advanceClock(ms: number): void;
  setRateLimit(r: RateLimit | null): void;
}

/** Streams whose RECORD count differs from what the simulator says a full sync must emit. */
function verify(sim: Pick<Account, 'streamNames' | 'expectedRecords'>, byStream: Map<string, number>): { expected: number; mismatches: Array<{ stream: string; expected: number; got: number }> } {
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

// ---------------------------------------------------------------------------------------------
// The tap's log.

interface LogSummary {
  lastLine: string;
  rateLimitWarnings: number;
  retryWarnings: number;
  errors: number;
  summary?: { records: number; requests: number; retries: number; rateLimited: number; notModified: number; seconds: number };
}

function readLog(file: string): LogSummary {
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

/** The most requests per 10 s the tap's config schema accepts (the built one, dist/config.js). */
function schemaMaxRate(): number | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(ROOT, 'dist', 'config.js')) as { CONFIG_SCHEMA?: { properties?: { max_requests_per_10s?: { maximum?: number } } } };
    const max = mod.CONFIG_SCHEMA?.properties?.max_requests_per_10s?.maximum;
    return typeof max === 'number' ? max : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What was measured: HEAD, the src/ files that differ from it, and a hash of dist/ (the build the
 * tap loads at start). Other work may change the tree between runs; this tells runs apart.
 */
function buildInfo(): { commit?: string; srcChanged: string[]; distHash: string } {
  let commit: string | undefined;
  let srcChanged: string[] = [];
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    srcChanged = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => l.slice(3));
  } catch {
    /* not a git checkout */
  }
  const hash = createHash('sha1');
  const walk = (dir: string): void => {
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (fs.statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.js')) hash.update(name).update(fs.readFileSync(full));
    }
  };
  try {
    walk(path.join(ROOT, 'dist'));
  } catch {
    /* no build */
  }
  return { commit, srcChanged, distHash: hash.digest('hex').slice(0, 12) };
}

// ---------------------------------------------------------------------------------------------

/** About ten evenly spaced points of the tap's memory timeline. */
function outline(timeline: Array<[number, number, number]> | undefined): Array<[number, number, number]> {
  if (!timeline?.length) return [];
  const step = Math.max(1, Math.ceil(timeline.length / 10));
  const points = timeline.filter((_, i) => i % step === 0);
  const last = timeline[timeline.length - 1]!;
  if (points[points.length - 1] !== last) points.push(last);
  return points;
}

const mb = (kb: number | undefined) => (kb === undefined ? undefined : Number((kb / 1024).toFixed(1)));
const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** One tap run and what the simulator saw of it. */
interface Measured {
  run: TapRun;
  traffic: Traffic;
  log: LogSummary;
  logFile: string;
}

/** The figures of one run, as --json gives them. */
function figures(m: Measured, perSecond: number | undefined, timeoutMin: number) {
  const { run, traffic, log } = m;
  const wallS = run.wallMs / 1000;
  const cpuS = run.measure ? (run.measure.cpuUserMs + run.measure.cpuSystemMs) / 1000 : undefined;
  const idealS = perSecond ? traffic.minimumRequests / perSecond : undefined;
  const failure = run.spawnError
    ? `could not start: ${run.spawnError}`
    : run.timedOut
      ? `killed after the ${timeoutMin} min limit`
      : run.signal
        ? `died of ${run.signal}`
        : run.code !== 0
          ? `exit code ${run.code}`
          : undefined;
  return {
    records: run.sink.records,
    stdoutLines: run.sink.lines,
    stdoutMB: round(run.sink.bytes / 2 ** 20, 1),
    stateMessages: run.sink.states,
    requests: traffic.apiRequests,
    minimumRequests: traffic.minimumRequests,
    wastedRequests: traffic.apiRequests - traffic.minimumRequests,
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

const fmt = (v: unknown): string => (v === undefined ? 'n/a' : typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 3 }) : String(v));

function table(rows: Array<[string, unknown]>): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${fmt(v)}`).join('\n');
}

function endpointLines(traffic: Traffic, top: number): string[] {
  const shown = traffic.byEndpoint.slice(0, top);
  return [
    `busiest endpoints (${shown.length} of ${traffic.byEndpoint.length}): requests, pages after the first, empty lists`,
    ...shown.map((e) => `  ${String(e.requests).padStart(7)} ${String(e.laterPages).padStart(7)} ${String(e.emptyLists).padStart(7)}  ${e.endpoint}`),
  ];
}

async function main(): Promise<number> {
  let o: Options;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    if (err.message) process.stderr.write(`bench: ${err.message}\n`);
    process.stderr.write(`${USAGE}\n`);
    return err.message ? 2 : 0;
  }
  const say = (line: string) => process.stderr.write(`${line}\n`);
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) {
    say('bench: dist/cli.js is missing; run `npm run build` first (npm run bench does)');
    return 2;
  }

  const limited = o.mode === 'limited';
  const limit = RATE_LIMITS[o.product];
  const perSecond = limit.requests / (limit.windowMs / 1000);
  const latencyMs = o.latencyMs ?? (limited ? 100 : 0);
  const notes: string[] = [];
  const tapConfig: Record<string, unknown> = {};
  if (!limited) {
    let rate = o.maxRate ?? UNLIMITED_RATE;
    const max = schemaMaxRate();
    if (max !== undefined && rate > max) {
      notes.push(`max_requests_per_10s ${rate} is over the config schema's maximum (${max}); using ${max} (tap limiter spacing ~${Math.ceil((10_000 / max) * 1.02)} ms)`);
      rate = max;
    }
    tapConfig.max_requests_per_10s = rate;
  } else if (o.maxRate !== undefined) tapConfig.max_requests_per_10s = o.maxRate;
  if (o.concurrency !== undefined) tapConfig.max_concurrency = o.concurrency;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tap-basecamp-bench-'));
  const limitText = `${limit.requests}/${limit.windowMs / 1000} s`;
  say(`bench: ${PRODUCT_TITLE[o.product]} (${o.product}), ${o.mode} mode, ~${o.records} records, latency ${latencyMs} ms${limited ? `, rate limit ${limitText}` : ''}${o.incremental ? ', then a no-change incremental run' : ''}; files in ${dir}`);
  for (const n of notes) say(`bench: note: ${n}`);

  const genStarted = Date.now();
  const seed = o.seed !== undefined ? { seed: o.seed } : {};
  const sim = await startSimulator(
    o.product === 'bc3'
      ? { records: o.records, latencyMs, rateLimit: limited ? limit : null, ...seed }
      : { latencyMs, rateLimit: null, ...seed, bcx: { records: o.records, rateLimit: limited ? limit : null } },
  );
  const account: Account =
    o.product === 'bc3'
      ? {
          config: (extra) => sim.config(extra),
          streamNames: () => sim.streamNames(),
          expectedRecords: (stream) => sim.expectedRecords(stream),
          advanceClock: (ms) => sim.advanceClock(ms),
          setRateLimit: (r) => sim.setRateLimit(r),
        }
      : sim.bcx;
  const generateSeconds = (Date.now() - genStarted) / 1000;
  const simHeapAfterGenerate = process.memoryUsage().heapUsed;
  say(`bench: simulator at ${sim.baseUrl}, account generated in ${generateSeconds.toFixed(1)} s (heap ${(simHeapAfterGenerate / 2 ** 20).toFixed(0)} MB)`);

  const configFile = path.join(dir, 'config.json');
  fs.writeFileSync(configFile, JSON.stringify(account.config(tapConfig), null, 2) + '\n', { mode: 0o600 });
  const arrivals = stampArrivals(sim);
  const emptyLists = watchEmptyLists();
  const measureRun = async (name: string, stateFile?: string): Promise<Measured> => {
    sim.resetRequests();
    arrivals.length = 0;
    emptyLists.clear();
    const startedAt = Date.now();
    const run = await runTap(
      configFile,
      dir,
      o.timeoutMin * 60_000,
      (elapsed, sink) => {
        const r429 = sim.requests.reduce((n, e) => n + (e.status === 429 ? 1 : 0), 0);
        say(`bench: ${name === 'tap' ? '' : `${name}: `}${(elapsed / 1000).toFixed(0)} s: ${sink.records} records, ${sim.requests.length} requests, ${r429} answered 429`);
      },
      { name, stateFile },
    );
    const logFile = path.join(dir, `${name}.log`);
    return { run, traffic: analyse(sim.requests, arrivals, startedAt, emptyLists, limit.windowMs), log: readLog(logFile), logFile };
  };
  const succeeded = (r: TapRun) => !r.timedOut && !r.spawnError && r.code === 0 && r.signal === null;

  const build = buildInfo();
  const loadBefore = os.loadavg()[0] as number;
  const cpuBefore = process.cpuUsage();
  const shouldVerify = o.verify ?? o.records <= VERIFY_UP_TO;
  let full: Measured;
  let simCpu: NodeJS.CpuUsage;
  let checked: ReturnType<typeof verify> | undefined;
  let second: Measured | undefined;
  let secondSkipped: string | undefined;
  let stateBytes: number | undefined;
  try {
    full = await measureRun('tap');
    simCpu = process.cpuUsage(cpuBefore);
    // Before the clock moves: what a full sync must have written.
    checked = shouldVerify ? verify(account, full.run.sink.byStream) : undefined;
    if (o.incremental) {
      const line = full.run.sink.lastState;
      if (!succeeded(full.run)) secondSkipped = 'not run: the full sync failed';
      else if (!line) secondSkipped = 'not run: the full sync wrote no STATE';
      else {
        const stateFile = path.join(dir, 'state.json');
        const value = (JSON.parse(line) as { value: unknown }).value;
        const text = JSON.stringify(value);
        stateBytes = Buffer.byteLength(text);
        fs.writeFileSync(stateFile, text + '\n');
        account.advanceClock(INCREMENTAL_AFTER_MS);
        // An hour later the account's rate-limit window holds none of the full sync's requests.
        if (limited) account.setRateLimit(limit);
        say(`bench: full sync done; clock +1 h, incremental run with ${stateFile} (${stateBytes} bytes)`);
        second = await measureRun('tap-incremental', stateFile);
      }
    }
  } finally {
    // Analysis below reads the logs; the server can go.
    await sim.stop().catch(() => undefined);
  }
  const loadAfter = os.loadavg()[0] as number;
  const simMaxRssKb = process.resourceUsage().maxRSS;

  const f = figures(full, limited ? perSecond : undefined, o.timeoutMin);
  const s2 = second ? figures(second, limited ? perSecond : undefined, o.timeoutMin) : undefined;
  const tapRate = tapConfig.max_requests_per_10s ?? limit.requests;
  const tapConcurrency = tapConfig.max_concurrency ?? 8;
  const result = {
    product: o.product,
    mode: o.mode,
    recordsRequested: o.records,
    latencyMs,
    simulatorRateLimit: limited ? limit : null,
    tapConfig: { max_requests_per_10s: tapRate, max_concurrency: tapConcurrency, max_requests_per_10s_set: tapConfig.max_requests_per_10s !== undefined },
    ...f,
    recordsExpected: checked?.expected,
    recordMismatches: checked?.mismatches,
    simulatorGenerateSeconds: round(generateSeconds, 1),
    simulatorCpuSeconds: round((simCpu.user + simCpu.system) / 1e6, 1),
    simulatorPeakRssMB: mb(simMaxRssKb),
    incremental: o.incremental
      ? s2
        ? { clockAdvancedMs: INCREMENTAL_AFTER_MS, stateBytes, ...s2, requestsByEndpoint: second!.traffic.byEndpoint, recordsByStream: Object.fromEntries([...second!.run.sink.byStream].sort()), tapMemoryTimeline: second!.run.measure?.memoryTimeline }
        : { skipped: secondSkipped }
      : undefined,
    build,
    loadAverage1m: { before: round(loadBefore, 2), after: round(loadAfter, 2) },
    cpus: os.cpus().length,
    notes,
    dir,
  };

  const idealLabel = `ideal time (s) = minimum / ${fmt(perSecond)} per s`;
  const wastedText = (x: typeof f) => `${fmt(x.wastedRequests)} (${fmt(x.rateLimited)} answered 429, ${fmt(x.duplicateReads)} duplicate reads)`;
  const emptyText = (x: typeof f) => `${fmt(x.emptyListResponses)} (${x.requests ? ((100 * x.emptyListResponses) / x.requests).toFixed(1) : 0}% of requests)`;
  const statusText = (x: typeof f) => Object.entries(x.requestsByStatus).map(([st, n]) => `${st}: ${n}`).join(', ');
  const r429Text = (x: typeof f) => `${fmt(x.rateLimited)}${x.rateLimited ? ` (${x.rateLimitedAfter10s} after the first 10 s; at ${x.rateLimitedAtSeconds.join(', ')} s)` : ''}`;
  const exitText = (x: typeof f, r: TapRun) => `${r.code ?? 'none'}${r.signal ? ` (signal ${r.signal})` : ''}${x.failure ? ` — FAILED: ${x.failure}` : ''}`;
  const rows: Array<[string, unknown]> = [
    ['product', `${PRODUCT_TITLE[o.product]} (${o.product})`],
    ['mode', `${o.mode} (latency ${latencyMs} ms${limited ? `, simulator limit ${limitText}` : ', no limit'}; tap max_requests_per_10s ${tapRate}${tapConfig.max_requests_per_10s === undefined ? ' (default)' : ''}, max_concurrency ${tapConcurrency})`],
    ['records (RECORD messages)', f.records],
    ['records expected (simulator)', checked ? `${fmt(checked.expected)}${checked.mismatches.length ? ` — ${checked.mismatches.length} streams differ` : ' — all streams match'}` : 'not checked'],
    ['requests made (API)', f.requests],
    ['minimum requests (distinct URLs 200/304)', f.minimumRequests],
    ['wasted requests (made - minimum)', wastedText(f)],
    ['answered with an empty list', emptyText(f)],
    ['requests by status', statusText(f)],
    ['429s received', r429Text(f)],
    [`busiest ${limit.windowMs / 1000} s / 1 s (requests)`, `${f.maxRequestsIn10s} / ${f.maxRequestsIn1s} (mean ${f.meanRequestsPerSecond}/s)`],
    ['Launchpad requests', f.launchpadRequests],
    ['wall time (s)', f.wallSeconds],
    [idealLabel, limited ? f.idealSeconds : 'n/a (unlimited)'],
    ['ratio wall / ideal', limited ? f.ratioToIdeal : 'n/a (unlimited)'],
    ['tap CPU user + system (s)', full.run.measure ? `${fmt(f.tapCpuUserSeconds)} + ${fmt(f.tapCpuSystemSeconds)}` : 'n/a (no measure)'],
    ['records per tap CPU-second', f.recordsPerCpuSecond],
    ['tap peak RSS (MB)', full.run.measure ? f.tapPeakRssMB : `n/a from measure.js; /proc showed ${fmt(f.tapPeakRssFromProcMB)}`],
    ['tap peak heap used (MB)', f.tapPeakHeapUsedMB],
    ['tap heap used over the run (s: MB)', f.tapMemoryOutline.map(([t, h]) => `${t}: ${h}`).join(', ') || 'n/a'],
    ['simulator: generate s / CPU s / peak RSS MB', `${result.simulatorGenerateSeconds} / ${result.simulatorCpuSeconds} / ${fmt(result.simulatorPeakRssMB)}`],
    ['stdout (lines / MB / STATE messages)', `${fmt(f.stdoutLines)} / ${f.stdoutMB} / ${fmt(f.stateMessages)}`],
    ['tap exit code', exitText(f, full.run)],
    ['tap log: 429 / retry warnings, errors', `${f.tapLogRateLimitWarnings} / ${f.tapLogRetryWarnings}, ${f.tapLogErrors}`],
    ['tap log last line', f.tapLogLastLine],
    ['tap log', full.logFile],
    ['build', `HEAD ${build.commit ?? '?'}${build.srcChanged.length ? ` + uncommitted src/ (${build.srcChanged.join(', ')})` : ''}, dist ${build.distHash}`],
    ['load average (1 min) before / after', `${result.loadAverage1m.before} / ${result.loadAverage1m.after} on ${result.cpus} CPUs`],
  ];
  const print = o.json ? say : (line: string) => process.stdout.write(`${line}\n`);
  print('');
  print(table(rows));
  if (checked?.mismatches.length) {
    print('');
    print('streams whose record count differs from the simulator:');
    for (const m of checked.mismatches) print(`  ${m.stream.padEnd(24)} expected ${m.expected}, got ${m.got}`);
  }
  print('');
  for (const line of endpointLines(full.traffic, TOP_ENDPOINTS)) print(line);

  if (o.incremental) {
    print('');
    print(`incremental run (clock +1 h, nothing changed, --state from the full sync's last STATE${stateBytes !== undefined ? `, ${fmt(stateBytes)} bytes` : ''})`);
    if (!second || !s2) print(`  ${secondSkipped}`);
    else {
      const r = second.run;
      print(
        table([
          ['records (RECORD messages)', s2.records],
          ['requests made (API)', s2.requests],
          ['minimum requests (distinct URLs 200/304)', s2.minimumRequests],
          ['wasted requests (made - minimum)', wastedText(s2)],
          ['answered with an empty list', emptyText(s2)],
          ['requests by status', statusText(s2)],
          ['429s received', r429Text(s2)],
          ['Launchpad requests', s2.launchpadRequests],
          ['wall time (s)', s2.wallSeconds],
          [idealLabel, limited ? s2.idealSeconds : 'n/a (unlimited)'],
          ['ratio wall / ideal', limited ? s2.ratioToIdeal : 'n/a (unlimited)'],
          ['tap CPU user + system (s)', r.measure ? `${fmt(s2.tapCpuUserSeconds)} + ${fmt(s2.tapCpuSystemSeconds)}` : 'n/a (no measure)'],
          ['tap peak RSS / heap used (MB)', `${fmt(s2.tapPeakRssMB ?? s2.tapPeakRssFromProcMB)} / ${fmt(s2.tapPeakHeapUsedMB)}`],
          ['stdout (lines / MB / STATE messages)', `${fmt(s2.stdoutLines)} / ${s2.stdoutMB} / ${fmt(s2.stateMessages)}`],
          ['tap exit code', exitText(s2, r)],
          ['tap log last line', s2.tapLogLastLine],
          ['tap log', second.logFile],
        ]),
      );
      print('');
      for (const line of endpointLines(second.traffic, 40)) print(line);
    }
  }
  for (const n of notes) print(`note: ${n}`);
  if (o.json) process.stdout.write(JSON.stringify({ ...result, tapMemoryTimeline: full.run.measure?.memoryTimeline, requestsByEndpoint: full.traffic.byEndpoint, recordsByStream: Object.fromEntries([...full.run.sink.byStream].sort()) }) + '\n');
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
