/**
 * activate_version (issue 21, item 3): a run without state stamps every full-table stream with a
 * version and, once the stream has been read whole, follows it with ACTIVATE_VERSION, so a loader
 * that honours it (target-postgres) removes the rows Basecamp no longer has. A stream shortened by
 * a skipped partition, a failed run, a run with state and incremental streams get none.
 */
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { Simulator, startSimulator } from '../../simulator';
import { Message, keyOf, logLines, runTap, tmpDir, writeJson } from '../helpers/tap';

const FULL_TABLE = [
  'account',
  'project_people',
  'campfires',
  'timesheet_entries',
  'gauge_needles',
  'lineup_markers',
  'message_boards',
  'message_types',
  'todosets',
  'todolist_groups',
  'schedules',
  'questionnaires',
  'questions',
  'inboxes',
  'inbox_forwards',
  'inbox_replies',
  'client_approvals',
  'client_correspondences',
  'client_replies',
  'card_tables',
  'card_table_columns',
  'attachments',
  'hill_charts',
];

let sim: Simulator;
let dir: string;
/** A proxy in front of the simulator that answers the first request matching `failing` with `status`. */
let proxy: http.Server;
let failing: { match: RegExp; status: number; hit?: string } | undefined;

beforeAll(async () => {
  sim = await startSimulator({ records: 600 });
  dir = tmpDir('tap-basecamp-versions-');
  proxy = http.createServer((req, res) => {
    if (failing && (!failing.hit || failing.status >= 500) && failing.match.test(req.url ?? '')) {
      failing.hit = req.url;
      res.writeHead(failing.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: failing.status, error: 'scripted' }));
      return;
    }
    // The simulator's own origin in links and bodies becomes the proxy's, so that every page comes through here.
    const here = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const headers = { ...req.headers, 'accept-encoding': 'identity' };
    const upstream = http.request(`${sim.baseUrl}${req.url}`, { method: req.method, headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        const body = Buffer.from(Buffer.concat(chunks).toString('utf8').replaceAll(sim.baseUrl, here));
        const out: http.OutgoingHttpHeaders = { ...answer.headers, 'content-length': String(body.length) };
        if (typeof out.link === 'string') out.link = out.link.replaceAll(sim.baseUrl, here);
        res.writeHead(answer.statusCode!, out);
        res.end(body);
      });
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await sim?.stop();
});

function config(extra: object = {}): string {
  const port = (proxy.address() as AddressInfo).port;
  return writeJson(
    dir,
    `config-${Math.random()}.json`,
    sim.config({
      max_requests_per_10s: 100000,
      basecamp_product: 'bc3',
      max_retries: 0,
      api_url: `http://127.0.0.1:${port}`,
      activate_version: true,
      ...extra,
    }),
  );
}

const activated = (messages: Message[]) => messages.filter((m) => m.type === 'ACTIVATE_VERSION').map((m) => m.stream);

/** What target-postgres holds after the messages: rows by key, and rows of older versions removed on ACTIVATE_VERSION. */
function load(table: Map<string, Map<string, { version?: number }>>, messages: Array<Message & { version?: number }>): void {
  for (const m of messages) {
    if (m.type === 'RECORD') {
      if (!table.has(m.stream!)) table.set(m.stream!, new Map());
      table.get(m.stream!)!.set(keyOf(m.stream!, m.record!), { ...m.record, version: m.version });
    } else if (m.type === 'ACTIVATE_VERSION') {
      for (const [key, row] of table.get(m.stream!) ?? []) if ((row.version ?? 0) < m.version!) table.get(m.stream!)!.delete(key);
    }
  }
}

test('a run without state: every full-table stream versioned and activated after its records; a deleted row leaves the replica', async () => {
  const run = await runTap(['--config', config()]);
  expect(logLines(run.stderr).filter((l) => / (WARN|ERROR) /.test(l))).toEqual([]);
  expect(run.code).toBe(0);
  const messages = run.messages as Array<Message & { version?: number }>;
  expect(activated(messages).sort()).toEqual([...FULL_TABLE].sort());
  const versions = new Set(messages.filter((m) => m.type === 'ACTIVATE_VERSION').map((m) => m.version));
  expect(versions.size).toBe(1);
  const version = [...versions][0]!;
  expect(version).toBeGreaterThan(Date.parse('2020-01-01'));
  for (const m of messages.filter((x) => x.type === 'RECORD')) {
    expect({ stream: m.stream, version: m.version }).toEqual({ stream: m.stream, version: FULL_TABLE.includes(m.stream!) ? version : undefined });
  }
  // After every RECORD, before the final STATE (the last message of a run).
  const firstActivation = messages.findIndex((m) => m.type === 'ACTIVATE_VERSION');
  expect(messages.slice(firstActivation).every((m) => m.type !== 'RECORD')).toBe(true);
  expect(messages[messages.length - 1].type).toBe('STATE');
  expect(logLines(run.stderr).some((l) => l.includes(`activate_version: a run without state; ${FULL_TABLE.length} full-table streams`))).toBe(true);

  // A replica loaded by an earlier run holds a gauge needle Basecamp has since deleted for good.
  const replica = new Map<string, Map<string, { version?: number }>>();
  replica.set('gauge_needles', new Map([['1', { version: version - 86_400_000 }]]));
  replica.set('todos', new Map([['2', {}]]));
  load(replica, messages);
  expect(replica.get('gauge_needles')!.has('1')).toBe(false);
  expect(replica.get('gauge_needles')!.size).toBe(messages.filter((m) => m.type === 'RECORD' && m.stream === 'gauge_needles').length);
  expect(replica.get('todos')!.has('2')).toBe(true); // incremental: never removed
});

test('start_date does not shorten a full-table stream: the same rows are read whole with it', async () => {
  // Attachments follow their records, which start_date leaves out of incremental streams: not read whole, not versioned.
  const wholeEither = FULL_TABLE.filter((s) => s !== 'attachments');
  const keys = (messages: Message[]) =>
    messages
      .filter((m) => m.type === 'RECORD' && wholeEither.includes(m.stream!))
      .map((m) => `${m.stream} ${keyOf(m.stream!, m.record!)}`)
      .sort();
  const whole = await runTap(['--config', config()]);
  const recent = await runTap(['--config', config({ start_date: new Date(sim.now().getTime() - 30 * 86_400_000).toISOString() })]);
  expect([whole.code, recent.code]).toEqual([0, 0]);
  expect(recent.messages.filter((m) => m.type === 'RECORD').length).toBeLessThan(whole.messages.filter((m) => m.type === 'RECORD').length);
  expect(keys(recent.messages)).toEqual(keys(whole.messages));
  expect(activated(recent.messages).sort()).toEqual([...wholeEither].sort());
  const attachments = (messages: Message[]) =>
    messages.filter((m) => m.type === 'RECORD' && m.stream === 'attachments') as Array<Message & { version?: number }>;
  expect(attachments(recent.messages).length).toBeLessThan(attachments(whole.messages).length);
  expect(attachments(recent.messages).filter((m) => m.version !== undefined)).toEqual([]);
});

test('a skipped partition: its stream and the streams below it are not activated', async () => {
  failing = { match: /\/inboxes\/\d+\/inbox_forwards\.json/, status: 404 };
  try {
    const run = await runTap(['--config', config()]);
    expect(run.code).toBe(0);
    expect(failing.hit).toBeDefined();
    // Forwards and replies carry attachments: those of the skipped forwards were not written either.
    expect(activated(run.messages).sort()).toEqual(FULL_TABLE.filter((s) => !['inbox_forwards', 'inbox_replies', 'attachments'].includes(s)).sort());
  } finally {
    failing = undefined;
  }
});

test('a failed run sends no ACTIVATE_VERSION', async () => {
  failing = { match: /\/todolists\/\d+\/todos\.json/, status: 500 };
  try {
    const run = await runTap(['--config', config({ max_concurrency: 1 })]);
    expect(run.code).toBe(1);
    expect(run.messages.some((m) => m.type === 'RECORD')).toBe(true);
    expect(activated(run.messages)).toEqual([]);
  } finally {
    failing = undefined;
  }
});

test('an interrupted run sends no ACTIVATE_VERSION', async () => {
  sim.setLatency(20); // the run lasts long enough for the signal to stop it midway
  try {
    let sent = false;
    const run = await runTap(['--config', config({ max_concurrency: 2 })], {
      onLine: (line, child) => {
        if (!sent && line.includes('"type":"RECORD"')) child.kill('SIGTERM');
        sent ||= line.includes('"type":"RECORD"');
      },
    });
    expect(run.signal).toBe('SIGTERM');
    expect(run.messages[run.messages.length - 1].type).toBe('STATE');
    expect(activated(run.messages)).toEqual([]);
  } finally {
    sim.setLatency(0);
  }
});

test('a run with state, or without the setting: no version, no ACTIVATE_VERSION', async () => {
  const first = await runTap(['--config', config({ activate_version: false })]);
  expect(first.code).toBe(0);
  expect(first.stdout).not.toMatch(/"version":|ACTIVATE_VERSION/);
  const state = first.messages.filter((m) => m.type === 'STATE').pop()!.value;
  const second = await runTap(['--config', config(), '--state', writeJson(dir, 'state.json', state)]);
  expect(second.code).toBe(0);
  expect(second.stdout).not.toMatch(/"version":|ACTIVATE_VERSION/);
  expect(logLines(second.stderr).some((l) => l.includes('activate_version: this run resumes from a state'))).toBe(true);
});

test('a stream switched to FULL_TABLE by the catalog is activated too', async () => {
  const discovered = await runTap(['--config', config(), '--discover']);
  const catalog = JSON.parse(discovered.stdout) as {
    streams: Array<{ stream: string; metadata: Array<{ breadcrumb: string[]; metadata: Record<string, unknown> }> }>;
  };
  catalog.streams = catalog.streams.filter((s) => ['projects', 'campfires', 'campfire_lines'].includes(s.stream));
  for (const s of catalog.streams) s.metadata[0].metadata.selected = true;
  catalog.streams.find((s) => s.stream === 'campfire_lines')!.metadata[0].metadata['replication-method'] = 'FULL_TABLE';
  const run = await runTap(['--config', config(), '--catalog', writeJson(dir, 'catalog.json', catalog)]);
  expect(run.code).toBe(0);
  expect(activated(run.messages).sort()).toEqual(['campfire_lines', 'campfires']);
});
