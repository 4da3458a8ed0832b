/**
 * Logs and metrics as Meltano SDK taps write them, run as Meltano runs the tap: a generated config
 * file and the same settings as TAP_BASECAMP_* variables, a catalog, or `--config ENV` with the
 * environment alone. In json every stderr line is one object naming the account; in text every
 * line after the config is read carries `[account N]`; record_count is tagged with the stream and
 * sums to what was written; sync_duration closes the run.
 */
import { startSimulator, Simulator } from '../../simulator';
import { Message, TapRun, cleanEnv, defaultStreams, runTap, tmpDir, writeJson } from '../helpers/tap';

let sim: Simulator;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator({ records: 60, seed: 21 });
  dir = tmpDir();
});
afterAll(async () => {
  await sim?.stop();
});

type Json = Record<string, any>;
const settings = () => sim.config({ max_requests_per_10s: 100000 });
/** The settings as Meltano exports them beside the config file it writes. */
const envOf = (values: Record<string, unknown>, extra: NodeJS.ProcessEnv = {}) => ({
  ...Object.fromEntries(Object.entries(values).map(([k, v]) => [`TAP_BASECAMP_${k.toUpperCase()}`, String(v)])),
  ...extra,
});
const jsonLines = (run: TapRun): Json[] =>
  run.stderr
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Json);
const recordCounts = (messages: Message[]) => {
  const out: Record<string, number> = {};
  for (const m of messages) if (m.type === 'RECORD') out[m.stream!] = (out[m.stream!] ?? 0) + 1;
  return out;
};

/** Sum of the record_count values per stream. */
function summed(points: Json[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of points.filter((p) => p.metric === 'record_count')) out[p.tags.stream] = (out[p.tags.stream] ?? 0) + p.value;
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v > 0));
}

describe('log_format json, as Meltano runs the tap', () => {
  it('config file and environment: every stderr line is one JSON object with level, message and account_id; metrics inside', async () => {
    const values = { ...settings(), log_format: 'json' };
    const config = writeJson(dir, 'meltano-config.json', values);
    const run = await runTap(['--config', config], { env: envOf(values) });
    expect(run.code).toBe(0);
    const lines = jsonLines(run);
    expect(lines.length).toBeGreaterThan(5);
    for (const l of lines) {
      expect(Object.keys(l)).toEqual(expect.arrayContaining(['time', 'level', 'message', 'account_id']));
      expect(['debug', 'info', 'warning', 'error']).toContain(l.level);
    }
    // Every line is printed after the config is read: all name the account.
    expect(lines.filter((l) => l.account_id !== sim.accountId)).toEqual([]);
    const points = lines.filter((l) => l.metric).map((l) => l.metric as Json);
    for (const l of lines.filter((l) => l.metric)) {
      expect(l.message).toBe(`METRIC: ${JSON.stringify(l.metric)}`);
      if (l.metric.tags.stream) expect(l.stream).toBe(l.metric.tags.stream);
    }
    // record_count: tagged with the stream (no more "endpoint"), summing to what was written.
    const counters = points.filter((p) => p.metric === 'record_count');
    for (const p of counters)
      expect(p).toEqual({
        type: 'counter',
        metric: 'record_count',
        value: expect.any(Number),
        tags: { stream: expect.any(String), account_id: sim.accountId },
      });
    expect(summed(points)).toEqual(recordCounts(run.messages));
    expect(new Set(counters.map((p) => p.tags.stream))).toEqual(new Set(defaultStreams(sim)));
    // sync_duration: one per stream, and one for the whole run, all succeeded.
    const timers = points.filter((p) => p.metric === 'sync_duration');
    expect(timers.filter((p) => !p.tags.stream)).toEqual([
      { type: 'timer', metric: 'sync_duration', value: expect.any(Number), tags: { status: 'succeeded', account_id: sim.accountId } },
    ]);
    expect(
      timers
        .filter((p) => p.tags.stream)
        .map((p) => p.tags.stream)
        .sort(),
    ).toEqual([...defaultStreams(sim)].sort());
    expect(timers.every((p) => p.tags.status === 'succeeded' && p.value >= 0)).toBe(true);
    // The closing summary's line per stream carries it.
    const todos = lines.find((l) => /^ +todos +[\d,]+$/.test(l.message));
    expect(todos).toMatchObject({ level: 'info', stream: 'todos' });
    // http_request_duration stays at debug.
    expect(points.filter((p) => p.metric === 'http_request_duration')).toEqual([]);
    expect(run.stderr).not.toContain(sim.clientSecret);
  });

  it('--config ENV: settings from the environment alone; TAP_BASECAMP_LOG_FORMAT and TAP_BASECAMP_LOGLEVEL apply', async () => {
    const run = await runTap(['--config', 'ENV', '--test'], {
      env: envOf(settings(), { TAP_BASECAMP_LOG_FORMAT: 'json', TAP_BASECAMP_LOGLEVEL: 'debug', LOGLEVEL: 'error' }),
    });
    expect(run.code).toBe(0);
    const lines = jsonLines(run);
    expect(lines.filter((l) => l.metric?.metric === 'http_request_duration').length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.level === 'info').map((l) => l.message)).toEqual([expect.stringMatching(/^OK: token refreshed/)]);
    expect(lines.every((l) => l.account_id === sim.accountId)).toBe(true);
  });

  it('a line printed before the config is read takes the format from the environment, with account_id null', async () => {
    const run = await runTap(['--config', 'ENV', '--sync-everything'], { env: { TAP_BASECAMP_LOG_FORMAT: 'json' } });
    expect(run.code).toBe(2);
    expect(jsonLines(run)).toEqual([
      { time: expect.any(String), level: 'error', message: expect.stringMatching(/^Unknown argument: sync-everything/), account_id: null },
    ]);
  });

  it('a line about one stream carries it', async () => {
    // The simulator's messages hold a U+0000, which the writer strips and says so at debug level.
    const run = await runTap(['--config', writeJson(dir, 'debug-json.json', { ...settings(), log_format: 'json' }), '--log-level', 'debug']);
    expect(run.code).toBe(0);
    const stripped = jsonLines(run).filter((l) => /^stripped U\+0000 from a messages record/.test(l.message));
    expect(stripped.length).toBeGreaterThan(0);
    for (const l of stripped) expect(l).toMatchObject({ level: 'debug', stream: 'messages', account_id: sim.accountId });
  });
});

describe('log levels and --config ENV', () => {
  it.each([
    ['LOGLEVEL alone', { LOGLEVEL: 'debug' }, true],
    ['TAP_BASECAMP_LOGLEVEL beats LOGLEVEL', { TAP_BASECAMP_LOGLEVEL: 'info', LOGLEVEL: 'debug' }, false],
    ['--log-level beats them all', { TAP_BASECAMP_LOGLEVEL: 'error', LOG_LEVEL: 'error', LOGLEVEL: 'error' }, true],
  ])('%s', async (_, env, debug) => {
    const args = ['--config', writeJson(dir, 'plain.json', settings()), '--test', ...(_.startsWith('--log-level') ? ['--log-level', 'debug'] : [])];
    const run = await runTap(args, { env });
    expect(run.code).toBe(0);
    expect(/METRIC: .*http_request_duration/.test(run.stderr)).toBe(debug);
  });

  it('--config ENV with no TAP_BASECAMP_* variable is one error line', async () => {
    const run = await runTap(['--config', 'ENV'], { env: cleanEnv() });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/ERROR --config ENV reads the settings from TAP_BASECAMP_\* environment variables, and none is set$/),
    ]);
  });
});

describe('log_format text', () => {
  it('every line names the account once it is known; METRIC lines stay as SDK taps print them', async () => {
    const run = await runTap(['--config', 'ENV'], { env: envOf(settings()) });
    expect(run.code).toBe(0);
    const lines = run.stderr.trim().split('\n');
    const plain = lines.filter((l) => !l.startsWith('METRIC: '));
    expect(plain.length).toBeGreaterThan(3);
    for (const l of plain) expect(l).toMatch(new RegExp(`^\\S+Z \\[account ${sim.accountId}\\] (DEBUG|INFO|WARN|ERROR) `));
    const points = lines.filter((l) => l.startsWith('METRIC: ')).map((l) => JSON.parse(l.slice('METRIC: '.length)) as Json);
    expect(summed(points)).toEqual(recordCounts(run.messages));
    expect(points.filter((p) => p.metric === 'sync_duration').length).toBe(defaultStreams(sim).length + 1);
  });
});
