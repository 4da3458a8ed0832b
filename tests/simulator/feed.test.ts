/**
 * The simulator's account event feed (GET /events.json) against its documented contract
 * (basecamp/bc-api sections/event_feed.md): the envelope and its headers, entering at the present,
 * since=<id> / 0 / now, paging oldest first with a walk frozen at its head, empty pages that still
 * carry `next`, signed positions (400 invalid_position), the filter 400, the 409 of a position
 * minted for other filters (the docs' srv2 digests), the 410 of a raised epoch, the events the
 * mutations record (and those they do not), and the readings of an account that does not serve it.
 */
import { Simulator, SimulatorOptions, startSimulator } from '../../simulator';
import { tokenFor } from '../helpers/simulator-http';

jest.setTimeout(60_000);

type Json = Record<string, any>;
const UA = 'simulator feed tests (test@example.com)';
/** The thin pointer's keys, as the docs list them (details only for card.moved and boost.created). */
const EVENT_KEYS = ['action', 'bucket_id', 'created_at', 'creator_id', 'event_type', 'id', 'kind', 'performed_by_id', 'recording_id'];

interface Answer {
  status: number;
  body: Json;
  headers: Headers;
}

async function withSim(opts: SimulatorOptions, f: (sim: Simulator, get: (pathOrUrl: string) => Promise<Answer>) => Promise<void>): Promise<void> {
  const sim = await startSimulator({ records: 300, ...opts });
  try {
    const token = await tokenFor(sim);
    const get = async (pathOrUrl: string): Promise<Answer> => {
      const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${sim.baseUrl}/${sim.accountId}${pathOrUrl}`;
      const res = await fetch(url, { headers: { Authorization: `Bearer ${token}`, 'User-Agent': UA } });
      return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
    };
    await f(sim, get);
  } finally {
    await sim.stop();
  }
}

/** Follows `next` to the walk's end: every page's body. */
async function walk(get: (u: string) => Promise<Answer>, first: string): Promise<Json[]> {
  const pages: Json[] = [];
  let url: string | undefined = first;
  while (url) {
    const a = await get(url);
    expect(a.status).toBe(200);
    pages.push(a.body);
    url = a.body.next as string | undefined;
    if (pages.length > 100) throw new Error('endless walk');
  }
  return pages;
}

const ids = (pages: Json[]): number[] => pages.flatMap((p) => (p.events as Json[]).map((e) => e.id as number));
const types = (pages: Json[]): string[] => pages.flatMap((p) => (p.events as Json[]).map((e) => e.event_type as string));
const pos = (token: string) => `/events.json?position=${encodeURIComponent(token)}`;

/** A project with a message board, a to-do list, a campfire and a card table. */
function projectWithTools(sim: Simulator): Json {
  const projects = sim.expectedRecords('projects') as Json[];
  const p = projects.find((x) => {
    const tools = new Set((x.dock as Json[]).filter((t) => t.enabled).map((t) => t.name));
    return x.status === 'active' && ['message_board', 'todoset', 'chat', 'kanban_board', 'questionnaire'].every((n) => tools.has(n));
  });
  if (!p) throw new Error('no project with every tool');
  return p;
}

describe('GET /events.json', () => {
  it('enters at the present without since or position: no events, a position, no next, headers echo it', () =>
    withSim({}, async (_sim, get) => {
      for (const path of ['/events.json', '/events.json?since=now']) {
        const a = await get(path);
        expect(a.status).toBe(200);
        expect(Object.keys(a.body).sort()).toEqual(['events', 'position']);
        expect(a.body.events).toEqual([]);
        expect(typeof a.body.position).toBe('string');
        expect(a.headers.get('x-feed-position')).toBe(a.body.position);
        expect(a.headers.get('link')).toBeNull();
      }
    }));

  it('records the cataloged changes as thin pointers, oldest first; uncataloged changes record nothing', () =>
    withSim({}, async (sim, get) => {
      const start = (await get('/events.json?since=now')).body.position as string;
      const p = projectWithTools(sim);
      const message = sim.create('messages', { projectId: p.id });
      const comment = sim.create('comments', { parentId: message });
      const todo = sim.create('todos', { projectId: p.id });
      const line = sim.create('campfire_lines', { projectId: p.id });
      const card = sim.create('card_table_cards', { projectId: p.id });
      sim.create('question_answers', { projectId: p.id });
      sim.update('messages', message);
      sim.update('todos', todo);
      // Not in the catalog: no event.
      sim.create('documents', { projectId: p.id });
      sim.create('schedule_entries', { projectId: p.id });
      sim.create('people', { projectId: p.id });
      sim.update('projects', p.id as number);
      sim.setStatus('todos', todo, 'trashed');
      sim.update('campfire_lines', line);
      const pages = await walk(get, pos(start));
      expect(types(pages)).toEqual([
        'message.created',
        'comment.created',
        'todo.created',
        'chat.line.created',
        'card.created',
        'question.answer.created',
        'message.content_changed',
        'todo.content_changed',
      ]);
      const events = pages.flatMap((x) => x.events as Json[]);
      expect(ids(pages)).toEqual([...ids(pages)].sort((a, b) => a - b));
      for (const e of events) {
        expect(Object.keys(e).sort()).toEqual(EVENT_KEYS);
        expect(e.bucket_id).toBe(p.id);
        expect(e.kind).toBe((e.event_type as string).replace(/\./g, '_'));
        expect(e.performed_by_id).toBeNull();
        expect(new Date(e.created_at as string).toISOString()).toBe(e.created_at);
      }
      expect(events.map((e) => e.recording_id).slice(0, 5)).toEqual([message, comment, todo, line, card]);
      expect(events[0]?.action).toBe('created');
      expect(events[6]?.action).toBe('content_changed');
    }));

  it('moves: todo.moved, and card.moved with the columns in details', () =>
    withSim({}, async (sim, get) => {
      const start = (await get('/events.json')).body.position as string;
      const lists = (sim.expectedRecords('todolists') as Json[]).filter((l) => l.status === 'active');
      const todo = (sim.expectedRecords('todos') as Json[]).find(
        (t) => t.status === 'active' && lists.some((l) => l.bucket.id === t.bucket.id && l.id !== t.parent.id),
      ) as Json;
      const otherList = lists.find((l) => l.bucket.id === todo.bucket.id && l.id !== todo.parent.id) as Json;
      sim.move('todos', todo.id as number, otherList.id as number);
      const columns = sim.expectedRecords('card_table_columns') as Json[];
      const columnOf = (id: number) => columns.find((c) => c.id === id) as Json;
      const sibling = (card: Json) => columns.find((c) => c.parent.id === columnOf(card.parent.id).parent.id && c.id !== card.parent.id);
      const card = (sim.expectedRecords('card_table_cards') as Json[]).find((c) => c.status === 'active' && sibling(c)) as Json;
      const column = sibling(card) as Json;
      sim.move('card_table_cards', card.id as number, column.id as number);
      const events = (await walk(get, pos(start))).flatMap((x) => x.events as Json[]);
      expect(events.map((e) => [e.event_type, e.recording_id])).toEqual([
        ['todo.moved', todo.id],
        ['card.moved', card.id],
      ]);
      expect(Object.keys(events[0] as Json).sort()).toEqual(EVENT_KEYS);
      expect(events[1]?.details).toEqual({ column_id: column.id, previous_column_id: card.parent.id });
      expect((sim.expectedRecords('todos') as Json[]).find((t) => t.id === todo.id)?.parent.id).toBe(otherList.id);
      expect(() => sim.move('todos', todo.id as number, card.id as number)).toThrow(/cannot move/);
    }));

  it('pages oldest first; the walk ends at the head frozen when it started; the next poll serves the rest', () =>
    withSim({ feed: { pageSize: 2 } }, async (sim, get) => {
      const start = (await get('/events.json')).body.position as string;
      const p = projectWithTools(sim);
      const made = [1, 2, 3, 4, 5].map(() => sim.create('campfire_lines', { projectId: p.id }));
      const first = await get(pos(start));
      expect(first.body.events.map((e: Json) => e.recording_id)).toEqual(made.slice(0, 2));
      expect(typeof first.body.next).toBe('string');
      expect(first.headers.get('link')).toBe(`<${first.body.next}>; rel="next"`);
      expect(first.headers.get('x-feed-position')).toBe(first.body.position);
      // Created mid-walk: beyond the frozen head.
      const late = sim.create('campfire_lines', { projectId: p.id });
      const rest = await walk(get, first.body.next as string);
      expect(rest.map((x) => (x.events as Json[]).length)).toEqual([2, 1]);
      expect(rest.flatMap((x) => (x.events as Json[]).map((e) => e.recording_id))).toEqual(made.slice(2));
      const last = rest[rest.length - 1]?.position as string;
      const again = await walk(get, pos(last));
      expect(again.flatMap((x) => (x.events as Json[]).map((e) => e.recording_id))).toEqual([late]);
    }));

  it('since=<id> starts after that event; since=0 replays from the epoch', () =>
    withSim({}, async (sim, get) => {
      const p = projectWithTools(sim);
      const made = [1, 2, 3].map(() => sim.create('messages', { projectId: p.id }));
      const all = (await walk(get, '/events.json?since=0')).flatMap((x) => x.events as Json[]);
      expect(all.map((e) => e.recording_id)).toEqual(made);
      const after = await walk(get, `/events.json?since=${all[0]?.id}`);
      expect(after.flatMap((x) => (x.events as Json[]).map((e) => e.recording_id))).toEqual(made.slice(1));
    }));

  it('crosses excluded history in empty pages that still carry next: an id gap, and a types filter', () =>
    withSim({ feed: { scanWindow: 100 } }, async (sim, get) => {
      const start = (await get('/events.json')).body.position as string;
      const p = projectWithTools(sim);
      const before = sim.create('messages', { projectId: p.id });
      sim.feed.skipIds(350); // other accounts' activity: two whole windows without an event here
      const after = sim.create('messages', { projectId: p.id });
      const pages = await walk(get, pos(start));
      expect(pages.map((x) => (x.events as Json[]).length)).toEqual([1, 0, 0, 1]);
      expect(pages.slice(0, 3).every((x) => typeof x.next === 'string')).toBe(true);
      expect(pages[3]?.next).toBeUndefined();
      expect(pages.flatMap((x) => (x.events as Json[]).map((e) => e.recording_id))).toEqual([before, after]);

      // 150 lines, then a message: a walk for messages crosses the lines' window empty.
      const from = (await get('/events.json?types=message.created')).body.position as string;
      for (let i = 0; i < 150; i++) sim.create('campfire_lines', { projectId: p.id });
      const message = sim.create('messages', { projectId: p.id });
      const filtered = await walk(get, `${pos(from)}&types=message.created`);
      expect(filtered.map((x) => (x.events as Json[]).length)).toEqual([0, 1]);
      expect(filtered[0]?.next).toMatch(/types=message\.created/);
      expect(filtered[1]?.events[0].recording_id).toBe(message);
    }));

  it('answers 400 invalid_position to a tampered, malformed or foreign position, and to a bad since', () =>
    withSim({}, async (sim, get) => {
      const token = (await get('/events.json')).body.position as string;
      const raw = Buffer.from(token, 'base64url').toString('latin1');
      const tampered = Buffer.from(raw.replace(/^\d/, (d) => String((Number(d) + 1) % 10))).toString('base64url');
      const other = await startSimulator({ records: 300, accountId: sim.accountId + 1 });
      let foreign: string;
      try {
        const t = await tokenFor(other);
        const res = await fetch(`${other.baseUrl}/${other.accountId}/events.json`, { headers: { Authorization: `Bearer ${t}`, 'User-Agent': UA } });
        foreign = ((await res.json()) as Json).position as string;
      } finally {
        await other.stop();
      }
      for (const bad of [pos(tampered), pos('not-a-position'), pos(foreign), '/events.json?since=abc', '/events.json?since=-1']) {
        const a = await get(bad);
        expect([bad, a.status, a.body.reason]).toEqual([bad, 400, 'invalid_position']);
        expect(typeof a.body.error).toBe('string');
      }
      expect((await get(pos(token))).status).toBe(200);
    }));

  it('answers the filter 400 to an unknown type, and 409 to a position minted for other filters (srv2 digests)', () =>
    withSim({}, async (_sim, get) => {
      const bad = await get('/events.json?types=nope.created');
      expect([bad.status, bad.body.reason]).toEqual([400, 'invalid_filter']);
      const token = (await get('/events.json?types=message.created')).body.position as string;
      const conflict = await get(pos(token));
      // The docs' vectors: types=message.created and the empty filter set.
      expect([conflict.status, conflict.body.position_digest, conflict.body.filters_digest]).toEqual([409, '38b223c13c89dc89', '44136fa355b3678a']);
      expect((await get(`${pos(token)}&types=message.created`)).status).toBe(200);
    }));

  it('answers 410 below a raised epoch, with a resume URL that enters at the epoch; since=0 enters there too', () =>
    withSim({}, async (sim, get) => {
      const p = projectWithTools(sim);
      const old = (await get('/events.json')).body.position as string;
      sim.create('messages', { projectId: p.id });
      const epoch = sim.feed.raiseEpoch();
      expect(epoch).toBe(sim.feed.head());
      const kept = sim.create('messages', { projectId: p.id });
      const gone = await get(pos(old));
      expect(gone.status).toBe(410);
      expect(gone.body.epoch_after_id).toBe(epoch);
      expect(new URL(gone.body.resume as string).origin).toBe(sim.baseUrl);
      const resumed = await walk(get, gone.body.resume as string);
      expect(resumed.flatMap((x) => (x.events as Json[]).map((e) => e.recording_id))).toEqual([kept]);
      expect((await get(`/events.json?since=${epoch - 1}`)).status).toBe(410);
      const replay = await walk(get, '/events.json?since=0');
      expect(replay.flatMap((x) => (x.events as Json[]).map((e) => e.recording_id))).toEqual([kept]);
    }));

  it.each([
    ['forbidden', 403],
    ['missing', 404],
  ] as const)('an account that does not serve the feed (eventFeed: %s) answers %d', (eventFeed, status) =>
    withSim({ readings: { eventFeed } }, async (_sim, get) => {
      expect((await get('/events.json?since=now')).status).toBe(status);
      expect((await get('/projects.json')).status).toBe(200);
    }),
  );
});
