/** Running the built CLI as a subprocess, and reading what it printed. */
import { spawn, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OPT_IN_STREAMS } from '../../simulator/expected';

export const ROOT = path.join(__dirname, '..', '..');
/** The CLI under test; TAP_UNDER_TEST points at another build (e.g. the last release, to measure a fix). */
export const TAP = process.env.TAP_UNDER_TEST ?? path.join(ROOT, 'bin', 'tap-basecamp');

export type Message = { type: string; stream?: string; record?: Record<string, any>; value?: any; schema?: any; key_properties?: string[] };

export interface TapRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  messages: Message[];
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Called for every stdout line as it arrives (e.g. to kill the run midway). */
  onLine?: (line: string, child: ChildProcess) => void;
  /** Called once the process is started. */
  onSpawn?: (child: ChildProcess) => void;
}

/** The caller's environment without TAP_BASECAMP_* (or stand-in target) variables, plus `extra`. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TAP_BASECAMP_') && !k.startsWith('STAND_IN_TARGET_')));
  return { ...env, LOG_LEVEL: '', LOGLEVEL: '', ...extra };
}

export interface Done {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command and collects its output. Asynchronous on purpose: the simulator answers from
 * the test process, so a blocking spawn would starve it.
 */
export function runCommand(cmd: string, args: string[], env: NodeJS.ProcessEnv = cleanEnv()): Promise<Done> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function runTap(args: string[], options: RunOptions = {}): Promise<TapRun> {
  return new Promise((resolve, reject) => {
    const env = cleanEnv(options.env);
    const child = spawn(process.execPath, [TAP, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    options.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    let partial = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!options.onLine) return;
      partial += chunk;
      const lines = partial.split('\n');
      partial = lines.pop()!;
      for (const line of lines) options.onLine(line, child);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 90_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const messages: Message[] = [];
      for (const line of stdout.split('\n')) {
        if (!line.startsWith('{"')) continue; // pretty JSON (--discover, --about) is not a message stream
        try {
          messages.push(JSON.parse(line) as Message);
        } catch {
          /* a line cut short by a kill */
        }
      }
      resolve({ code, signal, stdout, stderr, messages });
    });
  });
}

export function tmpDir(prefix = 'tap-basecamp-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function writeJson(dir: string, name: string, value: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return file;
}

export function recordsOf(messages: Message[], stream: string): Record<string, any>[] {
  return messages.filter((m) => m.type === 'RECORD' && m.stream === stream).map((m) => m.record!);
}

export function lastState(messages: Message[]): any {
  const states = messages.filter((m) => m.type === 'STATE');
  return states.length ? states[states.length - 1].value : undefined;
}

export function keyOf(stream: string, record: Record<string, any>): string {
  if (stream === 'project_people') return `${record.project_id}/${record.person_id}`;
  if (stream === 'message_types') return `${record.project_id}/${record.id}`;
  if (stream === 'accesses') return `${record.project_id}/${record.person_id}`;
  if (stream === 'hill_charts') return String(record.todoset_id);
  return String(record.id);
}

/** Last version of each record by key, as a target that upserts on the key would hold it. */
export function table(records: Record<string, any>[], stream: string): Map<string, Record<string, any>> {
  const out = new Map<string, Record<string, any>>();
  for (const r of records) out.set(keyOf(stream, r), r);
  return out;
}

/** stderr lines that are not METRIC lines. */
export function logLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.trim() && !l.startsWith('METRIC:'));
}

/** The streams a run without a catalog writes: every stream but the opt-in ones. */
export function defaultStreams(sim: { streamNames(): string[] }): string[] {
  return sim.streamNames().filter((s) => !(OPT_IN_STREAMS as readonly string[]).includes(s));
}

/**
 * What a target that upserts on the key holds after `messages` equals the simulated account,
 * stream by stream and record by record: nothing missing, nothing extra, every field equal.
 */
export function expectReplica(
  sim: { streamNames(): string[]; expectedRecords(stream: string): object[] },
  messages: Message[],
  streams = defaultStreams(sim),
  /** Extra keys a replica may hold: records read when they were reachable, unreachable since. */
  mayHold: (stream: string, key: string) => boolean = () => false,
): void {
  for (const stream of streams) {
    const got = table(recordsOf(messages, stream), stream);
    const expected = sim.expectedRecords(stream) as Record<string, any>[];
    const missing = expected.filter((r) => !got.has(keyOf(stream, r))).map((r) => keyOf(stream, r));
    expect({ stream, missing }).toEqual({ stream, missing: [] });
    const expectedKeys = new Set(expected.map((r) => keyOf(stream, r)));
    const extra = [...got.keys()].filter((k) => !expectedKeys.has(k) && !mayHold(stream, k));
    expect({ stream, extra }).toEqual({ stream, extra: [] });
    for (const r of expected) expect(got.get(keyOf(stream, r))).toEqual(r);
  }
}
