/**
 * A fresh simulator per test: `body` gets it and `config(extra)`, which writes a tap config for it
 * (no practical rate limit, `extra` on top) into `dir`; the simulator is stopped whatever happens.
 */
import { SimulatorOptions, Simulator, startSimulator } from '../../simulator';
import { Message, lastState, logLines, runTap, writeJson } from './tap';

export type SimulatorBody = (sim: Simulator, config: (extra?: object) => string) => Promise<void>;

/** A runner of 1,500-record accounts of `seed`, its config files written into `dir`. */
export function simulatorRunner(dir: string, seed: number): (opts: SimulatorOptions, body: SimulatorBody) => Promise<void> {
  return async (opts, body) => {
    const sim = await startSimulator({ records: 1500, seed, ...opts });
    let n = 0;
    const config = (extra: object = {}) => writeJson(dir, `config-${seed}-${++n}.json`, sim.config({ max_requests_per_10s: 100000, ...extra }));
    try {
      await body(sim, config);
    } finally {
      await sim.stop();
    }
  };
}

/** One run of the built tap against a simulator, as the end-to-end tests look at it. */
export interface SimulatedRun {
  messages: Message[];
  /** The last STATE's value. */
  state: any;
  stderr: string;
  /** The log lines on stderr. */
  lines: string[];
  /** The paths the simulator was asked for in this run, and how many requests. */
  paths: string[];
  requests: number;
  /** The simulator's clock when the run started. */
  start: string;
}

/**
 * Runs the built tap with `args` (and `state`, written into `dir`) against `sim`, whose request
 * log starts empty: the run must exit 0 with no ERROR or WARN line.
 */
export async function syncAgainst(sim: Simulator, dir: string, args: string[], state?: unknown, timeoutMs = 120_000): Promise<SimulatedRun> {
  if (state !== undefined) args = [...args, '--state', writeJson(dir, `state-${Date.now()}-${Math.random()}.json`, state)];
  sim.resetRequests();
  const start = sim.now().toISOString();
  const run = await runTap(args, { timeoutMs });
  const lines = logLines(run.stderr);
  expect(lines.filter((l) => / (ERROR|WARN) /.test(l))).toEqual([]);
  expect(run.code).toBe(0);
  const paths = sim.requests.map((r) => r.path);
  return { messages: run.messages, state: lastState(run.messages), stderr: run.stderr, lines, paths, requests: paths.length, start };
}
