/** Running the built tap as a child process under measure.js, its stdout counted, with a time limit. */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CountingSink } from './sink';

export const ROOT = path.join(__dirname, '..', '..');
const TAP = path.join(ROOT, 'bin', 'tap-basecamp');
const MEASURE = path.join(__dirname, 'measure.js');
const PROGRESS_EVERY_MS = 30_000;
const KILL_GRACE_MS = 15_000;

export interface Measure {
  cpuUserMs: number;
  cpuSystemMs: number;
  maxRssKb: number;
  peakHeapUsedKb?: number;
  exitCode?: number;
  /** [seconds, heapUsed MB, rss MB], about one a second. */
  memoryTimeline?: Array<[number, number, number]>;
}

export interface TapRun {
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

function readMeasure(measureFile: string): Measure | undefined {
  try {
    return JSON.parse(fs.readFileSync(measureFile, 'utf8').trim()) as Measure;
  } catch {
    return undefined; // killed by a signal: no 'exit' event in the child
  }
}

/** One started tap: its time limit, progress ticker and RSS watch, until it closes. */
class Supervised {
  private timedOut = false;
  private wallMs = 0;
  private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  private limit: NodeJS.Timeout;
  private ticker: NodeJS.Timeout;
  private rssWatch: NodeJS.Timeout;
  private procPeakRssKb: number | undefined;
  private settled = false;

  constructor(
    private child: ChildProcess,
    private started: number,
    private sink: CountingSink,
    private errFd: number,
    private outFd: number | undefined,
    private measureFile: string,
    timeoutMs: number,
    progress: (elapsedMs: number, sink: CountingSink) => void,
    private resolve: (run: TapRun) => void,
  ) {
    this.limit = setTimeout(() => this.stop(timeoutMs), timeoutMs);
    this.ticker = setInterval(() => progress(Date.now() - this.started, sink), PROGRESS_EVERY_MS);
    this.rssWatch = setInterval(() => {
      this.procPeakRssKb = procPeakRss(child.pid) ?? this.procPeakRssKb;
    }, 1000);
    child.stdout!.on('data', (chunk: Buffer) => {
      sink.write(chunk);
      if (outFd !== undefined) fs.writeSync(outFd, chunk);
    });
    child.on('exit', (code, signal) => {
      this.wallMs = Date.now() - this.started;
      clearInterval(this.rssWatch);
      this.exited = { code, signal };
    });
    child.on('error', (err) => this.finish(err.message));
    child.on('close', () => this.finish());
  }

  private stop(timeoutMs: number): void {
    this.timedOut = true;
    process.stderr.write(`bench: the tap ran over ${(timeoutMs / 60_000).toFixed(1)} min; stopping it (SIGTERM, then SIGKILL)\n`);
    this.child.kill('SIGTERM');
    this.killTimer = setTimeout(() => this.child.kill('SIGKILL'), KILL_GRACE_MS);
  }

  private finish(spawnError?: string): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.limit);
    if (this.killTimer) clearTimeout(this.killTimer);
    clearInterval(this.ticker);
    clearInterval(this.rssWatch);
    fs.closeSync(this.errFd);
    if (this.outFd !== undefined) fs.closeSync(this.outFd);
    this.sink.end();
    const measure = readMeasure(this.measureFile);
    this.resolve({
      code: this.exited?.code ?? null,
      signal: this.exited?.signal ?? null,
      timedOut: this.timedOut,
      spawnError,
      wallMs: this.wallMs || Date.now() - this.started,
      sink: this.sink,
      measure,
      procPeakRssKb: this.procPeakRssKb,
    });
  }
}

export function runTap(
  configFile: string,
  dir: string,
  timeoutMs: number,
  progress: (elapsedMs: number, sink: CountingSink) => void,
  /** stdoutFile: where a copy of the tap's stdout goes (the replica check reads it back). */
  run: { name: string; stateFile?: string; stdoutFile?: string; catalogFile?: string } = { name: 'tap' },
): Promise<TapRun> {
  const measureFile = path.join(dir, `${run.name === 'tap' ? 'measure' : `measure-${run.name}`}.json`);
  const logFile = path.join(dir, `${run.name}.log`);
  const args = [
    '-r',
    MEASURE,
    TAP,
    '--config',
    configFile,
    ...(run.stateFile ? ['--state', run.stateFile] : []),
    ...(run.catalogFile ? ['--catalog', run.catalogFile] : []),
  ];
  const sink = new CountingSink();
  return new Promise((resolve) => {
    const errFd = fs.openSync(logFile, 'w');
    const outFd = run.stdoutFile ? fs.openSync(run.stdoutFile, 'w') : undefined;
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
      if (outFd !== undefined) fs.closeSync(outFd);
      resolve({ code: null, signal: null, timedOut: false, spawnError: (err as Error).message, wallMs: 0, sink });
      return;
    }
    new Supervised(child, started, sink, errFd, outFd, measureFile, timeoutMs, progress, resolve);
  });
}
