/**
 * End to end: the built CLI against the local Basecamp simulator, in every mode.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSimulator, Simulator } from '../../simulator';
import { validatorFor } from '../helpers/strict-ajv';
import { ROOT, defaultStreams, expectReplica, keyOf, lastState, logLines, recordsOf, runTap, table, tmpDir, writeJson, Message } from '../helpers/tap';

const STREAM_COUNT = 47;
/** What a run without a catalog writes: every stream but the opt-in recording_events and boosts. */
const DEFAULT_COUNT = STREAM_COUNT - 2;
let sim: Simulator;
let dir: string;
let configFile: string;
let full: { messages: Message[]; stdout: string; stderr: string; requests: number; paths: string[] };

function expectMatchesSimulator(messages: Message[], streams = defaultStreams(sim)): void {
  expectReplica(sim, messages, streams);
}

beforeAll(async () => {
  sim = await startSimulator({});
  dir = tmpDir();
  configFile = writeJson(dir, 'config.json', sim.config({ max_requests_per_10s: 10000, backoff_base_seconds: 0.05 }));
  sim.resetRequests();
  const run = await runTap(['--config', configFile]);
  expect(logLines(run.stderr).filter((l) => / (ERROR|WARN) /.test(l))).toEqual([]);
  expect(run.code).toBe(0);
  full = { messages: run.messages, stdout: run.stdout, stderr: run.stderr, requests: sim.requests.length, paths: sim.requests.map((r) => r.path) };
});
afterAll(async () => {
  await sim?.stop();
});

describe('discover and about', () => {
  it('--discover prints exactly catalogs/catalog.json', async () => {
    const run = await runTap(['--config', configFile, '--discover']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(fs.readFileSync(path.join(ROOT, 'catalogs', 'catalog.json'), 'utf8'));
    expect(JSON.parse(run.stdout).streams).toHaveLength(STREAM_COUNT);
  });

  it('--about prints JSON and markdown', async () => {
    const json = await runTap(['--about']);
    expect(json.code).toBe(0);
    const about = JSON.parse(json.stdout);
    expect(about.name).toBe('tap-basecamp');
    expect(about.capabilities).toEqual(['catalog', 'discover', 'state', 'about', 'test', 'activate-version']);
    expect(Object.keys(about.settings.properties)).toContain('account_id');
    const md = await runTap(['--about', '--format', 'markdown']);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# tap-basecamp/);
    expect(md.stdout).toContain('| todos | id | INCREMENTAL (updated_at) |');
    // Both products, each with its own streams.
    expect(about.products.map((p: { product: string; name: string; streams: unknown[] }) => [p.product, p.name, p.streams.length])).toEqual([
      ['bc3', 'Basecamp 3, 4 and 5', STREAM_COUNT],
      ['bcx', 'Basecamp 2', 16],
    ]);
    expect(about.settings.properties.basecamp_product.enum).toEqual(['bc3', 'bcx']);
    expect(md.stdout).toContain('## Streams: Basecamp 2 (basecamp_product bcx)');
    expect(md.stdout).toContain('| accesses | project_id, person_id | FULL_TABLE |');
  });

  it('--test refreshes the token, reads one page of projects, and says OK on stderr', async () => {
    sim.resetRequests();
    const run = await runTap(['--config', configFile, '--test']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(logLines(run.stderr)).toEqual([expect.stringMatching(/INFO OK: token refreshed/)]);
    expect(sim.requests.map((r) => r.path.replace(/\?.*/, ''))).toEqual(['/authorization/token', '/authorization.json', `/${sim.accountId}/projects.json`]);
  });
});

describe('full sync', () => {
  it('emits every record of every stream, exactly as Basecamp has it, archived and trashed included', () => {
    expectMatchesSimulator(full.messages);
    const statuses = new Set(recordsOf(full.messages, 'todos').map((t) => t.status));
    expect(statuses).toEqual(new Set(['active', 'archived', 'trashed']));
    expect(recordsOf(full.messages, 'messages').some((m) => JSON.stringify(m).includes('\u0000'))).toBe(false);
  });

  it('writes a SCHEMA before each stream’s first RECORD, and every record validates against it', () => {
    const schemaAt = new Map<string, number>();
    full.messages.forEach((m, i) => {
      if (m.type === 'SCHEMA') schemaAt.set(m.stream!, i);
      if (m.type === 'RECORD') expect(schemaAt.has(m.stream!)).toBe(true);
    });
    expect(schemaAt.size).toBe(DEFAULT_COUNT);
    for (const m of full.messages) {
      if (m.type !== 'RECORD') continue;
      const validate = validatorFor(m.stream!);
      const record: Record<string, unknown> = m.record!;
      if (!validate(record)) throw new Error(`${m.stream} ${String(m.record!.id)}: ${JSON.stringify(validate.errors)}`);
    }
  });

  it('never requests a URL twice (but a Todolist walk’s top-up), nor a disabled tool, nor a trashed project’s contents', () => {
    const paths = full.paths.filter((p) => !p.startsWith('/authorization'));
    const twice = paths.filter((p, i) => paths.indexOf(p) !== i);
    expect(twice.sort()).toEqual(
      ['active', 'archived', 'trashed']
        .map((status) => `/${sim.accountId}/projects/recordings.json?type=Todolist&status=${status}&sort=updated_at&direction=desc`)
        .sort(),
    );
    const projects = sim.expectedRecords('projects') as Record<string, any>[];
    for (const p of projects) {
      const ids = p.status === 'trashed' ? p.dock.map((t: any) => t.id) : p.dock.filter((t: any) => !t.enabled).map((t: any) => t.id);
      for (const id of ids) expect(paths.filter((u) => new RegExp(`/${id}(\\.json|/)`).test(u))).toEqual([]);
      if (p.status === 'trashed') expect(paths.filter((u) => u.includes(`/${p.id}/`))).toEqual([]);
    }
  });

  it('reads no list its parent counts as empty, and no status variant where the list takes no status', () => {
    const paths = new Set(full.paths.map((p) => p.slice(`/${sim.accountId}`.length).replace(/[?&]page=\d+/, '')));
    const lists: Array<[string, string, (r: any) => string]> = [
      ['inbox_forwards', 'replies_count', (r) => `/inbox_forwards/${r.id}/replies.json`],
      ['client_approvals', 'replies_count', (r) => `/buckets/${r.project_id}/client/recordings/${r.id}/replies.json`],
      ['client_correspondences', 'replies_count', (r) => `/buckets/${r.project_id}/client/recordings/${r.id}/replies.json`],
    ];
    let skipped = 0;
    let read = 0;
    for (const [stream, count, pathOf] of lists) {
      for (const r of recordsOf(full.messages, stream)) {
        if (r[count] === 0) {
          expect(paths.has(pathOf(r))).toBe(false);
          skipped++;
        } else {
          expect(paths.has(pathOf(r))).toBe(true);
          read++;
        }
      }
    }
    expect(skipped).toBeGreaterThan(0);
    expect(read).toBeGreaterThan(0);
    const takesStatus =
      /^\/(projects|templates)\.json|^\/projects\/recordings\.json|^\/todosets\/\d+\/todolists\.json|^\/todolists\/\d+\/(groups|todos)\.json|^\/schedules\/\d+\/entries\.json/;
    const withStatus = [...paths].filter((p) => /[?&]status=/.test(p));
    expect(withStatus.length).toBeGreaterThan(0);
    expect(withStatus.filter((p) => !takesStatus.test(p))).toEqual([]);
  });

  it('makes no more requests than the pages the data needs', async () => {
    // The minimum: each collection the account's data lives in, read once, in as few geared pages
    // (15, 30, 50, then 100) as its size needs. Sizes come from the simulator's X-Total-Count.
    const token = (await (
      await fetch(sim.tokenUrl, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: sim.refreshToken, client_id: sim.clientId, client_secret: sim.clientSecret }),
      })
    ).json()) as { access_token: string };
    const collections = new Set(full.paths.filter((p) => !p.startsWith('/authorization')).map((p) => p.replace(/([?&])page=\d+&?/, '$1').replace(/[?&]$/, '')));
    let minimum = 0;
    for (const c of collections) {
      const res = await fetch(sim.baseUrl + c, { headers: { authorization: `Bearer ${token.access_token}`, 'user-agent': 'test (t@example.com)' } });
      expect(res.status).toBe(200);
      const total = Number(res.headers.get('x-total-count') ?? 1);
      let pages = 1;
      for (let seen = 15, size = 15, n = 1; seen < total; n++) {
        size = [15, 30, 50, 100][Math.min(n, 3)];
        seen += size;
        pages++;
      }
      minimum += pages;
    }
    // Plus one top-up per walk whose records lead to other reads: the Todolist walks read their
    // first page again for lists that moved there meanwhile (their groups are read too).
    const topUps = ['active', 'archived', 'trashed'].length;
    const made = full.paths.filter((p) => !p.startsWith('/authorization')).length;
    expect(made).toBe(minimum + topUps);
  });

  it('is byte-identical run to run apart from time_extracted (sequentially; concurrent runs interleave streams differently)', async () => {
    const strip = (s: string) => s.replace(/"time_extracted":"[^"]+"/g, '');
    const sequential = writeJson(dir, 'sequential.json', sim.config({ max_requests_per_10s: 10000, max_concurrency: 1 }));
    const a = await runTap(['--config', sequential]);
    const b = await runTap(['--config', sequential]);
    expect(a.code).toBe(0);
    expect(strip(b.stdout)).toBe(strip(a.stdout));
    const concurrent = await runTap(['--config', configFile]);
    const sorted = (s: string) =>
      strip(s)
        .split('\n')
        .filter((l) => !l.includes('"type":"STATE"'))
        .sort();
    expect(sorted(concurrent.stdout)).toEqual(sorted(a.stdout));
    expect(lastState(concurrent.messages)).toEqual(lastState(a.messages));
  });

  it('--catalog and --properties sync what the catalog selects, with unselected fields dropped', async () => {
    const catalog = JSON.parse(fs.readFileSync(path.join(ROOT, 'catalogs', 'catalog.json'), 'utf8'));
    for (const s of catalog.streams) s.metadata[0].metadata.selected = ['todos', 'people'].includes(s.tap_stream_id);
    const todos = catalog.streams.find((s: any) => s.tap_stream_id === 'todos');
    todos.metadata.find((m: any) => m.breadcrumb[1] === 'description').metadata.selected = false;
    const catalogFile = writeJson(dir, 'catalog.json', catalog);
    for (const flag of ['--catalog', '--properties']) {
      const run = await runTap(['--config', configFile, flag, catalogFile]);
      expect(run.code).toBe(0);
      expect(new Set(run.messages.filter((m) => m.type !== 'STATE').map((m) => m.stream))).toEqual(new Set(['todos', 'people']));
      const todoSchema = run.messages.find((m) => m.type === 'SCHEMA' && m.stream === 'todos')!.schema;
      expect(todoSchema.properties.description).toBeUndefined();
      const records = recordsOf(run.messages, 'todos');
      expect(records.every((r) => !('description' in r) && 'content' in r)).toBe(true);
      expect(table(records, 'todos').size).toBe(sim.expectedRecords('todos').length);
    }
  });

  it('a child stream selected without its parent still arrives in full', async () => {
    const catalog = JSON.parse(fs.readFileSync(path.join(ROOT, 'catalogs', 'catalog.json'), 'utf8'));
    for (const s of catalog.streams) s.metadata[0].metadata.selected = ['inbox_replies', 'card_table_steps', 'todolist_groups'].includes(s.tap_stream_id);
    const run = await runTap(['--config', configFile, '--catalog', writeJson(dir, 'children.json', catalog)]);
    expect(run.code).toBe(0);
    expectMatchesSimulator(run.messages, ['inbox_replies', 'card_table_steps', 'todolist_groups']);
    expect(new Set(run.messages.filter((m) => m.stream).map((m) => m.stream))).toEqual(new Set(['inbox_replies', 'card_table_steps', 'todolist_groups']));
  });
});

describe('logging', () => {
  it('debug logs carry METRIC lines and plain lines on stderr, and never a secret or token', async () => {
    const run = await runTap(['--config', configFile, '--log-level', 'debug']);
    expect(run.code).toBe(0);
    const lines = run.stderr.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('METRIC: ') && l.includes('"http_request_duration"')).length).toBeGreaterThan(100);
    // The query string tells the recordings walks (type, status, page) apart.
    expect(
      lines.some((l) =>
        /^METRIC: .*"http_request_duration".*"endpoint":"\/:id\/projects\/recordings\.json","query":"type=\w+&status=\w+&[^"]*page=\d+/.test(l),
      ),
    ).toBe(true);
    const counted = new Set(lines.filter((l) => l.startsWith('METRIC: ') && l.includes('"record_count"')).map((l) => JSON.parse(l.slice(8)).tags.stream));
    expect(counted.size).toBe(DEFAULT_COUNT);
    for (const l of lines) expect(l).toMatch(/^(METRIC: \{.*\}|\d{4}-\d\d-\d\dT[\d:.]+Z \[account \d+\] (DEBUG|INFO|WARN|ERROR) .+)$/);
    expect(run.stderr).toMatch(/DEBUG stripped U\+0000 from a messages record/);
    for (const secret of [sim.clientSecret, sim.refreshToken]) expect(run.stderr).not.toContain(secret);
    expect(run.stderr).not.toMatch(/Bearer|access_token/i);
    expect(run.stdout).not.toContain(sim.clientSecret);
  });
});

describe('incremental runs', () => {
  const INCREMENTAL = [
    'projects',
    'people',
    'templates',
    'campfire_lines',
    'timeline_events',
    'messages',
    'todolists',
    'todos',
    'schedule_entries',
    'vaults',
    'documents',
    'uploads',
    'comments',
    'question_answers',
    'card_table_cards',
    'card_table_steps',
  ];

  /** Every replication-key value a state holds for a stream (its cursors). */
  function cursors(state: any, stream: string): Set<string> {
    const b = state.bookmarks[stream] ?? {};
    const values = [b.updated_at, b.created_at, ...Object.values(b.partitions ?? {}).flatMap((p: any) => [p.updated_at, p.created_at])];
    return new Set(values.filter(Boolean));
  }

  it('a re-run from the last STATE emits nothing old, and skips unchanged archived projects', async () => {
    const state = lastState(full.messages);
    expect(state).toBeDefined();
    const stateFile = writeJson(dir, 'state1.json', state);
    sim.resetRequests();
    const run = await runTap(['--config', configFile, '--state', stateFile]);
    expect(run.code).toBe(0);
    for (const stream of INCREMENTAL) {
      const rk = stream === 'campfire_lines' || stream === 'timeline_events' ? 'created_at' : 'updated_at';
      const bound = cursors(state, stream);
      // Inclusive cursors re-emit the records sitting exactly on them, never older ones.
      for (const r of recordsOf(run.messages, stream)) expect({ stream, at: r[rk], onCursor: bound.has(r[rk]) }).toEqual({ stream, at: r[rk], onCursor: true });
    }
    const archived = (sim.expectedRecords('projects') as any[]).filter((p) => p.status === 'archived');
    for (const p of archived) {
      for (const tool of p.dock) expect(sim.requests.filter((r) => r.path.includes(`/${tool.id}`))).toEqual([]);
    }
    // Nothing changed and no project's turn came (the clock stood still): below projects nothing
    // is read but the lists sitting on their bookmarks (see refresh.test.ts for turns and signals).
    expect(sim.requests.length).toBeLessThan(full.requests / 4);
  });

  it('keeps ETags of non-empty leaf lists in the final STATE only, and a re-run gets 304 for them', async () => {
    const states = full.messages.filter((m) => m.type === 'STATE');
    const final = states[states.length - 1]!.value;
    const etags = Object.keys(final.etags ?? {});
    expect(etags.length).toBeGreaterThan(10);
    for (const s of states.slice(0, -1)) expect(s.value.etags).toBeUndefined();
    // Each kept ETag belongs to a list that held records (an empty list's 304 would save nothing).
    const token = (await (
      await fetch(sim.tokenUrl, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: sim.refreshToken, client_id: sim.clientId, client_secret: sim.clientSecret }),
      })
    ).json()) as { access_token: string };
    for (const p of etags) {
      const res = await fetch(`${sim.baseUrl}/${sim.accountId}${p}`, {
        headers: { authorization: `Bearer ${token.access_token}`, 'user-agent': 'test (t@example.com)' },
      });
      expect({ p, total: Number(res.headers.get('x-total-count')) > 0 }).toEqual({ p, total: true });
    }
    sim.resetRequests();
    // full_refresh_hours 0: every full-table list is read again, so every kept ETag is sent.
    const everyList = writeJson(dir, 'config-every-run.json', { ...JSON.parse(fs.readFileSync(configFile, 'utf8')), full_refresh_hours: 0 });
    const run = await runTap(['--config', everyList, '--state', writeJson(dir, 'state-etags.json', final)]);
    expect(run.code).toBe(0);
    const revalidated = sim.requests.filter((r) => r.ifNoneMatch).map((r) => r.path.slice(`/${sim.accountId}`.length));
    const notModified = sim.requests.filter((r) => r.status === 304);
    expect(notModified.length).toBeGreaterThan(10);
    expect(notModified.length).toBe(revalidated.length);
    for (const p of revalidated) expect(etags).toContain(p);
  });

  it('records changed, archived, trashed or created between runs arrive with their new values', async () => {
    const first = await runTap(['--config', configFile]);
    const stateFile = writeJson(dir, 'state2.json', lastState(first.messages));
    const pick = (stream: string, f: (r: any) => boolean = () => true) =>
      (sim.expectedRecords(stream) as any[]).find((r) => f(r) && (r.project_id === undefined || activeProject(r.project_id)));
    const activeProject = (id: number) => (sim.expectedRecords('projects') as any[]).find((p) => p.id === id)?.status === 'active';
    const todo = pick('todos', (t) => t.status === 'active');
    const message = pick('messages', (m) => m.status === 'active');
    const doc = pick('documents', (d) => d.status === 'active');
    const chat = pick('campfires');
    sim.update('todos', todo.id);
    sim.setStatus('messages', message.id, 'trashed');
    sim.setStatus('documents', doc.id, 'archived');
    const line = sim.create('campfire_lines', { parentId: chat.id, projectId: chat.project_id });
    const comment = sim.create('comments', { parentId: todo.id, projectId: todo.project_id });
    const run = await runTap(['--config', configFile, '--state', stateFile]);
    expect(run.code).toBe(0);
    const find = (stream: string, id: number) => recordsOf(run.messages, stream).find((r) => r.id === id);
    const expected = (stream: string, id: number) => (sim.expectedRecords(stream) as any[]).find((r) => r.id === id);
    expect(find('todos', todo.id)).toEqual(expected('todos', todo.id));
    expect(find('messages', message.id)).toMatchObject({ status: 'trashed' });
    expect(find('documents', doc.id)).toMatchObject({ status: 'archived' });
    expect(find('campfire_lines', line)).toEqual(expected('campfire_lines', line));
    expect(find('comments', comment)).toEqual(expected('comments', comment));
    // Parents touched by the change are re-emitted; untouched streams are not.
    expect(recordsOf(run.messages, 'projects').map((p) => p.id)).toContain(todo.project_id);
    expectMatchesSimulator([...first.messages, ...run.messages]);
  });

  it('a person changed between runs arrives, in people and in every project membership', async () => {
    const base = await runTap(['--config', configFile]);
    const person = (sim.expectedRecords('people') as any[])[0];
    sim.update('people', person.id);
    const run = await runTap(['--config', configFile, '--state', writeJson(dir, 'state-people.json', lastState(base.messages))]);
    expect(run.code).toBe(0);
    expect(recordsOf(run.messages, 'people').find((p) => p.id === person.id)).toEqual((sim.expectedRecords('people') as any[]).find((p) => p.id === person.id));
    const memberships = (sim.expectedRecords('project_people') as any[]).filter((m) => m.person_id === person.id);
    expect(memberships.length).toBeGreaterThan(0);
    const got = table(recordsOf(run.messages, 'project_people'), 'project_people');
    for (const m of memberships) expect(got.get(keyOf('project_people', m))).toEqual(m);
  });

  it('an archived project that changed is walked again', async () => {
    const base = await runTap(['--config', configFile]);
    const archived = (sim.expectedRecords('projects') as any[]).find((p) => p.status === 'archived');
    const entry = (sim.expectedRecords('schedule_entries') as any[]).find((e) => e.project_id === archived.id);
    sim.update('schedule_entries', entry.id);
    const run = await runTap(['--config', configFile, '--state', writeJson(dir, 'state3.json', lastState(base.messages))]);
    expect(run.code).toBe(0);
    expect(recordsOf(run.messages, 'schedule_entries').find((e) => e.id === entry.id)).toEqual(
      (sim.expectedRecords('schedule_entries') as any[]).find((e) => e.id === entry.id),
    );
    expect(recordsOf(run.messages, 'projects').find((p) => p.id === archived.id)).toBeDefined();
  });
});

describe('interrupted runs', () => {
  it('a run killed midway (SIGKILL) and restarted from its last STATE loses nothing', async () => {
    sim.setLatency(15);
    try {
      let records = 0;
      let states = 0;
      const killed = await runTap(['--config', writeJson(dir, 'slow.json', sim.config({ max_requests_per_10s: 10000, max_concurrency: 2 }))], {
        onLine: (line, child) => {
          if (line.startsWith('{"record"')) records++;
          if (line.includes('"type":"STATE"')) states++;
          if (records > 600 && states > 0) child.kill('SIGKILL');
        },
      });
      expect(killed.signal).toBe('SIGKILL');
      const state = lastState(killed.messages);
      expect(state).toBeDefined();
      const resumed = await runTap(['--config', configFile, '--state', writeJson(dir, 'killed-state.json', state)]);
      expect(resumed.code).toBe(0);
      expectMatchesSimulator([...killed.messages, ...resumed.messages]);
      // The resumed run did not start over.
      expect(resumed.messages.filter((m) => m.type === 'RECORD').length).toBeLessThan(full.messages.filter((m) => m.type === 'RECORD').length);
    } finally {
      sim.setLatency(0);
    }
  });

  it('SIGTERM: writes a final resumable STATE, says so in one line, and dies of SIGTERM within 5 s', async () => {
    sim.setLatency(15);
    try {
      let sentAt = 0;
      const run = await runTap(['--config', writeJson(dir, 'slow2.json', sim.config({ max_requests_per_10s: 10000, max_concurrency: 2 }))], {
        onLine: (line, child) => {
          if (!sentAt && line.startsWith('{"record"') && line.includes('"stream":"todos"')) {
            sentAt = Date.now();
            child.kill('SIGTERM');
          }
        },
      });
      expect(run.signal).toBe('SIGTERM');
      expect(Date.now() - sentAt).toBeLessThan(5000);
      expect(run.messages[run.messages.length - 1].type).toBe('STATE');
      expect(logLines(run.stderr).filter((l) => /interrupted by SIGTERM/.test(l))).toHaveLength(1);
      // The run ends with how to resume it: --state with the last STATE it wrote (done just below).
      expect(logLines(run.stderr).pop()).toMatch(
        /WARN interrupted by SIGTERM: stopped after writing a resumable STATE; to resume, run the same command again with --state FILE, FILE holding the value of the last STATE message on stdout/,
      );
      const resumed = await runTap(['--config', configFile, '--state', writeJson(dir, 'term-state.json', lastState(run.messages))]);
      expect(resumed.code).toBe(0);
      expectMatchesSimulator([...run.messages, ...resumed.messages]);
    } finally {
      sim.setLatency(0);
    }
  });
});
