/**
 * `npm run bench -- [--records N] [--mode limited|unlimited] [--latency-ms MS] [--concurrency N]
 *                   [--json] [--timeout-min MIN] [--max-rate N] [--seed S] [--verify | --no-verify]`
 *
 * Starts the Basecamp simulator in this process, runs the BUILT tap against it as a child
 * process (`node -r scripts/bench/measure.js bin/tap-basecamp --config <tmp>/config.json`) and
 * reports what the run cost:
 *
 *   limited   (default) the simulator answers after --latency-ms (default 100) and enforces
 *             Basecamp's limit of 50 requests per 10 s; the tap runs with its config defaults
 *             (max_requests_per_10s 50, max_concurrency 8). Measures how close the tap gets
 *             to the ideal time, minimum requests / 5 per second.
 *   unlimited no latency, no rate limit, and the tap's own limiter opened as far as its config
 *             allows (100000 asked, clamped to the config schema's maximum): measures CPU per
 *             record and memory.
 *
 * The tap's stdout goes to a counting sink (lines, RECORD lines per stream; nothing is kept),
 * its stderr to <tmp>/tap.log. measure.js writes the tap's CPU time and peak RSS on exit.
 * "Minimum requests" is the number of distinct API URLs (path + query) answered 200 or 304,
 * so requests - minimum is the waste (429s, retries, duplicate reads). Launchpad requests
 * (/authorization...) are counted apart.
 *
 * Exits 1 when the tap failed (non-zero exit, killed, or over --timeout-min, default 30),
 * 2 on bad arguments.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { ServerResponse } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { RequestLogEntry, Simulator, startSimulator } from '../../simulator';

const ROOT = path.join(__dirname, '..', '..');
const TAP = path.join(ROOT, 'bin', 'tap-basecamp');
const MEASURE = path.join(__dirname, 'measure.js');
/** Basecamp's documented limit. */
const RATE_LIMIT = { requests: 50, windowMs: 10_000 };
const IDEAL_PER_SECOND = RATE_LIMIT.requests / (RATE_LIMIT.windowMs / 1000);
/** What unlimited mode asks of the tap's limiter (clamped to what the config schema accepts). */
const UNLIMITED_RATE = 100_000;
/** Record counts up to this are checked against the simulator's expected records by default. */
const VERIFY_UP_TO = 100_000;
const PROGRESS_EVERY_MS = 30_000;
const KILL_GRACE_MS = 15_000;
const TOP_ENDPOINTS = 12;

type Mode = 'limited' | 'unlimited';

interface Options {
  records: number;
  mode: Mode;
  latencyMs?: number;
  concurrency?: number;
  json: boolean;
  timeoutMin: number;
  maxRate?: number;
  seed?: number;
  verify?: boolean;
}

const USAGE =
  'usage: npm run bench -- [--records N] [--mode limited|unlimited] [--latency-ms MS] [--concurrency N] [--json] ' +
  '[--timeout-min MIN] [--max-rate N] [--seed S] [--verify | --no-verify]';

class UsageError extends Error {}

function parseArgs(argv: string[]): Options {
  const o: Options = { records: 10_000, mode: 'limited', json: false, timeoutMin: 30 };
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
// The tap's stdout: counted, never stored.

/** Enough of a line's end to hold `"stream":"<name>","time_extracted":"<iso>","type":"RECORD"}`. */
const TAIL = 200;
const HEAD = 24;
const RECORD_END = '"type":"RECORD"}';
const SCHEMA_END = '"type":"SCHEMA"}';
const STREAM_IN_TAIL = /"stream":"([^"\\]*)","time_extracted"/g;

class CountingSink {
  bytes = 0;
  lines = 0;
  records = 0;
  schemas = 0;
  states = 0;
  other = 0;
  readonly byStream = new Map<string, number>();
  private head: Buffer | undefined; // first bytes of the line in progress
  private tail: Buffer = Buffer.alloc(0); // last bytes of the line in progress

  write(chunk: Buffer): void {
    this.bytes += chunk.length;
    let start = 0;
    while (start <= chunk.length) {
      const nl = chunk.indexOf(10, start);
      const end = nl === -1 ? chunk.length : nl;
      if (this.head === undefined && end > start) this.head = Buffer.from(chunk.subarray(start, Math.min(end, start + HEAD)));
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
      this.head = undefined;
      this.tail = Buffer.alloc(0);
      start = nl + 1;
    }
  }

  /** A last line without a newline (a run cut short) still counts. */
  end(): void {
    if (this.head !== undefined || this.tail.length) this.line(this.head, this.tail);
    this.head = undefined;
    this.tail = Buffer.alloc(0);
  }

  private line(head: Buffer | undefined, tailBuf: Buffer): void {
    this.lines++;
    const tail = tailBuf.toString('latin1').replace(/\r$/, '');
    const start = head ? head.toString('latin1') : '';
    if (tail.endsWith(RECORD_END) || start.startsWith('{"type":"RECORD"')) {
      this.records++;
      let stream = '?';
      for (const m of tail.matchAll(STREAM_IN_TAIL)) stream = m[1]!; // the last one is the message's own
      this.byStream.set(stream, (this.byStream.get(stream) ?? 0) + 1);
    } else if (tail.endsWith(SCHEMA_END) || start.startsWith('{"type":"SCHEMA"')) this.schemas++;
    else if (start.startsWith('{"type":"STATE"')) this.states++;
    else this.other++;
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
): Promise<TapRun> {
  const measureFile = path.join(dir, 'measure.json');
  const logFile = path.join(dir, 'tap.log');
  const sink = new CountingSink();
  return new Promise((resolve) => {
    const errFd = fs.openSync(logFile, 'w');
    const started = Date.now();
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, ['-r', MEASURE, TAP, '--config', configFile], {
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

/** Stamps every logged request with its arrival time (the log entries carry none). */
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
 * whose X-Total-Count is 0: requests the data did not need in hindsight, though the tap could
 * not know before asking. Counted per endpoint; no body is read or kept.
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
  /** Most API requests arriving in any window of RATE_LIMIT.windowMs. */
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

/** `/999/buckets/12/todolists/34/todos.json?status=archived&page=2` -> `/buckets/:id/todolists/:id/todos.json?status=archived`. */
function endpointOf(p: string): { endpoint: string; laterPage: boolean } {
  const q = p.indexOf('?');
  const pathname = (q === -1 ? p : p.slice(0, q)).replace(/^\/\d+(?=\/)/, '').replace(/\/\d+(?=\/|\.json|$)/g, '/:id');
  const params = new URLSearchParams(q === -1 ? '' : p.slice(q + 1));
  const page = Number(params.get('page') ?? '1');
  params.delete('page');
  params.sort();
  const rest = params.toString();
  return { endpoint: rest ? `${pathname}?${decodeURIComponent(rest)}` : pathname, laterPage: page > 1 };
}

function analyse(entries: RequestLogEntry[], times: number[], startedAt: number, empty: Map<string, number>): Traffic {
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
    maxIn10s: busiest(RATE_LIMIT.windowMs),
    maxIn1s: busiest(1000),
    meanRate: span > 0 ? Number((arrivals.length / span).toFixed(2)) : 0,
    emptyLists: [...empty.values()].reduce((a, b) => a + b, 0),
    byEndpoint: [...endpoints].map(([endpoint, v]) => ({ endpoint, ...v, emptyLists: empty.get(endpoint) ?? 0 })).sort((a, b) => b.requests - a.requests || a.endpoint.localeCompare(b.endpoint)),
  };
}

/** Streams whose RECORD count differs from what the simulator says a full sync must emit. */
function verify(sim: Simulator, byStream: Map<string, number>): { expected: number; mismatches: Array<{ stream: string; expected: number; got: number }> } {
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
  say(`bench: ${o.mode} mode, ~${o.records} records, latency ${latencyMs} ms${limited ? `, rate limit ${RATE_LIMIT.requests}/${RATE_LIMIT.windowMs / 1000} s` : ''}; files in ${dir}`);
  for (const n of notes) say(`bench: note: ${n}`);

  const genStarted = Date.now();
  const sim = await startSimulator({
    records: o.records,
    latencyMs,
    rateLimit: limited ? RATE_LIMIT : null,
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
  });
  const generateSeconds = (Date.now() - genStarted) / 1000;
  const simHeapAfterGenerate = process.memoryUsage().heapUsed;
  say(`bench: simulator at ${sim.baseUrl}, account generated in ${generateSeconds.toFixed(1)} s (heap ${(simHeapAfterGenerate / 2 ** 20).toFixed(0)} MB)`);

  const configFile = path.join(dir, 'config.json');
  fs.writeFileSync(configFile, JSON.stringify(sim.config(tapConfig), null, 2) + '\n', { mode: 0o600 });
  sim.resetRequests();
  const arrivals = stampArrivals(sim);
  const emptyLists = watchEmptyLists();
  const cpuBefore = process.cpuUsage();

  const build = buildInfo();
  const loadBefore = os.loadavg()[0] as number;
  const tapStarted = Date.now();
  let run: TapRun;
  try {
    run = await runTap(configFile, dir, o.timeoutMin * 60_000, (elapsed, sink) => {
      const r429 = sim.requests.reduce((n, e) => n + (e.status === 429 ? 1 : 0), 0);
      say(`bench: ${(elapsed / 1000).toFixed(0)} s: ${sink.records} records, ${sim.requests.length} requests, ${r429} answered 429`);
    });
  } finally {
    // Analysis below reads the log; the server can go.
    await sim.stop().catch(() => undefined);
  }
  const simCpu = process.cpuUsage(cpuBefore);
  const loadAfter = os.loadavg()[0] as number;
  const simMaxRssKb = process.resourceUsage().maxRSS;

  const traffic = analyse(sim.requests, arrivals, tapStarted, emptyLists);
  const log = readLog(path.join(dir, 'tap.log'));
  const shouldVerify = o.verify ?? o.records <= VERIFY_UP_TO;
  const checked = shouldVerify ? verify(sim, run.sink.byStream) : undefined;

  const wallS = run.wallMs / 1000;
  const cpuS = run.measure ? (run.measure.cpuUserMs + run.measure.cpuSystemMs) / 1000 : undefined;
  const idealS = limited ? traffic.minimumRequests / IDEAL_PER_SECOND : undefined;
  const ok = !run.timedOut && !run.spawnError && run.code === 0 && run.signal === null;
  const failure = run.spawnError
    ? `could not start: ${run.spawnError}`
    : run.timedOut
      ? `killed after the ${o.timeoutMin} min limit`
      : run.signal
        ? `died of ${run.signal}`
        : run.code !== 0
          ? `exit code ${run.code}`
          : undefined;

  const result = {
    mode: o.mode,
    recordsRequested: o.records,
    latencyMs,
    tapConfig: { max_requests_per_10s: tapConfig.max_requests_per_10s ?? 50, max_concurrency: tapConfig.max_concurrency ?? 8 },
    records: run.sink.records,
    recordsExpected: checked?.expected,
    recordMismatches: checked?.mismatches,
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
    simulatorGenerateSeconds: round(generateSeconds, 1),
    simulatorCpuSeconds: round((simCpu.user + simCpu.system) / 1e6, 1),
    simulatorPeakRssMB: mb(simMaxRssKb),
    tapExitCode: run.code,
    tapSignal: run.signal ?? undefined,
    failure,
    tapLogSummary: log.summary,
    tapLogRateLimitWarnings: log.rateLimitWarnings,
    tapLogRetryWarnings: log.retryWarnings,
    tapLogErrors: log.errors,
    tapLogLastLine: log.lastLine,
    build,
    loadAverage1m: { before: round(loadBefore, 2), after: round(loadAfter, 2) },
    cpus: os.cpus().length,
    notes,
    dir,
  };

  const fmt = (v: unknown): string => (v === undefined ? 'n/a' : typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 3 }) : String(v));
  const rows: Array<[string, unknown]> = [
    ['mode', `${o.mode} (latency ${latencyMs} ms${limited ? `, simulator limit ${RATE_LIMIT.requests}/10 s` : ', no limit'}; tap max_requests_per_10s ${result.tapConfig.max_requests_per_10s}, max_concurrency ${result.tapConfig.max_concurrency})`],
    ['records (RECORD messages)', result.records],
    ['records expected (simulator)', checked ? `${fmt(checked.expected)}${checked.mismatches.length ? ` — ${checked.mismatches.length} streams differ` : ' — all streams match'}` : 'not checked'],
    ['requests made (API)', result.requests],
    ['minimum requests (distinct URLs 200/304)', result.minimumRequests],
    ['wasted requests (made - minimum)', `${fmt(result.wastedRequests)} (${fmt(result.rateLimited)} answered 429, ${fmt(result.duplicateReads)} duplicate reads)`],
    ['answered with an empty list (X-Total-Count 0)', `${fmt(result.emptyListResponses)} (${result.requests ? ((100 * result.emptyListResponses) / result.requests).toFixed(1) : 0}% of requests)`],
    ['requests by status', Object.entries(result.requestsByStatus).map(([s, n]) => `${s}: ${n}`).join(', ')],
    ['429s received', `${fmt(result.rateLimited)}${result.rateLimited ? ` (${result.rateLimitedAfter10s} after the first 10 s; at ${result.rateLimitedAtSeconds.join(', ')} s)` : ''}`],
    ['busiest 10 s / 1 s (requests)', `${result.maxRequestsIn10s} / ${result.maxRequestsIn1s} (mean ${result.meanRequestsPerSecond}/s)`],
    ['Launchpad requests', result.launchpadRequests],
    ['wall time (s)', result.wallSeconds],
    ['ideal time (s) = minimum / 5 per s', limited ? result.idealSeconds : 'n/a (unlimited)'],
    ['ratio wall / ideal', limited ? result.ratioToIdeal : 'n/a (unlimited)'],
    ['tap CPU user + system (s)', run.measure ? `${fmt(result.tapCpuUserSeconds)} + ${fmt(result.tapCpuSystemSeconds)}` : 'n/a (no measure)'],
    ['records per tap CPU-second', result.recordsPerCpuSecond],
    ['tap peak RSS (MB)', run.measure ? result.tapPeakRssMB : `n/a from measure.js; /proc showed ${fmt(result.tapPeakRssFromProcMB)}`],
    ['tap peak heap used (MB)', result.tapPeakHeapUsedMB],
    ['tap heap used over the run (s: MB)', result.tapMemoryOutline.map(([t, h]) => `${t}: ${h}`).join(', ') || 'n/a'],
    ['simulator: generate s / CPU s / peak RSS MB', `${result.simulatorGenerateSeconds} / ${result.simulatorCpuSeconds} / ${fmt(result.simulatorPeakRssMB)}`],
    ['stdout (lines / MB / STATE messages)', `${fmt(result.stdoutLines)} / ${result.stdoutMB} / ${fmt(result.stateMessages)}`],
    ['tap exit code', `${run.code ?? 'none'}${run.signal ? ` (signal ${run.signal})` : ''}${failure ? ` — FAILED: ${failure}` : ''}`],
    ['tap log: 429 / retry warnings, errors', `${log.rateLimitWarnings} / ${log.retryWarnings}, ${log.errors}`],
    ['tap log last line', log.lastLine],
    ['tap log', path.join(dir, 'tap.log')],
    ['build', `HEAD ${build.commit ?? '?'}${build.srcChanged.length ? ` + uncommitted src/ (${build.srcChanged.join(', ')})` : ''}, dist ${build.distHash}`],
    ['load average (1 min) before / after', `${result.loadAverage1m.before} / ${result.loadAverage1m.after} on ${result.cpus} CPUs`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const table = rows.map(([k, v]) => `${k.padEnd(width)}  ${fmt(v)}`).join('\n');
  const print = o.json ? say : (line: string) => process.stdout.write(`${line}\n`);
  print('');
  print(table);
  if (checked?.mismatches.length) {
    print('');
    print('streams whose record count differs from the simulator:');
    for (const m of checked.mismatches) print(`  ${m.stream.padEnd(24)} expected ${m.expected}, got ${m.got}`);
  }
  print('');
  print(`busiest endpoints (${TOP_ENDPOINTS} of ${traffic.byEndpoint.length}): requests, pages after the first, empty lists`);
  for (const e of traffic.byEndpoint.slice(0, TOP_ENDPOINTS)) print(`  ${String(e.requests).padStart(7)} ${String(e.laterPages).padStart(7)} ${String(e.emptyLists).padStart(7)}  ${e.endpoint}`);
  for (const n of notes) print(`note: ${n}`);
  if (o.json) process.stdout.write(JSON.stringify({ ...result, tapMemoryTimeline: run.measure?.memoryTimeline, requestsByEndpoint: traffic.byEndpoint, recordsByStream: Object.fromEntries([...run.sink.byStream].sort()) }) + '\n');
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
