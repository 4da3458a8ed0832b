/**
 * What Meltano relies on: meltano.yml and the Hub definition describe the same settings and
 * capabilities as `--about` and the config schema; the state Meltano stores and passes back is
 * accepted; a catalog after `meltano select` (streams and fields deselected, a replication method
 * overridden) is honoured; discovery with the catalog Meltano cached still discovers; settings
 * given as TAP_BASECAMP_* variables work, and a config file wins. The docs give Meltano 4's
 * commands, and git leaves out what Meltano and the simulator recipe write.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import YAML from 'yaml';
import { CAPABILITIES } from '../../src/about';
import { CONFIG_SCHEMA } from '../../src/config';
import { Simulator, startSimulator } from '../../simulator';
import { Done, ROOT, TAP, cleanEnv, logLines, runCommand } from '../helpers/tap';

const tap = (args: string[], env: NodeJS.ProcessEnv = cleanEnv()): Promise<Done> => runCommand(process.execPath, [TAP, ...args], env);

type Json = Record<string, any>;

interface Setting {
  name: string;
  label?: string;
  kind?: string;
  description?: string;
  sensitive?: boolean;
}

function messages(stdout: string): Json[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Json);
}

const SCHEMA_PROPS = CONFIG_SCHEMA.properties as unknown as Record<
  string,
  { type: string | string[]; format?: string; anyOf?: Array<{ format?: string }>; description: string; secret?: boolean }
>;
const SETTING_NAMES = Object.keys(SCHEMA_PROPS);

/** The Meltano kind a setting must have, from its JSON Schema. */
function expectedKind(name: string): string {
  const spec = SCHEMA_PROPS[name] as (typeof SCHEMA_PROPS)[string] & { enum?: string[] };
  if (spec.enum) return 'options';
  const types = Array.isArray(spec.type) ? spec.type : [spec.type];
  if (types.includes('integer')) return 'integer'; // account_id is integer-or-digits: an integer to Meltano
  if (types.includes('number')) return 'decimal';
  if (types.includes('boolean')) return 'boolean';
  // A date or a date-time: Meltano's date_iso8601 (which holds dates).
  const formats = [spec.format, ...(spec.anyOf ?? []).map((a) => a.format)];
  if (formats.includes('date-time')) return 'date_iso8601';
  return 'string';
}

describe('Meltano plugin definitions', () => {
  const project = YAML.parse(fs.readFileSync(path.join(ROOT, 'meltano.yml'), 'utf8')) as Json;
  const hub = YAML.parse(fs.readFileSync(path.join(ROOT, 'meltano-hub', 'tap-basecamp.yml'), 'utf8')) as Json;
  const extractor = (project.plugins.extractors as Json[]).find((p) => p.name === 'tap-basecamp') as Json;
  let about: Json;

  beforeAll(async () => {
    const done = await tap(['--about']);
    expect(done.code).toBe(0);
    about = JSON.parse(done.stdout) as Json;
  });

  test('meltano.yml is a project with a dev environment, the extractor and example loaders', () => {
    // No top-level `version`: Meltano 4 warns that it is deprecated on every command.
    expect(project.version).toBeUndefined();
    expect(project.default_environment).toBe('dev');
    expect((project.environments as Json[]).map((e) => e.name)).toContain('dev');
    expect(extractor).toBeDefined();
    expect(extractor.namespace).toBe('tap_basecamp');
    expect(extractor.pip_url).toBeUndefined(); // npm-installed: Meltano must not try pip
    // A path with a slash is taken relative to the project root; it must exist and be runnable.
    expect(extractor.executable).toContain('/');
    fs.accessSync(path.join(ROOT, extractor.executable), fs.constants.X_OK);
    const loaders = project.plugins.loaders as Json[];
    expect(loaders.find((l) => l.name === 'target-jsonl')).toBeDefined();
    expect(loaders.find((l) => l.name === 'target-postgres')?.variant).toBe('meltanolabs');
    for (const loader of loaders) expect(JSON.stringify(loader.config ?? {})).not.toMatch(/password/i);
    // target-jsonl does not create its destination folder: it must be one that exists after `meltano install`.
    expect(loaders.find((l) => l.name === 'target-jsonl')?.config?.destination_path).toBe('.meltano');
  });

  test('the Hub definition names the plugin and how to run it', () => {
    expect(hub.name).toBe('tap-basecamp');
    expect(hub.namespace).toBe('tap_basecamp');
    expect(typeof hub.variant).toBe('string');
    expect(typeof hub.label).toBe('string');
    expect(typeof hub.description).toBe('string');
    // Nothing untrue: no public repository or docs site exists, and the package is not on npm yet.
    expect(hub.repo).toBeUndefined();
    expect(hub.docs).toBeUndefined();
    expect(extractor.repo).toBeUndefined();
    expect(hub.maintenance_status).toBe('beta');
    const hubText = fs.readFileSync(path.join(ROOT, 'meltano-hub', 'tap-basecamp.yml'), 'utf8');
    // The one github.com address left is inside the default User-Agent the tap sends (its description says so).
    expect(hubText.split('\n').filter((l) => /github\.com/.test(l))).toEqual([expect.stringMatching(/^ {2}description: User-Agent sent to Basecamp/)]);
    // The install line is the README's (from a clone: pack, then install the tarball), not an npm registry install.
    const install = 'npm ci && npm pack && npm install -g tap-basecamp-*.tgz';
    expect(hub.settings_preamble).toContain(install);
    expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain(install);
    expect(hubText).not.toMatch(/npm install -g tap-basecamp(\s|$|`)/);
    expect(hub.executable).toBe('tap-basecamp'); // the npm bin, from $PATH
    expect(hub.pip_url).toBeUndefined();
    expect(hub.settings_group_validation).toEqual([['account_id', 'client_id', 'client_secret', 'refresh_token']]);
    expect(extractor.settings_group_validation).toEqual(hub.settings_group_validation);
    expect([...CONFIG_SCHEMA.required].sort()).toEqual([...hub.settings_group_validation[0]].sort());
  });

  test('settings: the same names in meltano.yml, the Hub file, --about and the config schema', () => {
    const names = (list: Setting[]) => list.map((s) => s.name);
    expect(names(extractor.settings)).toEqual(SETTING_NAMES);
    expect(names(hub.settings)).toEqual(SETTING_NAMES);
    expect(Object.keys(about.settings.properties)).toEqual(SETTING_NAMES);
  });

  test('settings: kinds, sensitive flags, descriptions and labels', () => {
    for (const list of [extractor.settings as Setting[], hub.settings as Setting[]]) {
      for (const s of list) {
        expect({ name: s.name, kind: s.kind }).toEqual({ name: s.name, kind: expectedKind(s.name) });
        expect({ name: s.name, sensitive: s.sensitive === true }).toEqual({ name: s.name, sensitive: SCHEMA_PROPS[s.name].secret === true });
        expect({ name: s.name, description: s.description }).toEqual({ name: s.name, description: SCHEMA_PROPS[s.name].description });
      }
    }
    const kinds = Object.fromEntries((extractor.settings as Setting[]).map((s) => [s.name, s.kind]));
    expect(kinds).toMatchObject({
      account_id: 'integer',
      start_date: 'date_iso8601',
      max_retries: 'integer',
      max_requests_per_10s: 'integer',
      max_concurrency: 'integer',
      full_refresh_hours: 'decimal', // hours, a fraction allowed
      refresh_token_write_back: 'boolean',
      client_id: 'string',
      basecamp_product: 'options',
    });
    for (const list of [
      extractor.settings as Array<Setting & { options?: Array<{ value: string }> }>,
      hub.settings as Array<Setting & { options?: Array<{ value: string }> }>,
    ]) {
      expect(list.find((s) => s.name === 'basecamp_product')?.options?.map((o) => o.value)).toEqual(['bc3', 'bcx']);
    }
    const sensitive = (list: Setting[]) =>
      list
        .filter((s) => s.sensitive)
        .map((s) => s.name)
        .sort();
    expect(sensitive(extractor.settings)).toEqual(['client_secret', 'refresh_token']);
    expect(sensitive(hub.settings)).toEqual(['client_secret', 'refresh_token']);
    for (const s of hub.settings as Setting[]) expect(typeof s.label).toBe('string');
  });

  test('--about: each setting with its default where it has one, secrets writeOnly, and the env var prefix', () => {
    expect(about.env_var_prefix).toBe('TAP_BASECAMP_');
    const props = about.settings.properties as Record<string, Json>;
    expect(
      Object.fromEntries(
        Object.entries(props)
          .filter(([, v]) => 'default' in v)
          .map(([k, v]) => [k, v.default]),
      ),
    ).toEqual({
      user_agent: expect.stringMatching(/^tap-basecamp \(/),
      token_url: 'https://launchpad.37signals.com/authorization/token',
      max_retries: 8,
      max_concurrency: 8,
      request_timeout_seconds: 60,
      backoff_base_seconds: 1,
      progress_interval_seconds: 30,
      refresh_token_write_back: false,
      log_format: 'text',
      activate_version: false,
      add_account_id: false,
      full_refresh_hours: 24,
    });
    expect(Object.keys(props).filter((k) => props[k].writeOnly === true)).toEqual(['client_secret', 'refresh_token']);
    // Every default is stated in the description too (people read that), and is valid for its own schema.
    for (const [k, v] of Object.entries(props))
      if ('default' in v)
        expect({
          k,
          says: v.description.includes(`Default ${typeof v.default === 'string' && k === 'user_agent' ? `"${v.default}"` : String(v.default)}`),
        }).toEqual({ k, says: true });
  });

  test('--about lists full_refresh_hours: a number of hours, 0 or more, default 24, in both forms', async () => {
    expect(about.settings.properties.full_refresh_hours).toMatchObject({ type: 'number', minimum: 0, default: 24 });
    expect(about.settings.properties.full_refresh_hours.description).toMatch(
      /^Basecamp 3, 4 and 5: .* 0: every run re-reads every full-table collection\. .*Default 24\.$/,
    );
    const md = await tap(['--about', '--format', 'markdown']);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('| full_refresh_hours | no | no | `24` | Basecamp 3, 4 and 5: ');
  });

  test("the README's configuration table has a row for every setting, with its default", () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Running it'));
    const rows = table.split('\n').filter((l) => l.startsWith('| `'));
    for (const name of SETTING_NAMES) expect({ name, row: rows.some((r) => r.split(' | ')[0].includes(`\`${name}\``)) }).toEqual({ name, row: true });
    expect(rows.find((r) => r.startsWith('| `full_refresh_hours` |'))).toMatch(/^\| `full_refresh_hours` \| no \| 24 \| /);
  });

  test('capabilities equal what --about reports', () => {
    expect(about.capabilities).toEqual([...CAPABILITIES]);
    expect(extractor.capabilities).toEqual(about.capabilities);
    expect(hub.capabilities).toEqual(about.capabilities);
  });
});

describe('running under Meltano', () => {
  let sim: Simulator;
  let tmp: string;
  let config: string;
  let catalog: Json;

  beforeAll(async () => {
    sim = await startSimulator({ records: 200 });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tap-basecamp-meltano-'));
    config = path.join(tmp, 'config.json');
    fs.writeFileSync(config, JSON.stringify(sim.config({ max_requests_per_10s: 10000 })));
    const discovered = await tap(['--config', config, '--discover']);
    expect(discovered.code).toBe(0);
    catalog = JSON.parse(discovered.stdout) as Json;
  });
  afterAll(async () => {
    await sim.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function write(name: string, value: unknown): string {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, JSON.stringify(value));
    return file;
  }

  /** The catalog as Meltano writes it after `select` rules and `metadata` overrides. */
  function meltanoCatalog(opts: { deselectStreams: string[]; deselectFields: Record<string, string[]>; fullTable: string[] }): Json {
    const copy = JSON.parse(JSON.stringify(catalog)) as Json;
    for (const entry of copy.streams as Json[]) {
      const selected = !opts.deselectStreams.includes(entry.tap_stream_id);
      for (const m of entry.metadata as Json[]) {
        if (m.breadcrumb.length === 0) {
          m.metadata.selected = selected;
          if (opts.fullTable.includes(entry.tap_stream_id)) m.metadata['replication-method'] = 'FULL_TABLE';
        } else if (selected) {
          const field = m.breadcrumb[1];
          m.metadata.selected = !(opts.deselectFields[entry.tap_stream_id] ?? []).includes(field);
        }
      }
    }
    return copy;
  }

  const lastState = (msgs: Json[]) => msgs.filter((m) => m.type === 'STATE').pop()?.value as Json;
  const records = (msgs: Json[], stream: string) => msgs.filter((m) => m.type === 'RECORD' && m.stream === stream);

  test('the state of a sync, passed back with --state as Meltano does, is accepted', async () => {
    const catalogFile = write('catalog.json', catalog);
    const first = await tap(['--config', config, '--catalog', catalogFile]);
    expect(first.code).toBe(0);
    const msgs1 = messages(first.stdout);
    const state = lastState(msgs1);
    expect(state).toBeDefined();
    const stateFile = write('state.json', state); // Meltano stores the last STATE's value and writes it to a file

    const second = await tap(['--config', config, '--catalog', catalogFile, '--state', stateFile]);
    expect(second.stderr).not.toMatch(/ ERROR /);
    expect(second.code).toBe(0);
    const msgs2 = messages(second.stdout);
    expect(lastState(msgs2)).toBeDefined();
    const count = (msgs: Json[]) => msgs.filter((m) => m.type === 'RECORD').length;
    expect(count(msgs2)).toBeLessThan(count(msgs1));
    expect(records(msgs2, 'todos').length).toBeLessThan(records(msgs1, 'todos').length);
  });

  test('discovery as Meltano runs it after a first sync (--config F --state S --discover) prints the catalog', async () => {
    const stateFile = write('discover-state.json', { bookmarks: { projects: { updated_at: '2026-01-01T00:00:00.000Z' } } });
    const done = await tap(['--config', config, '--state', stateFile, '--discover']);
    expect(done.code).toBe(0);
    expect(done.stdout).toBe(fs.readFileSync(path.join(ROOT, 'catalogs', 'catalog.json'), 'utf8'));
  });

  test.each([['--catalog'], ['--properties']])(
    'discovery once Meltano has cached a catalog (--config F %s C --state S --discover): the whole catalog, one warning, exit 0',
    async (flag) => {
      const stateFile = write('discover-state2.json', { bookmarks: { projects: { updated_at: '2026-01-01T00:00:00.000Z' } } });
      const cached = write('cached-catalog.json', meltanoCatalog({ deselectStreams: ['people'], deselectFields: {}, fullTable: [] }));
      const done = await tap(['--config', config, flag, cached, '--state', stateFile, '--discover']);
      expect(done.code).toBe(0);
      expect(done.stdout).toBe(fs.readFileSync(path.join(ROOT, 'catalogs', 'catalog.json'), 'utf8'));
      expect(logLines(done.stderr).filter((l) => !/ INFO /.test(l))).toEqual([
        expect.stringMatching(new RegExp(`WARN --discover prints the catalog of every stream: ignoring ${flag} \\S*cached-catalog\\.json$`)),
      ]);
    },
  );

  test('a cached catalog that is not even JSON does not stop discovery: it is not read', async () => {
    const done = await tap(['--config', config, '--discover', '--catalog', write('broken-catalog.json', '{"streams": [')]);
    expect(done.code).toBe(0);
    expect(done.stdout).toBe(fs.readFileSync(path.join(ROOT, 'catalogs', 'catalog.json'), 'utf8'));
  });

  test('a catalog file and --properties together, without --discover, are still a usage error (exit 2)', async () => {
    const file = write('cat-both.json', catalog);
    const done = await tap(['--config', config, '--catalog', file, '--properties', file]);
    expect(done.code).toBe(2);
  });

  test('a catalog after meltano select: deselected streams and fields are left out, FULL_TABLE ignores the bookmark', async () => {
    // A state from a complete incremental run: with it, an incremental todos sync has little to send.
    const base = await tap(['--config', config]);
    expect(base.code).toBe(0);
    const baseMsgs = messages(base.stdout);
    const stateFile = write('state-select.json', lastState(baseMsgs));
    const allTodos = records(baseMsgs, 'todos').length;
    const allMessages = records(baseMsgs, 'messages').length;
    expect(allTodos).toBeGreaterThan(0);
    expect(allMessages).toBeGreaterThan(0);

    const incremental = await tap(['--config', config, '--catalog', write('catalog-plain.json', catalog), '--state', stateFile]);
    expect(incremental.code).toBe(0);
    const incrementalTodos = records(messages(incremental.stdout), 'todos').length;
    expect(incrementalTodos).toBeLessThan(allTodos);

    const selected = meltanoCatalog({
      deselectStreams: ['people', 'comments', 'campfire_lines'],
      deselectFields: { messages: ['content', 'creator', 'subject'] },
      fullTable: ['todos'],
    });
    const run = await tap(['--config', config, '--catalog', write('catalog-selected.json', selected), '--state', stateFile]);
    expect(run.stderr).not.toMatch(/ ERROR /);
    expect(run.code).toBe(0);
    const msgs = messages(run.stdout);

    // Deselected streams: no SCHEMA, no RECORD.
    for (const stream of ['people', 'comments', 'campfire_lines']) {
      expect(msgs.filter((m) => m.stream === stream)).toEqual([]);
    }
    // Deselected fields: absent from SCHEMA and from every RECORD; automatic ones stay.
    const schema = msgs.find((m) => m.type === 'SCHEMA' && m.stream === 'messages') as Json;
    expect(Object.keys(schema.schema.properties)).not.toEqual(expect.arrayContaining(['content']));
    for (const field of ['content', 'creator', 'subject']) expect(schema.schema.properties).not.toHaveProperty(field);
    expect(schema.schema.properties).toHaveProperty('id');
    expect(schema.schema.properties).toHaveProperty('updated_at');
    expect(schema.schema.properties).toHaveProperty('title');
    const messageRecords = records(msgs, 'messages');
    expect(messageRecords.length).toBeGreaterThan(0);
    for (const m of messageRecords) {
      for (const field of ['content', 'creator', 'subject']) expect(m.record).not.toHaveProperty(field);
      expect(m.record).toHaveProperty('id');
    }
    // todos, FULL_TABLE now: every to-do again despite the bookmark.
    expect(records(msgs, 'todos').length).toBe(allTodos);
  });

  describe('settings from the environment', () => {
    const envOf = (values: Record<string, unknown>) =>
      cleanEnv(Object.fromEntries(Object.entries(values).map(([k, v]) => [`TAP_BASECAMP_${k.toUpperCase()}`, String(v)])));

    test('TAP_BASECAMP_* variables alone (no --config) are enough for --test', async () => {
      const done = await tap(['--test'], envOf(sim.config({ max_requests_per_10s: 10000, refresh_token_write_back: false })));
      expect(done.stderr).not.toContain(sim.clientSecret);
      expect(done.code).toBe(0);
    });

    test('a config file value wins over the environment', async () => {
      // The file's (right) secret beats the environment's wrong one ...
      const good = write('secret-only.json', { client_secret: sim.clientSecret });
      const wins = await tap(['--test', '--config', good], envOf(sim.config({ client_secret: 'wrong-secret-from-env' })));
      expect(wins.code).toBe(0);
      // ... and the file's wrong refresh token beats the environment's right one.
      const bad = write('bad-refresh.json', { refresh_token: 'wrong-refresh-from-file' });
      const loses = await tap(['--test', '--config', bad], envOf(sim.config()));
      expect(loses.code).toBe(1);
      expect(loses.stderr).toMatch(/refresh token rejected/);
    });
  });
});

describe("the docs, as Meltano 4's users follow them", () => {
  /** Every text file under these paths of the repository. */
  function files(...entries: string[]): string[] {
    return entries.flatMap((entry) => {
      const full = path.join(ROOT, entry);
      if (!fs.existsSync(full)) return [];
      if (fs.statSync(full).isFile()) return [full];
      return fs
        .readdirSync(full, { recursive: true, encoding: 'utf8' })
        .map((f) => path.join(full, f))
        .filter((f) => fs.statSync(f).isFile());
    });
  }

  test('no Meltano 3 command is left: `meltano config <plugin> set|test|list` answers "No such command" on Meltano 4', () => {
    const meltano3 = /meltano\s+config\s+(?!(?:set|unset|reset|list|print|test)\b)[\w.-]+/g;
    const found = files('README.md', 'meltano.yml', 'docs', 'meltano-hub', 'scripts').flatMap((f) =>
      (fs.readFileSync(f, 'utf8').match(meltano3) ?? []).map((m) => `${path.relative(ROOT, f)}: ${m}`),
    );
    expect(found).toEqual([]);
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toMatch(/^meltano config set tap-basecamp account_id \d+/m);
    expect(readme).toMatch(/^meltano config test tap-basecamp$/m);
    const yml = fs.readFileSync(path.join(ROOT, 'meltano.yml'), 'utf8');
    for (const key of ['account_id', 'client_id', 'client_secret', 'refresh_token']) expect(yml).toMatch(new RegExp(`meltano config set tap-basecamp ${key} `));
    expect(yml).toMatch(/meltano config test tap-basecamp\n/);
  });

  test("git leaves out Meltano's .env (the secret and the refresh token), its .meltano/, and the simulator recipe's files", () => {
    try {
      execFileSync('git', ['rev-parse', '--git-dir'], { cwd: ROOT, stdio: 'ignore' });
    } catch {
      process.stderr.write('skipped: not a git checkout, .gitignore cannot be checked\n');
      return;
    }
    const ignored = (p: string) => {
      try {
        execFileSync('git', ['check-ignore', '-q', '--no-index', p], { cwd: ROOT, stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    };
    for (const p of [
      '.env',
      '.meltano/meltano.db',
      'sim-config.json',
      'sim-catalog.json',
      'sim-out.jsonl',
      'sim-auth-config.json',
      'config.json',
      'demo-output/sync.jsonl',
      'demo-output-bcx/state.json',
    ]) {
      expect({ p, ignored: ignored(p) }).toEqual({ p, ignored: true });
    }
    for (const p of ['meltano.yml', 'catalogs/catalog.json', 'sample-config.json', 'simulator/cli.ts', 'plugins/loaders/target-jsonl--andyh1203.lock']) {
      expect({ p, ignored: ignored(p) }).toEqual({ p, ignored: false });
    }
  });

  test('target-postgres column types are told as it creates them: timestamps are timestamp without time zone (UTC)', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).not.toMatch(/timestamptz/);
    expect(readme).toMatch(/timestamps `timestamp without time zone`\s+holding UTC/);
  });
});
