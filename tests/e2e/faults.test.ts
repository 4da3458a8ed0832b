/**
 * The network at its worst: each faulty run must still finish with exit 0 and exactly the
 * records of a clean run; a run whose retries run out fails in one line and leaves a STATE to
 * resume from.
 */
import { startSimulator, Simulator } from '../../simulator';
import { Message, defaultStreams, expectReplica, lastState, logLines, recordsOf, runTap, table, tmpDir, writeJson } from '../helpers/tap';

let sim: Simulator;
let dir: string;

/** Every stream's records (last version per key) equal the simulator's, field for field. */
function expectExactly(messages: Message[]): void {
  expectReplica(sim, messages);
}

async function syncWith(faults: Parameters<Simulator['setFaults']>[0], extra: object = {}) {
  sim.setFaults(faults);
  try {
    const config = writeJson(dir, 'config.json', sim.config({ max_requests_per_10s: 10000, backoff_base_seconds: 0.02, ...extra }));
    return await runTap(['--config', config], { timeoutMs: 100_000 });
  } finally {
    sim.setFaults({});
  }
}

beforeAll(async () => {
  sim = await startSimulator({ records: 400, seed: 7 });
  dir = tmpDir();
});
afterAll(async () => {
  await sim?.stop();
});

describe('faults', () => {
  it('10% 5xx responses', async () => {
    sim.resetRequests();
    const run = await syncWith({ errorRate: 0.1 });
    expect(run.code).toBe(0);
    expect(sim.requests.filter((r) => r.status >= 500).length).toBeGreaterThan(5);
    expectExactly(run.messages);
  });

  it('dropped connections', async () => {
    const run = await syncWith({ dropRate: 0.05 });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/ECONNRESET|socket hang up|network error/);
    expectExactly(run.messages);
  });

  it('200 answers whose body is cut off after the headers', async () => {
    sim.resetRequests();
    const run = await syncWith({ cutRate: 0.05 });
    expect(run.code).toBe(0);
    expect(logLines(run.stderr).filter((l) => /WARN ECONNRESET reading the body of HTTP 200 on \/\d+\/\S+; retry 1\//.test(l)).length).toBeGreaterThan(0);
    expectExactly(run.messages);
  });

  it('200 answers whose body is not valid JSON', async () => {
    sim.resetRequests();
    const run = await syncWith({ badJsonRate: 0.05 });
    expect(run.code).toBe(0);
    expect(logLines(run.stderr).filter((l) => /WARN invalid JSON in HTTP 200 on \/\d+\/\S+; retry 1\//.test(l)).length).toBeGreaterThan(0);
    expectExactly(run.messages);
  });

  it('a burst of 429s pauses every request for the Retry-After, then completes', async () => {
    sim.resetRequests();
    const started = Date.now();
    const run = await syncWith({ burst429: { afterRequests: 30, count: 8, retryAfterSeconds: 2 } });
    expect(run.code).toBe(0);
    expect(sim.requests.filter((r) => r.status === 429).length).toBe(8);
    expect(logLines(run.stderr).filter((l) => /pausing all requests for 2.0 s/.test(l)).length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expectExactly(run.messages);
  });

  it('access tokens that expire every couple of seconds', async () => {
    // A 2 s token is used for max(2 s - 60 s margin, 2 s / 2) = 1 s. No more than
    // max_concurrency + 1 requests are in flight (the agent's socket cap), each held for the
    // latency, so the run lasts at least requests * latency / (concurrency + 1): make that well
    // over the token's life, whatever the machine's speed, and the token must be renewed.
    const latencyMs = 30;
    const concurrency = 2;
    const short = await startSimulator({ records: 400, seed: 7, tokenTtlSeconds: 2, latencyMs });
    try {
      const config = writeJson(dir, 'short.json', short.config({ max_requests_per_10s: 10000, max_concurrency: concurrency }));
      const run = await runTap(['--config', config], { timeoutMs: 100_000 });
      expect(run.code).toBe(0);
      const apiRequests = short.requests.filter((r) => !r.path.startsWith('/authorization')).length;
      expect((apiRequests * latencyMs) / (concurrency + 1)).toBeGreaterThan(1.5 * 1000); // the run outlived the token
      expect(short.requests.filter((r) => r.path.startsWith('/authorization/token')).length).toBeGreaterThan(1);
      for (const stream of defaultStreams(short)) {
        expect(table(recordsOf(run.messages, stream), stream).size).toBe(short.expectedRecords(stream).length);
      }
    } finally {
      await short.stop();
    }
  });

  it('responses slower than the request timeout are retried', async () => {
    const run = await syncWith({ slowRate: 0.03, slowMs: 3000 }, { request_timeout_seconds: 0.5 });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/ETIMEDOUT/);
    expectExactly(run.messages);
  });

  it('retries exhausted: one line with the path and status, exit 1, and the last STATE resumes without loss', async () => {
    sim.setLatency(10);
    let broke = false;
    try {
      const config = writeJson(
        dir,
        'fragile.json',
        sim.config({ max_requests_per_10s: 10000, max_concurrency: 2, max_retries: 2, backoff_base_seconds: 0.01 }),
      );
      const run = await runTap(['--config', config], {
        onLine: (line) => {
          if (!broke && line.includes('"type":"STATE"')) {
            broke = true;
            sim.setFaults({ errorRate: 1 });
          }
        },
      });
      sim.setFaults({});
      expect(run.code).toBe(1);
      const errors = logLines(run.stderr).filter((l) => / ERROR /.test(l));
      expect(errors).toEqual([expect.stringMatching(/ERROR HTTP 50[0234] on GET \/\d+\/\S+ after 2 retries$/)]);
      const state = lastState(run.messages);
      expect(state).toBeDefined();
      const resumed = await runTap([
        '--config',
        writeJson(dir, 'ok.json', sim.config({ max_requests_per_10s: 10000 })),
        '--state',
        writeJson(dir, 'state.json', state),
      ]);
      expect(resumed.code).toBe(0);
      expectExactly([...run.messages, ...resumed.messages]);
    } finally {
      sim.setFaults({});
      sim.setLatency(0);
    }
  });
});
