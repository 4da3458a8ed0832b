/**
 * What the person running a sync sees on stderr: a progress line now and then, and a summary at
 * the end, also when the run fails. Against the simulator with its rate limit on, so the run
 * lasts long enough for progress lines.
 */
import { startSimulator, Simulator } from '../../simulator';
import { defaultStreams, logLines, recordsOf, runTap, tmpDir, writeJson } from '../helpers/tap';

let sim: Simulator;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator({ records: 150, seed: 9, rateLimit: { requests: 100, windowMs: 10_000 } });
  dir = tmpDir();
});
afterAll(async () => {
  await sim?.stop();
});

describe('progress and summary', () => {
  it('prints a progress line at the interval, then one summary line per stream and the totals', async () => {
    // The tap is set to twice the simulator's limit (100 per 10 s): it gets 10/s at most, and its ETA must say so.
    const config = writeJson(dir, 'config.json', sim.config({ max_requests_per_10s: 200, progress_interval_seconds: 5 }));
    const run = await runTap(['--config', config], { timeoutMs: 120_000 });
    expect(run.code).toBe(0);
    const lines = logLines(run.stderr);
    const progress = lines.filter((l) => / INFO progress: /.test(l));
    expect(progress.length).toBeGreaterThanOrEqual(1);
    for (const l of progress) {
      expect(l).toMatch(/progress: [\d,]+ records, [\d,]+ requests \(\d+\.\d\/s\) in .*; [\d,]+ of [\d,]+ collections read/);
    }
    // Progress lines name the streams being read, and estimate at the rate observed (at most 10/s here, not the 20/s configured).
    const names = defaultStreams(sim);
    const reading = progress.map((l) => /; reading ([a-z_, ]+?)(?: and \d+ more)?(;|$)/.exec(l)?.[1]).filter((r): r is string => r !== undefined);
    expect(reading.length).toBeGreaterThan(0);
    for (const r of reading) for (const name of r.split(', ')) expect(names).toContain(name);
    // The limit allows 100 in any 10 s, so a burst makes the first seconds faster; from 20 s on, the rate seen is about 10/s.
    const estimates = progress
      .filter((l) => / left /.test(l))
      .map((l) => ({
        s: Number(/ in (\d+) s;/.exec(l)?.[1] ?? 0) + 60 * Number(/ in (\d+) min/.exec(l)?.[1] ?? 0),
        rate: Number(/left at (\d+\.\d) requests\/s/.exec(l)?.[1]),
      }));
    expect(estimates.length).toBeGreaterThan(0);
    for (const e of estimates) expect(e.rate).toBeGreaterThan(0);
    const late = estimates.filter((e) => e.s >= 20);
    expect(late.length).toBeGreaterThan(0);
    // What this checks is that the estimate divides by the rate observed, not the 20/s configured. Requests answered
    // 429 count as requests, so on a loaded machine the rate seen goes a little above the simulator's 10/s: the bound
    // is between the two, well clear of both.
    for (const e of late) expect(e.rate).toBeLessThanOrEqual(13);
    // record_count while the sync runs, not only at its end: the first METRIC line comes before the summary.
    const all = run.stderr.split('\n');
    const firstCount = all.findIndex((l) => l.startsWith('METRIC: ') && l.includes('"record_count"'));
    const firstProgress = all.findIndex((l) => / INFO progress: /.test(l));
    const summary = all.findIndex((l) => / INFO sync complete: /.test(l));
    expect(firstCount).toBeGreaterThan(firstProgress);
    expect(all.slice(firstProgress, summary).filter((l) => l.startsWith('METRIC: ') && l.includes('"record_count"')).length).toBeGreaterThan(0);
    const counts: Record<string, number> = {};
    for (const l of all.filter((l) => l.startsWith('METRIC: '))) {
      const p = JSON.parse(l.slice(8));
      if (p.metric === 'record_count') counts[p.tags.stream] = (counts[p.tags.stream] ?? 0) + p.value;
    }
    for (const stream of names) expect({ stream, n: counts[stream] }).toEqual({ stream, n: recordsOf(run.messages, stream).length });
    // Progress lines are at least 5 s apart.
    const times = progress.map((l) => Date.parse(l.split(' ')[0]!));
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(4900);
    // The summary: every stream with its count, then the totals and the version.
    const total = lines.find((l) => / INFO sync complete: /.test(l))!;
    expect(total).toMatch(
      /sync complete: \d+ records, \d+ requests \(\d+ retries, \d+ answered 429, \d+ not modified, \d+ pages read again after a list shrank\) in \d+\.\d s; tap-basecamp \d+\.\d+\.\d+$/,
    );
    for (const stream of defaultStreams(sim)) {
      const count = recordsOf(run.messages, stream).length;
      const line = lines.find((l) => new RegExp(` INFO   ${stream} +[\\d,]+$`).test(l));
      expect({ stream, line: line?.replace(/.* INFO +/, '').replace(/\s+/g, ' ') }).toEqual({ stream, line: `${stream} ${count.toLocaleString('en-US')}` });
    }
  });

  it('a failed run prints the same summary before its error line', async () => {
    const config = writeJson(dir, 'fragile.json', sim.config({ max_requests_per_10s: 1000, max_retries: 0 }));
    let broke = false;
    const run = await runTap(['--config', config], {
      timeoutMs: 120_000,
      onLine: (line) => {
        if (!broke && line.includes('"type":"RECORD"')) {
          broke = true;
          sim.setFaults({ errorRate: 1 });
        }
      },
    });
    sim.setFaults({});
    expect(run.code).toBe(1);
    const lines = logLines(run.stderr);
    const summary = lines.findIndex((l) => / INFO sync failed: /.test(l));
    const error = lines.findIndex((l) => / ERROR /.test(l));
    expect(summary).toBeGreaterThanOrEqual(0);
    expect(error).toBeGreaterThan(summary);
    expect(lines.some((l) => / INFO {3}projects +[\d,]+$/.test(l))).toBe(true);
  });
});
