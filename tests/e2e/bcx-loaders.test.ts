/**
 * A Basecamp 2 account as the common loaders take it (issue "Every loader takes it", items 1
 * and 2): the built CLI against the simulator's bcx account. Every field holds one JSON type and
 * one format across the run (target-postgres makes one column per field, and died on to-dos'
 * `false` completed_at and on timed calendar events); a record read from its show keeps what only
 * its list item carried (people's and calendars' url and app_url, groups' updated_at), in a feed
 * run too.
 */
import { Simulator, startSimulator } from '../../simulator';
import { Message, lastState, recordsOf, runTap, tmpDir, writeJson } from '../helpers/tap';

type Rec = Record<string, any>;
const dir = tmpDir('tap-basecamp-bcx-loaders-');
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

let sim: Simulator;
let config: string;
let full: Message[];

async function sync(state?: unknown): Promise<Message[]> {
  const args = ['--config', config];
  if (state !== undefined) args.push('--state', writeJson(dir, 'state.json', state));
  const run = await runTap(args, { timeoutMs: 120_000 });
  expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
  return run.messages;
}

/** The JSON shape of a value as a loader's column sees it: its type, and for strings its format. */
function shape(value: unknown): string {
  if (typeof value === 'string') return DATE_TIME.test(value) ? 'date-time' : DATE.test(value) ? 'date' : 'string';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Every non-null value of a record by its path (array items under `[]`), nested ones too. */
function shapes(value: unknown, at: string, out: Map<string, Set<string>>): void {
  if (value === null || value === undefined) return;
  if (!out.has(at)) out.set(at, new Set());
  out.get(at)!.add(shape(value));
  if (Array.isArray(value)) for (const v of value) shapes(v, `${at}[]`, out);
  else if (typeof value === 'object') for (const [k, v] of Object.entries(value)) shapes(v, `${at}.${k}`, out);
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 11 });
  config = writeJson(dir, 'config.json', sim.bcx.config({ max_requests_per_10s: 100000 }));
  full = await sync();
}, 180_000);

afterAll(async () => {
  await sim?.stop();
});

describe('a Basecamp 2 account in a form every loader takes', () => {
  it("to-dos' completed_at is never a boolean: a date-time when done, null on open to-dos", () => {
    const todos = recordsOf(full, 'todos');
    const open = todos.filter((t) => t.completed === false);
    expect(open.length).toBeGreaterThan(0);
    for (const t of open) expect({ id: t.id, completed_at: t.completed_at }).toEqual({ id: t.id, completed_at: null });
    for (const t of todos.filter((x) => x.completed === true)) expect({ id: t.id, at: DATE_TIME.test(t.completed_at) }).toEqual({ id: t.id, at: true });
  });

  it("calendar events' fields have one type and format each: starts_at/ends_at date-times, starts_on/ends_on days", () => {
    const events = recordsOf(full, 'calendar_events');
    const allDay = events.filter((e) => e.all_day === true);
    const timed = events.filter((e) => e.all_day === false);
    expect(allDay.length).toBeGreaterThan(0);
    expect(timed.length).toBeGreaterThan(0);
    for (const e of allDay)
      expect({ id: e.id, starts_at: e.starts_at, ends_at: e.ends_at, on: DATE.test(e.starts_on) && DATE.test(e.ends_on) }).toEqual({
        id: e.id,
        starts_at: null,
        ends_at: null,
        on: true,
      });
    for (const e of timed) {
      expect({ id: e.id, at: DATE_TIME.test(e.starts_at) && DATE_TIME.test(e.ends_at) }).toEqual({ id: e.id, at: true });
      // The day as Basecamp wrote the time, in the event's own offset.
      expect([e.starts_on, e.ends_on]).toEqual([e.starts_at.slice(0, 10), e.ends_at.slice(0, 10)]);
    }
  });

  it('every field of every stream holds one JSON type and at most one format across the run, nested ones too', () => {
    const mixed: string[] = [];
    for (const stream of sim.bcx.streamNames()) {
      const seen = new Map<string, Set<string>>();
      for (const r of recordsOf(full, stream)) shapes(r, stream, seen);
      for (const [at, kinds] of seen) if (kinds.size > 1) mixed.push(`${at}: ${[...kinds].sort().join(', ')}`);
    }
    expect(mixed).toEqual([]);
  });
});

describe('a record read from its show keeps what only its list item carried', () => {
  it('people and calendars carry url and app_url, groups updated_at', () => {
    const people = recordsOf(full, 'people');
    expect(people.length).toBeGreaterThan(0);
    for (const p of people)
      expect({ id: p.id, url: /\/api\/v1\/people\/\d+[^/]*\.json$/.test(p.url), app_url: typeof p.app_url }).toEqual({
        id: p.id,
        url: true,
        app_url: 'string',
      });
    const calendars = recordsOf(full, 'calendars');
    expect(calendars.length).toBeGreaterThan(0);
    for (const c of calendars)
      expect({ id: c.id, url: /\/api\/v1\/calendars\/\d+[^/]*\.json$/.test(c.url), app_url: typeof c.app_url }).toEqual({
        id: c.id,
        url: true,
        app_url: 'string',
      });
    const groups = recordsOf(full, 'groups');
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups)
      expect({ id: g.id, updated_at: DATE_TIME.test(g.updated_at), memberships: Array.isArray(g.memberships) }).toEqual({
        id: g.id,
        updated_at: true,
        memberships: true,
      });
    // Exactly what the list gave: the simulator's account says the same.
    for (const stream of ['people', 'calendars', 'groups']) {
      const want = new Map((sim.bcx.expectedRecords(stream) as Rec[]).map((r) => [r.id, r]));
      for (const r of recordsOf(full, stream)) expect(r).toEqual(want.get(r.id));
    }
  });

  it('a person and a project the change feed names, read from their show alone, still carry url and app_url', async () => {
    const todo = sim.bcx.ids('todos')[2]!;
    sim.bcx.advanceClock(60_000);
    sim.bcx.update('todos', todo);
    const before = sim.requests.length;
    const next = await sync(lastState(full));
    // The feed names people by id (/people/ID.json); their lists by id-slug.
    const prefix = `/${sim.bcx.accountId}/api/v1/people/`;
    const byFeed = sim.requests
      .slice(before)
      .map((r) => r.path)
      .filter((p) => p.startsWith(prefix) && /^\d+\.json$/.test(p.slice(prefix.length)));
    expect(byFeed.length).toBeGreaterThan(0);
    const people = recordsOf(next, 'people');
    const projects = recordsOf(next, 'projects');
    expect(people.length + projects.length).toBeGreaterThan(0);
    for (const r of [...people, ...projects])
      expect({ id: r.id, url: typeof r.url, app_url: typeof r.app_url }).toEqual({ id: r.id, url: 'string', app_url: 'string' });
  }, 180_000);
});
