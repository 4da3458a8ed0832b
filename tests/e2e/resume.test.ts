/**
 * A killed run resumes without redoing its work (issue "No silent loss", item 6). A sync is
 * stopped when half of a full sync's requests are made; the resumed run completes the replica
 * and repeats little more than what was in flight when the first one stopped.
 */
import { ChildProcess } from 'node:child_process';
import { startSimulator, Simulator } from '../../simulator';
import { Message, expectReplica, keyOf, lastState, recordsOf, runTap, tmpDir, writeJson } from '../helpers/tap';

let sim: Simulator;
let dir: string;
let config: string;
let fullRequests = 0;
let fullRecords = 0;

/** API requests (not Launchpad) the simulator has answered since the last reset. */
const apiRequests = () => sim.requests.filter((r) => r.path.startsWith(`/${sim.accountId}/`)).length;

beforeAll(async () => {
  sim = await startSimulator({ records: 4000, seed: 3, latencyMs: 3 });
  dir = tmpDir();
  config = writeJson(dir, 'config.json', sim.config({ max_requests_per_10s: 100000, max_concurrency: 2 }));
  sim.resetRequests();
  const full = await runTap(['--config', config], { timeoutMs: 120_000 });
  expect(full.code).toBe(0);
  fullRequests = apiRequests();
  fullRecords = full.messages.filter((m) => m.type === 'RECORD').length;
});
afterAll(async () => {
  await sim?.stop();
});

/** Runs a sync and sends `signal` once it has made half of a full sync's requests. */
async function stoppedHalfway(signal: NodeJS.Signals): Promise<{ messages: Message[]; requests: number }> {
  sim.resetRequests();
  let child: ChildProcess | undefined;
  let sent = false;
  sim.onRequest(() => {
    if (!sent && child && apiRequests() >= fullRequests / 2) {
      sent = true;
      child.kill(signal);
    }
  });
  try {
    const run = await runTap(['--config', config], { timeoutMs: 120_000, onSpawn: (c) => (child = c) });
    expect(run.signal).toBe(signal);
    return { messages: run.messages, requests: apiRequests() };
  } finally {
    sim.onRequest(undefined);
  }
}

/** Same record (same stream, key and content) written by both runs. */
function rewritten(first: Message[], second: Message[]): number {
  const seen = new Set(first.filter((m) => m.type === 'RECORD').map((m) => `${m.stream}/${keyOf(m.stream!, m.record!)}/${JSON.stringify(m.record)}`));
  return second.filter((m) => m.type === 'RECORD' && seen.has(`${m.stream}/${keyOf(m.stream!, m.record!)}/${JSON.stringify(m.record)}`)).length;
}

describe.each(['SIGTERM', 'SIGKILL'] as const)('a run stopped by %s at 50%', (signal) => {
  it('resumes from its last STATE, completes the replica, and repeats little', async () => {
    const stopped = await stoppedHalfway(signal);
    const state = lastState(stopped.messages);
    expect(state).toBeDefined();
    sim.resetRequests();
    const resumed = await runTap(['--config', config, '--state', writeJson(dir, `${signal}.json`, state)], { timeoutMs: 120_000 });
    expect(resumed.code).toBe(0);
    expectReplica(sim, [...stopped.messages, ...resumed.messages]);
    const repeated = (stopped.requests + apiRequests() - fullRequests) / fullRequests;
    const again = rewritten(stopped.messages, resumed.messages) / fullRecords;
    // Numbers for the README and the closing note.
    process.stderr.write(
      `${signal} at 50%: full sync ${fullRequests} requests, stopped run ${stopped.requests}, resumed ${apiRequests()}: ${(repeated * 100).toFixed(1)}% repeated; ${(again * 100).toFixed(1)}% of the records written again\n`,
    );
    expect(repeated).toBeLessThan(signal === 'SIGTERM' ? 0.05 : 0.15);
    expect(again).toBeLessThan(0.03);
    expect(recordsOf(resumed.messages, 'projects').length).toBeLessThan(recordsOf(stopped.messages, 'projects').length);
  });
});
