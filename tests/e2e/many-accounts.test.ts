/**
 * Many accounts with Meltano (issue 21, item 4), as meltano.yml shows it: one inherited plugin per
 * account, each with the settings it inherits and its own account_id, extracted at once, each with
 * its own state, into one shared set of tables (the stand-in target appends every RECORD of both to
 * one file). Meltano cannot be installed here: the test merges each plugin's config as Meltano
 * does (the parent's, then the plugin's own on top) and runs the built tap as Meltano would.
 * Two simulated Basecamp 3 accounts stand for the two clients; the simulator hands out the same
 * ids in both, so rows of the two are told apart only by account_id, first in every key.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { Simulator, startSimulator } from '../../simulator';
import { ROOT, TAP, cleanEnv, keyOf, tmpDir, writeJson } from '../helpers/tap';

const TARGET = path.join(ROOT, 'tests', 'helpers', 'stand-in-target.js');
type Json = Record<string, any>;

const project = YAML.parse(fs.readFileSync(path.join(ROOT, 'meltano.yml'), 'utf8')) as { plugins: { extractors: Json[] } };
const extractors = project.plugins.extractors;

/** A plugin's config as Meltano merges it: the parent's (recursively), then the plugin's own. */
function meltanoConfig(name: string): Json {
  const plugin = extractors.find((p) => p.name === name);
  if (!plugin) throw new Error(`meltano.yml has no extractor ${name}`);
  const inherited = plugin.inherit_from ? meltanoConfig(plugin.inherit_from as string) : {};
  return { ...inherited, ...(plugin.config ?? {}) };
}

const accounts = extractors
  .filter((p) => p.inherit_from === 'tap-basecamp')
  .map((p) => ({ plugin: p.name as string, config: meltanoConfig(p.name as string) }));
const sims = new Map<string, Simulator>();
let dir: string;

beforeAll(async () => {
  dir = tmpDir('tap-basecamp-accounts-');
  let seed = 1;
  for (const a of accounts) sims.set(a.plugin, await startSimulator({ accountId: a.config.account_id as number, seed: seed++, records: 300 }));
});
afterAll(async () => {
  for (const sim of sims.values()) await sim.stop();
});

/**
 * `tap | target` for one plugin: the merged config in a file, the secrets in TAP_BASECAMP_*
 * variables (as Meltano passes the values kept in .env), the test's API address in a second file.
 * Resolves to the states the target printed and the tap's exit code.
 */
function extract(
  plugin: string,
  config: Json,
  table: string,
  state?: Json,
): Promise<{ tap: number | null; target: number | null; states: string[]; schemas: Json[] }> {
  const sim = sims.get(plugin)!;
  const files = [
    writeJson(dir, `${plugin}.json`, config),
    writeJson(dir, `${plugin}-test.json`, { api_url: sim.baseUrl, token_url: sim.tokenUrl, max_requests_per_10s: 100000, basecamp_product: 'bc3' }),
  ];
  const env = cleanEnv({
    TAP_BASECAMP_CLIENT_ID: sim.clientId,
    TAP_BASECAMP_CLIENT_SECRET: sim.clientSecret,
    TAP_BASECAMP_REFRESH_TOKEN: sim.refreshToken,
    TAP_BASECAMP_USER_AGENT: 'tap-basecamp tests (test@example.com)',
  });
  const args = [TAP, ...files.flatMap((f) => ['--config', f]), ...(state ? ['--state', writeJson(dir, `${plugin}-state.json`, state)] : [])];
  return new Promise((resolve, reject) => {
    const tap = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const target = spawn(process.execPath, [TARGET, table], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    tap.stdout.pipe(target.stdin);
    let tapOut = '';
    tap.stdout.on('data', (d: Buffer) => (tapOut += d.toString()));
    let out = '';
    let tapCode: number | null = null;
    let tapErr = '';
    tap.stderr.on('data', (d: Buffer) => (tapErr += d.toString()));
    target.stdout.on('data', (d: Buffer) => (out += d.toString()));
    tap.on('close', (code) => (tapCode = code));
    tap.on('error', reject);
    target.on('close', (code) => {
      if (tapCode !== 0) process.stderr.write(tapErr);
      const schemas = tapOut
        .split('\n')
        .filter((l) => l.includes('"type":"SCHEMA"'))
        .map((l) => JSON.parse(l) as Json);
      resolve({ tap: tapCode, target: code, states: out.split('\n').filter(Boolean), schemas });
    });
  });
}

function rows(table: string): Json[] {
  return fs
    .readFileSync(table, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Json);
}

test("meltano.yml's example: one inherited plugin per account, add_account_id, the shared rate divided", () => {
  expect(accounts.length).toBeGreaterThanOrEqual(2);
  const ids = accounts.map((a) => a.config.account_id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const a of accounts) {
    expect(a.config.add_account_id).toBe(true);
    // Basecamp 3's 50 requests per 10 s per IP address, shared by the runs at once.
    expect(a.config.max_requests_per_10s * accounts.length).toBeLessThanOrEqual(50);
  }
  // What each plugin inherits: the executable, the settings and the selection.
  const parent = extractors.find((p) => p.name === 'tap-basecamp')!;
  for (const p of extractors.filter((x) => x.inherit_from)) expect(p.executable ?? parent.executable).toBe(parent.executable);
});

test('two accounts extracted at once, each with its own state, land in shared tables tagged with account_id', async () => {
  const table = path.join(dir, 'shared.jsonl');
  const first = await Promise.all(accounts.map((a) => extract(a.plugin, a.config, table)));
  for (const run of first) expect([run.tap, run.target]).toEqual([0, 0]);
  for (const m of first.flatMap((r) => r.schemas)) {
    expect({ stream: m.stream, key: m.key_properties[0], type: m.schema.properties.account_id?.type }).toEqual({
      stream: m.stream,
      key: 'account_id',
      type: 'integer',
    });
  }
  expect(first[0].schemas.length).toBe(45);

  const all = rows(table);
  const byAccount = new Map(accounts.map((a) => [a.config.account_id as number, all.filter((m) => m.record.account_id === a.config.account_id)]));
  expect(all.every((m) => Number.isInteger(m.record.account_id))).toBe(true);
  for (const [id, mine] of byAccount) expect({ id, projects: mine.filter((m) => m.stream === 'projects').length > 0 }).toEqual({ id, projects: true });
  expect([...byAccount.values()].reduce((n, r) => n + r.length, 0)).toBe(all.length);

  // The same ids in both accounts: keyed by id alone, one account's rows would overwrite the other's.
  const plain = (r: Json[]) => new Set(r.map((m) => `${m.stream} ${keyOf(m.stream, m.record)}`));
  const [a, b] = [...byAccount.values()].map(plain);
  expect([...a].filter((k) => b.has(k)).length).toBeGreaterThan(0);
  const shared = new Set(all.map((m) => `${m.stream} ${m.record.account_id}/${keyOf(m.stream, m.record)}`));
  expect(shared.size).toBe(a.size + b.size);

  // Separate states: each plugin resumes from its own. A to-do changed in one account only.
  const [acme, globex] = accounts;
  const sim = sims.get(acme.plugin)!;
  const changed = (sim.expectedRecords('todos') as Json[])[0].id as number;
  sim.update('todos', changed);
  const states = first.map((r) => JSON.parse(r.states[r.states.length - 1]) as Json);
  expect(JSON.stringify(states[0])).not.toBe(JSON.stringify(states[1]));
  const again = path.join(dir, 'again.jsonl');
  const second = await Promise.all([extract(acme.plugin, acme.config, again, states[0]), extract(globex.plugin, globex.config, again, states[1])]);
  for (const run of second) expect([run.tap, run.target]).toEqual([0, 0]);
  const later = rows(again);
  // Incremental streams resume from each account's own state (full-table ones are read again).
  const count = (r: Json[], id: number) => r.filter((m) => m.stream === 'todos' && m.record.account_id === id).length;
  for (const x of accounts) expect(count(later, x.config.account_id)).toBeLessThan(count(all, x.config.account_id) / 4);
  const todos = later.filter((m) => m.stream === 'todos');
  expect(todos.some((m) => m.record.account_id === acme.config.account_id && m.record.id === changed)).toBe(true);
  expect(todos.some((m) => m.record.account_id === globex.config.account_id && m.record.id === changed)).toBe(false);
});
