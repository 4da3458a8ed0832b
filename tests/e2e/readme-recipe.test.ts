/**
 * The README's simulator recipe, as a reader runs it (issue 17, item 6): its code block, taken
 * from README.md and run with bash, with the tap under test on PATH as `tap-basecamp`. Every
 * command in it must work (the config awaited however long the simulator takes, `tap-basecamp
 * auth` through the simulator's Launchpad), and the simulator must be gone when it ends. And the
 * config the simulator prints with --rate-limit keeps a tap within the limit it enforces.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Message, ROOT, TAP, logLines, runTap, tmpDir, writeJson } from '../helpers/tap';

/** The first ```sh block after `anchor` in README.md. */
function readmeBlock(anchor: string): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const from = readme.indexOf(anchor);
  expect(from).toBeGreaterThanOrEqual(0);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(from));
  expect(block).not.toBeNull();
  return block![1];
}

/** The environment a reader's shell has: no tap settings, no npm run-script variables, the tap on PATH. */
function readerEnv(bin: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TAP_BASECAMP_|npm_|STAND_IN_TARGET_)/i.test(k)));
  return { ...env, LOG_LEVEL: '', PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };
}

/** Whether anything still answers on the simulator's port. */
async function answers(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/authorization.json`, { signal: AbortSignal.timeout(5000) });
    return true;
  } catch {
    return false;
  }
}

async function stopsAnswering(url: string, withinMs: number): Promise<boolean> {
  for (const end = Date.now() + withinMs; Date.now() < end;) {
    if (!(await answers(url))) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return !(await answers(url));
}

describe('the README recipe for the simulator', () => {
  // The recipe runs `npm run simulator`, which needs the clone: a folder inside it (git-ignored).
  const scratch = path.join(ROOT, 'scratch');
  let dir: string;
  beforeAll(() => {
    fs.mkdirSync(scratch, { recursive: true });
    dir = fs.mkdtempSync(path.join(scratch, 'readme-recipe-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("runs as written with bash: every command succeeds, auth goes through the simulator's Launchpad, and the simulator is stopped", async () => {
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'tap-basecamp'), `#!/bin/sh\nexec "${process.execPath}" "${TAP}" "$@"\n`, { mode: 0o755 });
    const script = path.join(dir, 'recipe.sh');
    fs.writeFileSync(script, readmeBlock('To try every command first without a Basecamp account'));
    const work = path.join(dir, 'work');
    fs.mkdirSync(work);
    // Output to a file, not a pipe: a simulator left running would hold a pipe open for ever.
    const log = fs.openSync(path.join(dir, 'recipe.log'), 'w');
    // In a process group of its own, so that whatever it leaves running can be stopped after.
    const child = spawn('bash', [script], { cwd: work, env: readerEnv(bin), stdio: ['ignore', log, log], detached: true });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (c) => resolve(c));
    });
    fs.closeSync(log);
    let stopped: boolean;
    try {
      const simConfig = JSON.parse(fs.readFileSync(path.join(work, 'sim-config.json'), 'utf8'));
      stopped = await stopsAnswering(simConfig.api_url, 30_000);
    } finally {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* the group is gone: nothing was left running */
      }
    }
    const run = { code, stderr: fs.readFileSync(path.join(dir, 'recipe.log'), 'utf8') };
    // Stopped: nothing answers on its port once the recipe is over (npm hands the signal on).
    expect(stopped).toBe(true);
    const simConfig = JSON.parse(fs.readFileSync(path.join(work, 'sim-config.json'), 'utf8'));
    // Only the tap's info lines: no warning or error, nothing from bash, npm or curl.
    expect(logLines(run.stderr).filter((l) => !/^\d{4}-\d\d-\d\dT\S+ (\[account \d+\] )?INFO /.test(l))).toEqual([]);
    expect(run.code).toBe(0);
    expect(logLines(run.stderr).filter((l) => / INFO OK: token refreshed /.test(l))).toHaveLength(2);
    expect(fs.readFileSync(path.join(work, 'sim-catalog.json'), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'catalogs', 'catalog.json'), 'utf8'));
    const out = fs
      .readFileSync(path.join(work, 'sim-out.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Message);
    expect(out.filter((m) => m.type === 'RECORD').length).toBeGreaterThan(100);
    expect(out[out.length - 1].type).toBe('STATE');
    const authConfig = JSON.parse(fs.readFileSync(path.join(work, 'sim-auth-config.json'), 'utf8'));
    expect(authConfig).toMatchObject({ account_id: 999999001, api_url: simConfig.api_url, token_url: simConfig.token_url, basecamp_product: 'bc3' });
    expect(fs.statSync(path.join(work, 'sim-auth-config.json')).mode & 0o777).toBe(0o600);
  }, 240_000);
});

describe('the simulator with --rate-limit', () => {
  const dir = tmpDir('tap-basecamp-ratelimit-');
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill('SIGTERM');
  });

  /** Starts simulator/cli.ts and resolves with the config it prints on its first line. */
  function simulator(args: string[]): Promise<Record<string, any>> {
    return new Promise((resolve, reject) => {
      const tsNode = path.join(ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js');
      const child = spawn(process.execPath, [tsNode, '--transpile-only', path.join(ROOT, 'simulator', 'cli.ts'), ...args], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]));
      });
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`simulator exited ${code} before printing its config`)));
    });
  }

  test('prints the limit it enforces (50 per 10 s, Basecamp 2: 500), and a tap run with that config is never answered 429', async () => {
    const [bc3, bcx] = await Promise.all([simulator(['--rate-limit', '--records', '30']), simulator(['--rate-limit', '--bcx', '--records', '30'])]);
    expect(bc3.max_requests_per_10s).toBe(50);
    expect(bcx.max_requests_per_10s).toBe(500);
    // About 60 requests: at the 1000 per 10 s printed before, well over the 50 the simulator allows.
    const streams = ['project_people', 'message_types', 'gauge_needles', 'message_boards', 'todosets', 'schedules', 'questionnaires'];
    const catalog = writeJson(dir, 'catalog.json', {
      streams: streams.map((s) => ({ tap_stream_id: s, stream: s, metadata: [{ breadcrumb: [], metadata: { selected: true } }] })),
    });
    const run = await runTap(['--config', writeJson(dir, 'config.json', bc3), '--catalog', catalog], { timeoutMs: 120_000 });
    expect(run.code).toBe(0);
    const summary = logLines(run.stderr).find((l) => / INFO sync complete: /.test(l));
    expect(summary).toMatch(/ (\d{2,}) requests \(0 retries, 0 answered 429,/);
    expect(Number(/ (\d+) requests/.exec(summary!)![1])).toBeGreaterThan(50);
    expect(logLines(run.stderr).filter((l) => / WARN /.test(l))).toEqual([]);
  }, 180_000);
});
