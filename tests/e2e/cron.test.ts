/**
 * bin/tap-basecamp-cron end to end: the wrapper runs the built tap against the simulator into the
 * stand-in target, keeps state.json between runs, leaves it untouched when a run fails, writes
 * one log per run and refuses to run twice at once.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Simulator, startSimulator } from '../../simulator';
import { Done, cleanEnv, runCommand as run } from '../helpers/tap';

const ROOT = path.join(__dirname, '..', '..');
const TAP = path.join(ROOT, 'bin', 'tap-basecamp');
const CRON = path.join(ROOT, 'bin', 'tap-basecamp-cron');
const TARGET = path.join(ROOT, 'tests', 'helpers', 'stand-in-target.js');

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

interface RecordLine {
  stream: string;
  record: Record<string, unknown>;
}
function readRecords(file: string): RecordLine[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as RecordLine);
}

describe('tap-basecamp-cron', () => {
  let sim: Simulator;
  let tmp: string;
  let config: string;
  let catalog: string;
  let stateDir: string;
  let state: string;

  beforeAll(async () => {
    sim = await startSimulator({ records: 200 });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tap-basecamp-cron-'));
    config = path.join(tmp, 'config.json');
    // No rate limit worth the name: the simulator does not enforce one unless asked.
    fs.writeFileSync(config, JSON.stringify(sim.config({ max_requests_per_10s: 10000 })));
    const discovered = await run(process.execPath, [TAP, '--config', config, '--discover']);
    expect(discovered.code).toBe(0);
    catalog = path.join(tmp, 'catalog.json');
    fs.writeFileSync(catalog, discovered.stdout);
    stateDir = path.join(tmp, 'state');
    state = path.join(stateDir, 'state.json');
  });
  afterAll(async () => {
    await sim.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function cron(records: string, env: NodeJS.ProcessEnv = {}): Promise<Done> {
    return run(CRON, ['--config', config, '--catalog', catalog, '--state-dir', stateDir, '--target', `node ${q(TARGET)} ${q(records)}`], cleanEnv(env));
  }
  const logs = () =>
    fs
      .readdirSync(path.join(stateDir, 'logs'))
      .filter((f) => f.endsWith('.log'))
      .sort();

  test('runs, resumes from state.json, and keeps it untouched when a run fails', async () => {
    // 1. First run: a full sync, state.json created.
    const records1 = path.join(tmp, 'records1.jsonl');
    const first = await cron(records1);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(fs.existsSync(state)).toBe(true);
    const state1 = fs.readFileSync(state, 'utf8');
    expect(state1.endsWith('\n')).toBe(true);
    expect(JSON.parse(state1)).toHaveProperty('bookmarks');
    expect(fs.existsSync(path.join(stateDir, 'state.out.tmp'))).toBe(false);
    const run1 = readRecords(records1);
    const todos1 = run1.filter((r) => r.stream === 'todos');
    expect(todos1.length).toBeGreaterThan(0);
    expect(logs()).toHaveLength(1);

    // 2. A to-do changes; the second run starts from state.json and writes only what is new.
    const todoId = Number(todos1[0].record.id);
    sim.update('todos', todoId);
    const records2 = path.join(tmp, 'records2.jsonl');
    const second = await cron(records2);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    const run2 = readRecords(records2);
    const todos2 = run2.filter((r) => r.stream === 'todos');
    expect(todos2.map((r) => r.record.id)).toContain(todoId);
    expect(todos2.length).toBeLessThan(todos1.length);
    expect(run2.length).toBeLessThan(run1.length / 2);
    const log2 = fs.readFileSync(path.join(stateDir, 'logs', logs()[1]), 'utf8');
    expect(log2).toContain(`starting from ${state}`);
    const state2 = fs.readFileSync(state, 'utf8');
    expect(state2).not.toBe(state1);
    expect(logs()).toHaveLength(2);

    // 3. The target fails: state.json byte-identical, non-zero exit, one line naming the log.
    sim.update('todos', todoId);
    const third = await cron(path.join(tmp, 'records3.jsonl'), { STAND_IN_TARGET_FAIL: '1' });
    expect(third.code).not.toBe(0);
    expect(third.code).not.toBe(75);
    expect(fs.readFileSync(state, 'utf8')).toBe(state2);
    const lines3 = third.stderr.trimEnd().split('\n');
    expect(lines3).toHaveLength(1);
    expect(logs()).toHaveLength(3);
    const log3 = path.join(stateDir, 'logs', logs()[2]);
    expect(lines3[0]).toContain(log3);
    expect(fs.readFileSync(log3, 'utf8')).toContain('STAND_IN_TARGET_FAIL');
    // The line quotes the target's own last error line.
    expect(lines3[0]).toMatch(/sync failed \(tap exit \d+, target exit 1\): target: stand-in-target: failing as asked/);
    expect(fs.existsSync(path.join(tmp, 'records3.jsonl'))).toBe(false);

    // 4. The tap fails (refresh token revoked): the same.
    sim.revokeRefreshToken();
    const fourth = await cron(path.join(tmp, 'records4.jsonl'));
    expect(fourth.code).not.toBe(0);
    expect(fs.readFileSync(state, 'utf8')).toBe(state2);
    expect(fourth.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(logs()).toHaveLength(4);
    const log4 = path.join(stateDir, 'logs', logs()[3]);
    expect(fourth.stderr).toContain(log4);
    expect(fs.readFileSync(log4, 'utf8')).toMatch(/refresh token rejected/);
    // The line quotes the tap's own error line.
    expect(fourth.stderr).toMatch(/sync failed \(tap exit 1, target exit 0\): refresh token rejected by Launchpad/);
    // ... also when the tap logs in json (its error line is an object, found by its level).
    const fifth = await cron(path.join(tmp, 'records4-json.jsonl'), { TAP_BASECAMP_LOG_FORMAT: 'json' });
    expect(fifth.code).not.toBe(0);
    expect(fs.readFileSync(state, 'utf8')).toBe(state2);
    expect(fifth.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/sync failed \(tap exit 1, target exit 0\): refresh token rejected by Launchpad \(HTTP 400/),
    ]);
    // The tap's log never carries the secrets.
    for (const log of logs()) {
      const text = fs.readFileSync(path.join(stateDir, 'logs', log), 'utf8');
      expect(text).not.toContain(sim.clientSecret);
      expect(text).not.toContain(sim.refreshToken);
    }
    expect(fs.readdirSync(stateDir).filter((f) => f.startsWith('.state.json'))).toEqual([]);
  }, 240_000);

  test('a second run while one holds the lock logs one line and exits 75', async () => {
    fs.mkdirSync(stateDir, { recursive: true });
    // Hold the lock the way a running wrapper does (exec: the pid we kill is the one holding it).
    const lock = path.join(stateDir, '.lock');
    const holder: ChildProcess = spawn('bash', ['-c', `exec 9>>${q(lock)} && flock 9 && echo locked && exec sleep 60`], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const exited = new Promise((r) => holder.once('close', r));
    try {
      await new Promise((r) => holder.stdout!.once('data', r));
      const before = fs.existsSync(state) ? fs.readFileSync(state, 'utf8') : undefined;
      const count = logs().length;
      const blocked = await cron(path.join(tmp, 'records5.jsonl'));
      expect(blocked.code).toBe(75);
      expect(blocked.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(blocked.stderr).toMatch(/another run/);
      expect(logs()).toHaveLength(count);
      expect(fs.existsSync(state) ? fs.readFileSync(state, 'utf8') : undefined).toBe(before);
    } finally {
      holder.kill();
      await exited;
    }
  });

  test('keeps only the newest --keep-logs logs, and rejects bad arguments', async () => {
    const logDir = path.join(stateDir, 'logs');
    fs.mkdirSync(logDir, { recursive: true });
    for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(logDir, `20000101T00000${i}Z.log`), 'old\n');
    const done = await run(
      CRON,
      ['--config', config, '--catalog', catalog, '--state-dir', stateDir, '--keep-logs', '3', '--target', 'cat >/dev/null'],
      cleanEnv(),
    );
    // The refresh token was revoked above: the run fails, but it still keeps 3 logs, the newest.
    expect(done.code).toBe(1);
    const kept = logs();
    expect(kept).toHaveLength(3);
    expect(kept.some((f) => f.startsWith('2000'))).toBe(false);

    const usage = await run(CRON, ['--config', config, '--state-dir', stateDir, '--target', 'cat']);
    expect(usage.code).toBe(2);
    expect(usage.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(usage.stderr).toMatch(/--catalog is required/);
  });
});

describe('tap-basecamp-cron, stopped and misconfigured', () => {
  let sim: Simulator;
  let tmp: string;
  let config: string;
  let catalog: string;

  beforeAll(async () => {
    sim = await startSimulator({ records: 600, latencyMs: 20 });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tap-basecamp-cron2-'));
    config = path.join(tmp, 'config.json');
    fs.writeFileSync(config, JSON.stringify(sim.config({ max_requests_per_10s: 10000, max_concurrency: 2 })));
    const discovered = await run(process.execPath, [TAP, '--config', config, '--discover']);
    catalog = path.join(tmp, 'catalog.json');
    fs.writeFileSync(catalog, discovered.stdout);
  });
  afterAll(async () => {
    await sim.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('SIGTERM reaches the tap and the target, frees the lock, and keeps the final state for the next run', async () => {
    const stateDir = path.join(tmp, 'term');
    const records = path.join(tmp, 'term.jsonl');
    const child = spawn(CRON, ['--config', config, '--catalog', catalog, '--state-dir', stateDir, '--target', `node ${q(TARGET)} ${q(records)}`], {
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    // Wait until the tap is well into the sync, then stop the wrapper.
    while (sim.requests.length < 80) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGTERM');
    const code = await closed;
    expect(code).toBe(143);
    expect(stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/interrupted by SIGTERM; the next run resumes from .*state\.json/)]);
    // Neither the tap nor the target outlives the wrapper, and the lock is free.
    const after = sim.requests.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(sim.requests.length).toBe(after);
    const free = await run('bash', ['-c', `exec 9>>${q(path.join(stateDir, '.lock'))} && flock -n 9 && echo free`]);
    expect(free.stdout.trim()).toBe('free');
    // The next run resumes from the kept state and completes.
    const state = JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8')) as { bookmarks: object };
    expect(state.bookmarks).toBeDefined();
    const next = await run(
      CRON,
      ['--config', config, '--catalog', catalog, '--state-dir', stateDir, '--target', `node ${q(TARGET)} ${q(records)}`],
      cleanEnv(),
    );
    expect(next.code).toBe(0);
    expect(next.stderr).toBe('');
  }, 120_000);

  test('a target that prints no state gets a warning: every run would be a full sync', async () => {
    const stateDir = path.join(tmp, 'nostate');
    const done = await run(CRON, ['--config', config, '--catalog', catalog, '--state-dir', stateDir, '--target', 'cat >/dev/null'], cleanEnv());
    expect(done.code).toBe(0);
    expect(done.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/warning: the target printed no state, so every run will be a full sync/)]);
    expect(fs.existsSync(path.join(stateDir, 'state.json'))).toBe(false);
  }, 120_000);
});
