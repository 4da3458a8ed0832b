/**
 * Tests of the simulator itself: HTTP behaviour (auth, pagination, ETags, faults,
 * rate limit), Basecamp semantics (status filters, the recordings endpoint), the
 * mutations, and that expectedRecords matches what a crawl of the API returns.
 */
import * as http from 'node:http';
import { Simulator, SimulatorOptions, startSimulator } from '../../simulator';
import { runCommand } from '../helpers/tap';
import { tokenFor } from '../helpers/simulator-http';

jest.setTimeout(60_000);

type Json = Record<string, any>;
interface Res {
  status: number;
  headers: Headers;
  body: any;
}

const UA = 'simulator tests (test@example.com)';

async function get(sim: Simulator, pathOrUrl: string, token: string | null, headers: Record<string, string> = {}): Promise<Res> {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${sim.baseUrl}/${sim.accountId}${pathOrUrl}`;
  const h: Record<string, string> = { 'User-Agent': UA, ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  const res = await fetch(url, { headers: h });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** Every page of a list, following Link rel="next". */
async function all(sim: Simulator, pathOrUrl: string, token: string): Promise<Json[]> {
  const out: Json[] = [];
  let next: string | null = pathOrUrl;
  while (next) {
    const res = await get(sim, next, token);
    if (res.status !== 200) throw new Error(`${next}: HTTP ${res.status}`);
    out.push(...(res.body as Json[]));
    const m = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '');
    next = m ? (m[1] as string) : null;
  }
  return out;
}

function withQuery(url: string, q: string): string {
  return url.includes('?') ? `${url}&${q}` : `${url}?${q}`;
}
const STATUS_QUERIES = ['', 'status=archived', 'status=trashed'];
async function allStatuses(sim: Simulator, url: string, token: string): Promise<Json[]> {
  const out: Json[] = [];
  for (const q of STATUS_QUERIES) out.push(...(await all(sim, q ? withQuery(url, q) : url, token)));
  return out;
}

function stripNul<T>(x: T): T {
  return JSON.parse(JSON.stringify(x), (_k, v: unknown) => (typeof v === 'string' ? v.split('\u0000').join('') : v)) as T;
}

/** The streams /projects/recordings.json serves, by its `type` parameter. */
const RECORDING_STREAMS: [string, string][] = [
  ['comments', 'Comment'],
  ['documents', 'Document'],
  ['card_table_cards', 'Kanban::Card'],
  ['card_table_steps', 'Kanban::Step'],
  ['messages', 'Message'],
  ['question_answers', 'Question::Answer'],
  ['schedule_entries', 'Schedule::Entry'],
  ['todos', 'Todo'],
  ['todolists', 'Todolist'],
  ['uploads', 'Upload'],
  ['vaults', 'Vault'],
  ['external_links', 'Door'],
];
const RECORDING_STATUSES = ['active', 'archived', 'trashed'];

/**
 * A full sync done the way a tap would: through the documented API only. Active projects:
 * the recordings endpoint for its types (every status), the other lists plain (they answer
 * active records), groups in every status of every to-do list. Archived projects: the dock
 * walk, with `status` only on the lists that take it, and comments per commentable record.
 */
/** The event feed's served history: since=0, then each envelope's `next` until there is none. */
async function feed(sim: Simulator, token: string): Promise<Json[]> {
  const out: Json[] = [];
  for (let at: string | undefined = '/events.json?since=0'; at !== undefined;) {
    const body = (await get(sim, at, token)).body as Json;
    out.push(...(body.events as Json[]));
    at = body.next as string | undefined;
  }
  return out;
}

async function crawl(sim: Simulator, token: string): Promise<Record<string, Json[]>> {
  const s: Record<string, Json[]> = {};
  const add = (stream: string, recs: Json[], projectId?: number) => {
    (s[stream] ??= []).push(...recs.map((r) => (projectId === undefined ? r : { ...r, project_id: projectId })));
  };
  add('account', [(await get(sim, '/account.json', token)).body as Json]);
  add('projects', await allStatuses(sim, '/projects.json', token));
  add('templates', await allStatuses(sim, '/templates.json', token));
  add('people', await all(sim, '/people.json', token));
  add('lineup_markers', await all(sim, '/lineup/markers.json', token));
  add('timeline_events', await all(sim, '/reports/progress.json', token));
  add('events', await feed(sim, token));
  add('campfires', []);
  const chatsOfActive = await all(sim, '/chats.json', token);

  const commented: Json[] = []; // commentable records of archived projects
  for (const p of s.projects ?? []) {
    if (p.status === 'trashed') continue;
    const pid = p.id as number;
    const active = p.status === 'active';
    // Comments of archived projects come per record; the recordings endpoint has those of active ones.
    const commentable = (recs: Json[]) => {
      if (!active) commented.push(...recs.map((x) => ({ ...x, project_id: pid })));
    };
    add(
      'project_people',
      (await all(sim, `/projects/${pid}/people.json`, token)).map((x) => ({ ...x, person_id: x.id })),
      pid,
    );
    add('message_types', await all(sim, `/buckets/${pid}/categories.json`, token), pid);
    if (p.timesheet_enabled) add('timesheet_entries', await all(sim, `/projects/${pid}/timesheet.json`, token), pid);
    const needles = await all(sim, `/projects/${pid}/gauge/needles.json`, token);
    add('gauge_needles', needles, pid);
    commentable(needles);
    for (const [stream, path] of [
      ['client_approvals', 'approvals'],
      ['client_correspondences', 'correspondences'],
    ] as const) {
      const recs = await all(sim, `/buckets/${pid}/client/${path}.json`, token);
      add(stream, recs, pid);
      for (const r of recs) add('client_replies', await all(sim, r.replies_url as string, token), pid);
    }
    if (active) {
      for (const [stream, type] of RECORDING_STREAMS) {
        for (const status of RECORDING_STATUSES) {
          const recs = await all(sim, `/projects/recordings.json?type=${encodeURIComponent(type)}&bucket=${pid}&status=${status}`, token);
          // The Kanban::Step walk lists to-dos' steps too: they are todo_steps.
          const todoStep = (r: Json) => stream === 'card_table_steps' && r.parent?.type === 'Todo';
          add(
            stream,
            recs.filter((r) => !todoStep(r)),
            pid,
          );
          add('todo_steps', recs.filter(todoStep), pid);
          // Groups are not recordings-endpoint records: read them from every to-do list, in every status.
          if (stream === 'todolists') for (const l of recs) add('todolist_groups', await allStatuses(sim, l.groups_url as string, token), pid);
        }
      }
    }
    // An archived project's links: the Door walk with `bucket` (the default reading serves it).
    if (!active)
      for (const status of RECORDING_STATUSES)
        add('external_links', await all(sim, `/projects/recordings.json?type=Door&bucket=${pid}&status=${status}`, token), pid);
    for (const tool of p.dock as Json[]) {
      if (!tool.enabled) continue;
      const t = (await get(sim, tool.url as string, token)).body as Json;
      switch (tool.name) {
        case 'message_board': {
          add('message_boards', [t], pid);
          if (active) break;
          const msgs = await all(sim, t.messages_url as string, token);
          add('messages', msgs, pid);
          commentable(msgs);
          break;
        }
        case 'todoset': {
          add('todosets', [t], pid);
          add('hill_charts', [{ ...((await get(sim, t.hill_chart_url as string, token)).body as Json), todoset_id: t.id }], pid);
          if (active) break;
          const lists = await allStatuses(sim, t.todolists_url as string, token);
          add('todolists', lists, pid);
          commentable(lists);
          const containers = [...lists];
          for (const l of lists) {
            const groups = await allStatuses(sim, l.groups_url as string, token);
            add('todolist_groups', groups, pid);
            commentable(groups);
            containers.push(...groups);
          }
          for (const c of containers) {
            for (const q of ['', 'completed=true', 'status=archived', 'status=trashed']) {
              const todos = await all(sim, q ? withQuery(c.todos_url as string, q) : (c.todos_url as string), token);
              add('todos', todos, pid);
              commentable(todos);
              for (const t of todos) add('todo_steps', t.steps as Json[], pid);
            }
          }
          break;
        }
        case 'vault': {
          if (active) break; // the recordings endpoint lists an active project's root vault and folders
          add('vaults', [t], pid); // the root vault is a Vault recording like its folders
          const walk = async (v: Json) => {
            for (const [stream, key] of [
              ['documents', 'documents_url'],
              ['uploads', 'uploads_url'],
            ] as const) {
              const recs = await all(sim, v[key] as string, token);
              add(stream, recs, pid);
              commentable(recs);
            }
            const subs = await all(sim, v.vaults_url as string, token);
            add('vaults', subs, pid);
            for (const sub of subs) await walk(sub);
          };
          await walk(t);
          break;
        }
        case 'chat':
          if (!active) add('campfires', [t], pid);
          add('campfire_lines', await all(sim, t.lines_url as string, token), pid);
          break;
        case 'schedule': {
          add('schedules', [t], pid);
          if (active) break;
          const entries = await allStatuses(sim, t.entries_url as string, token);
          add('schedule_entries', entries, pid);
          commentable(entries);
          break;
        }
        case 'questionnaire': {
          add('questionnaires', [t], pid);
          const questions = await all(sim, t.questions_url as string, token);
          add('questions', questions, pid);
          if (active) break;
          for (const q of questions) {
            const answers = await all(sim, q.answers_url as string, token);
            add('question_answers', answers, pid);
            commentable(answers);
          }
          break;
        }
        case 'inbox': {
          add('inboxes', [t], pid);
          const forwards = await all(sim, t.forwards_url as string, token);
          add('inbox_forwards', forwards, pid);
          for (const f of forwards) add('inbox_replies', await all(sim, f.replies_url as string, token), pid);
          break;
        }
        case 'kanban_board': {
          add('card_tables', [t], pid);
          for (const col of t.lists as Json[]) {
            add('card_table_columns', [col], pid);
            if (active) continue;
            const cards = await all(sim, col.cards_url as string, token);
            add('card_table_cards', cards, pid);
            commentable(cards);
            for (const c of cards) add('card_table_steps', c.steps as Json[], pid);
          }
          break;
        }
      }
    }
  }
  for (const c of chatsOfActive) add('campfires', [c], (c.bucket as Json).id as number);
  for (const r of commented) add('comments', await all(sim, r.comments_url as string, token), r.project_id as number);
  // Every upload's versions, wherever the upload was read.
  for (const u of s.uploads ?? []) add('upload_versions', await all(sim, `/uploads/${u.id}/versions.json`, token), u.project_id as number);
  // Google documents and cloud files: nothing lists them; the timeline events announcing them name them by url.
  const announced = new Set<string>();
  for (const e of s.timeline_events ?? []) {
    const url = typeof e.url === 'string' ? e.url : '';
    const m = /\/(google_documents|cloud_files)\/\d+\.json$/.exec(url);
    if (!m || announced.has(url)) continue;
    announced.add(url);
    const item = (await get(sim, url, token)).body as Json;
    add(m[1] as string, [item], (item.bucket as Json).id as number);
  }
  // Each recording's own events, and its boosts where it counts any, wherever the recording was read.
  for (const stream of [
    'messages',
    'todolists',
    'todolist_groups',
    'todos',
    'schedule_entries',
    'documents',
    'uploads',
    'questions',
    'question_answers',
    'card_table_cards',
    'comments',
  ]) {
    for (const r of s[stream] ?? []) {
      const mine = (x: Json) => ({ ...x, recording_id: r.id });
      add('recording_events', (await all(sim, `/recordings/${r.id}/events.json`, token)).map(mine), r.project_id as number);
      if ((r.boosts_count ?? 0) > 0) add('boosts', (await all(sim, `/recordings/${r.id}/boosts.json`, token)).map(mine), r.project_id as number);
    }
  }
  // The files any crawled record's rich text embeds, each with the record it hangs from.
  for (const recs of Object.values(s)) {
    for (const r of recs) {
      const files = [...((r.content_attachments as Json[]) ?? []), ...((r.description_attachments as Json[]) ?? [])];
      add(
        'attachments',
        files.map((a) => ({ ...a, recording_id: r.id, recording_type: r.type, project_id: r.project_id })),
      );
    }
  }
  for (const k of Object.keys(s)) {
    s[k] = stripNul(s[k] as Json[]).sort((a, b) => (a.project_id ?? 0) - (b.project_id ?? 0) || a.id - b.id);
    if (k !== 'project_people') (s[k] as Json[]).sort((a, b) => (a.id ?? a.todoset_id) - (b.id ?? b.todoset_id));
  }
  return s;
}

describe('simulator over HTTP', () => {
  let sim: Simulator;
  let token: string;

  beforeAll(async () => {
    sim = await startSimulator();
    token = await tokenFor(sim);
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('starts fast and exposes a ready tap config', () => {
    const cfg = sim.config({ start_date: '2020-01-01' }) as Json;
    expect(cfg).toMatchObject({
      account_id: sim.accountId,
      client_id: sim.clientId,
      client_secret: sim.clientSecret,
      refresh_token: sim.refreshToken,
      api_url: sim.baseUrl,
      token_url: `${sim.baseUrl}/authorization/token`,
      user_agent: 'tap-basecamp tests (test@example.com)',
      start_date: '2020-01-01',
    });
    expect(sim.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.streamNames()).toHaveLength(47);
  });

  it('pages geared lists with Link and X-Total-Count', async () => {
    const big = await startSimulator({ records: 5000 });
    try {
      await pages(big, await tokenFor(big));
    } finally {
      await big.stop();
    }
  });
  async function pages(sim: Simulator, token: string): Promise<void> {
    const path = '/projects/recordings.json?type=Comment&sort=created_at&direction=asc';
    const first = await get(sim, path, token);
    const total = Number(first.headers.get('x-total-count'));
    expect(total).toBeGreaterThan(15 + 30 + 50 + 100);
    expect(first.body).toHaveLength(15);
    const sizes: number[] = [];
    let next: string | null = `${sim.baseUrl}/${sim.accountId}${path}`;
    let page = 0;
    const ids: number[] = [];
    while (next) {
      const res = await get(sim, next, token);
      page++;
      sizes.push((res.body as Json[]).length);
      ids.push(...(res.body as Json[]).map((x) => x.id as number));
      expect(res.headers.get('x-total-count')).toBe(String(total));
      const link = res.headers.get('link');
      if (link) {
        const m = /^<([^>]+)>; rel="next"$/.exec(link);
        expect(m).not.toBeNull();
        const u = new URL((m as RegExpExecArray)[1] as string);
        expect(u.origin).toBe(sim.baseUrl);
        expect(u.searchParams.get('type')).toBe('Comment');
        expect(u.searchParams.get('direction')).toBe('asc');
        expect(u.searchParams.get('page')).toBe(String(page + 1));
        next = u.toString();
      } else next = null;
    }
    expect(sizes.slice(0, 4)).toEqual([15, 30, 50, 100]);
    expect(sizes.slice(4, -1).every((n) => n === 100)).toBe(true);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    const beyond = await get(sim, `${path}&page=${page + 1}`, token);
    expect(beyond.status).toBe(200);
    expect(beyond.body).toEqual([]);
    expect(beyond.headers.get('link')).toBeNull();
  }

  it('honours custom page sizes', async () => {
    const small = await startSimulator({ pageSizes: [2, 3] });
    try {
      const t = await tokenFor(small);
      const sizes: number[] = [];
      for (let p = 1; p <= 4; p++) sizes.push(((await get(small, `/people.json?page=${p}`, t)).body as Json[]).length);
      expect(sizes).toEqual([2, 3, 3, 3]);
    } finally {
      await small.stop();
    }
  });

  it('answers ETag / If-None-Match with 304', async () => {
    sim.resetRequests();
    const a = await get(sim, '/projects.json', token);
    const etag = a.headers.get('etag') as string;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const b = await get(sim, '/projects.json', token, { 'If-None-Match': etag });
    expect(b.status).toBe(304);
    expect(b.body).toBeUndefined();
    const c = await get(sim, '/projects.json', token, { 'If-None-Match': '"nope"' });
    expect(c.status).toBe(200);
    expect(sim.requests.map((r) => [r.status, r.ifNoneMatch ?? false])).toEqual([
      [200, false],
      [304, true],
      [200, true],
    ]);
    expect(sim.requests[0]?.path).toBe(`/${sim.accountId}/projects.json`);
  });

  it('requires a User-Agent and a valid bearer token', async () => {
    const noUa = await fetch(`${sim.baseUrl}/${sim.accountId}/projects.json`, { headers: { Authorization: `Bearer ${token}`, 'User-Agent': '' } });
    expect(noUa.status).toBe(400);
    expect(((await noUa.json()) as Json).error).toEqual(expect.any(String));
    expect((await get(sim, '/projects.json', null)).status).toBe(401);
    expect((await get(sim, '/projects.json', 'not-a-token')).status).toBe(401);
  });

  it('answers 404 for unknown accounts, paths, ids and kinds', async () => {
    const todo = sim.expectedRecords('todos')[0] as Json;
    expect((await get(sim, `${sim.baseUrl}/123/projects.json`, token)).status).toBe(404);
    const unknown = await get(sim, '/no/such/thing.json', token);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ status: 404, error: 'Not Found' });
    expect((await get(sim, '/todos/1.json', token)).status).toBe(404);
    expect((await get(sim, `/messages/${todo.id}.json`, token)).status).toBe(404); // a to-do is not a message
    expect((await get(sim, `/buckets/1/todos/${todo.id}.json`, token)).status).toBe(404); // wrong bucket
    const ok = await get(sim, `/buckets/${todo.project_id}/todos/${todo.id}.json`, token);
    expect(ok.status).toBe(200);
    expect(ok.body.id).toBe(todo.id);
  });

  it('filters to-dos by completion and status', async () => {
    const todos = sim.expectedRecords('todos') as Json[];
    const list = todos.find((t) => t.parent.type === 'Todolist' && t.status === 'active')?.parent as Json;
    const inList = todos.filter((t) => t.parent.id === list.id);
    const ids = async (q: string) =>
      (await all(sim, withQuery(list.url as string, q).replace('.json', '/todos.json'), token)).map((x) => x.id as number).sort();
    const pick = (f: (t: Json) => boolean) =>
      inList
        .filter(f)
        .map((t) => t.id as number)
        .sort();
    expect(await ids('x=1')).toEqual(pick((t) => t.status === 'active' && !t.completed));
    expect(await ids('completed=true')).toEqual(pick((t) => t.status === 'active' && t.completed));
    expect(await ids('status=archived')).toEqual(pick((t) => t.status === 'archived'));
    expect(await ids('status=trashed')).toEqual(pick((t) => t.status === 'trashed'));
  });

  it('serves the recordings endpoint like Basecamp', async () => {
    const bad = await get(sim, '/projects/recordings.json', token);
    expect(bad.status).toBe(400);
    expect((await get(sim, '/projects/recordings.json?type=Bogus', token)).status).toBe(400);
    const projects = sim.expectedRecords('projects') as Json[];
    const archived = projects.find((p) => p.status === 'archived') as Json;
    const trashed = projects.find((p) => p.status === 'trashed') as Json;
    const activeIds = new Set(projects.filter((p) => p.status === 'active').map((p) => p.id));
    expect((await get(sim, `/projects/recordings.json?type=Todo&bucket=${archived.id}`, token)).status).toBe(404);
    expect((await get(sim, `/projects/recordings.json?type=Todo&bucket=${trashed.id}`, token)).status).toBe(404);

    // Default: active records of active projects, newest created first.
    const todos = await all(sim, '/projects/recordings.json?type=Todo', token);
    const want = (sim.expectedRecords('todos') as Json[]).filter((t) => activeIds.has(t.project_id) && t.status === 'active');
    expect(todos.map((t) => t.id).sort()).toEqual(want.map((t) => t.id).sort());
    const created = todos.map((t) => Date.parse(t.created_at as string));
    expect(created).toEqual([...created].sort((a, b) => b - a));
    // Identical rendering to /todolists/:id/todos.json.
    const fromList = await all(
      sim,
      `${(todos.find((t) => t.parent.type === 'Todolist' && !t.completed) as Json).parent.url.replace('.json', '/todos.json')}`,
      token,
    );
    const viaRecordings = new Map(todos.map((t) => [t.id, t]));
    for (const t of fromList) expect(viaRecordings.get(t.id)).toEqual(t);

    const trashedTodos = await all(sim, '/projects/recordings.json?type=Todo&status=trashed&sort=updated_at&direction=asc', token);
    expect(trashedTodos.length).toBeGreaterThan(0);
    expect(trashedTodos.every((t) => t.status === 'trashed' && activeIds.has(t.bucket.id))).toBe(true);
    const updated = trashedTodos.map((t) => Date.parse(t.updated_at as string));
    expect(updated).toEqual([...updated].sort((a, b) => a - b));

    // Todolist excludes groups (the default reading); Vault includes the dock's root vault (no parent).
    const lists = await all(sim, '/projects/recordings.json?type=Todolist', token);
    expect(lists.every((l) => 'groups_url' in l && l.parent.type === 'Todoset')).toBe(true);
    const vaults = await all(sim, '/projects/recordings.json?type=Vault', token);
    expect(vaults.some((v) => v.parent === undefined)).toBe(true);
    expect(vaults.every((v) => v.parent === undefined || v.parent.type === 'Vault')).toBe(true);

    // bucket= narrows to those projects.
    const one = [...activeIds][0] as number;
    const narrowed = await all(sim, `/projects/recordings.json?type=Comment&bucket=${one}`, token);
    expect(narrowed.length).toBeGreaterThan(0);
    expect(narrowed.every((c) => c.bucket.id === one)).toBe(true);
  });

  it('lists campfire lines oldest first by default and newest first on request', async () => {
    const chat = (await all(sim, '/chats.json', token))[0] as Json;
    const asc = await all(sim, chat.lines_url as string, token);
    const desc = await all(sim, withQuery(chat.lines_url as string, 'sort=created_at&direction=desc'), token);
    expect(asc.length).toBeGreaterThan(1);
    expect(desc.map((l) => l.id)).toEqual(asc.map((l) => l.id).reverse());
  });

  it('serves exactly what expectedRecords says a full sync emits', async () => {
    const crawled = await crawl(sim, token);
    for (const stream of sim.streamNames()) {
      const expected = sim.expectedRecords(stream);
      expect({ stream, records: crawled[stream] ?? [] }).toEqual({ stream, records: expected });
    }
  });

  it('builds an account with the documented variety', () => {
    const projects = sim.expectedRecords('projects') as Json[];
    const count = (s: string) => projects.filter((p) => p.status === s).length;
    expect(count('active')).toBeGreaterThanOrEqual(4);
    expect(count('archived')).toBeGreaterThanOrEqual(2);
    expect(count('trashed')).toBeGreaterThanOrEqual(1);
    const enabled = (p: Json, name: string) => (p.dock as Json[]).filter((d) => d.name === name && d.enabled).length;
    expect(projects.some((p) => enabled(p, 'kanban_board') === 2)).toBe(true);
    expect(projects.some((p) => enabled(p, 'todoset') === 2)).toBe(true);
    expect(projects.some((p) => (p.dock as Json[]).some((d) => !d.enabled && d.position === null))).toBe(true);
    expect(projects.some((p) => p.clients_enabled && p.clientside)).toBe(true);
    expect(projects.some((p) => p.timesheet_enabled)).toBe(true);
    // Every stream but the event feed's: a generated account has no feed history (changes record it).
    for (const stream of sim.streamNames()) if (stream !== 'events') expect(sim.expectedRecords(stream).length).toBeGreaterThan(0);
    // The recordings endpoint (and the lists taking `status`) reach every status; other lists answer active records only.
    for (const stream of ['messages', 'todos', 'todolists', 'comments', 'documents', 'uploads', 'schedule_entries', 'card_table_cards', 'question_answers']) {
      const statuses = new Set((sim.expectedRecords(stream) as Json[]).map((r) => r.status));
      expect([stream, [...statuses].sort()]).toEqual([stream, ['active', 'archived', 'trashed']]);
    }
    expect(new Set((sim.expectedRecords('campfire_lines') as Json[]).map((r) => r.status))).toEqual(new Set(['active']));
    const todos = sim.expectedRecords('todos') as Json[];
    expect(todos.some((t) => t.parent.type === 'Todoset')).toBe(true);
    expect(todos.some((t) => t.completed && t.completion)).toBe(true);
    expect((sim.expectedRecords('schedule_entries') as Json[]).some((e) => e.recurrence_schedule)).toBe(true);
    // Files embedded in the rich text of many kinds, some records with two, in archived projects too.
    const files = sim.expectedRecords('attachments') as Json[];
    expect([...new Set(files.map((a) => a.recording_type))]).toEqual(
      expect.arrayContaining(['Message', 'Comment', 'Document', 'Upload', 'Question::Answer', 'Todolist', 'Todo', 'Schedule::Entry', 'Kanban::Card']),
    );
    const perRecording = new Map<number, number>();
    for (const a of files) perRecording.set(a.recording_id, (perRecording.get(a.recording_id) ?? 0) + 1);
    expect([...perRecording.values()].some((n) => n === 2)).toBe(true);
    const archived = new Set(projects.filter((p) => p.status === 'archived').map((p) => p.id));
    expect(files.some((a) => archived.has(a.project_id))).toBe(true);
    expect((sim.expectedRecords('people') as Json[]).some((p) => p.client && p.bio === null)).toBe(true);
    const events = sim.expectedRecords('timeline_events') as Json[];
    expect(events.some((e) => e.kind === 'project_access_changed' && e.target === null)).toBe(true);
    expect(events.some((e) => e.kind.startsWith('schedule_entry') && typeof e.data?.all_day === 'boolean')).toBe(true);
    // comments_count counts the active comments of each recording.
    const active = new Map<number, number>();
    for (const c of sim.expectedRecords('comments') as Json[]) if (c.status === 'active') active.set(c.parent.id, (active.get(c.parent.id) ?? 0) + 1);
    for (const stream of ['messages', 'todos', 'documents', 'card_table_cards']) {
      for (const r of sim.expectedRecords(stream) as Json[]) expect([r.id, r.comments_count]).toEqual([r.id, active.get(r.id) ?? 0]);
    }
    const ts = (sim.expectedRecords('messages') as Json[])[0]?.created_at as string;
    expect(ts).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('serves exactly one message carrying U+0000, stripped from expectedRecords', async () => {
    const messages = await all(sim, '/projects/recordings.json?type=Message', token);
    expect(messages.filter((m) => (m.content as string).includes('\u0000'))).toHaveLength(1);
    const expected = sim.expectedRecords('messages') as Json[];
    expect(expected.some((m) => (m.content as string).includes('\u0000'))).toBe(false);
  });

  it('is deterministic per seed', async () => {
    const a = await startSimulator({ seed: 7, records: 800 });
    const b = await startSimulator({ seed: 7, records: 800 });
    const c = await startSimulator({ seed: 8, records: 800 });
    try {
      const dump = (s: Simulator) => JSON.stringify(s.streamNames().map((n) => s.expectedRecords(n))).replaceAll(s.baseUrl, 'BASE');
      expect(dump(a)).toBe(dump(b));
      expect(dump(a)).not.toBe(dump(c));
    } finally {
      await Promise.all([a.stop(), b.stop(), c.stop()]);
    }
  });

  it('spreads the records over the projects asked for', async () => {
    const [few, many] = await Promise.all([startSimulator({ records: 3000, projects: 12 }), startSimulator({ records: 3000, projects: 24 })]);
    try {
      const count = (s: Simulator) => s.expectedRecords('projects').filter((p) => !(p as { is_template?: boolean }).is_template).length;
      expect([count(few), count(many)]).toEqual([12, 24]);
      // About the same account either way: the per-project share shrinks as projects are added.
      const total = (s: Simulator) => s.streamNames().reduce((n, name) => n + s.expectedRecords(name).length, 0);
      expect(total(many) / total(few)).toBeGreaterThan(0.8);
      expect(total(many) / total(few)).toBeLessThan(1.25);
    } finally {
      await Promise.all([few.stop(), many.stop()]);
    }
  });
});

describe('readings of what the docs leave open', () => {
  it('the other reading of each switch: groups as Todolists, no root vaults, archived campfires in /chats.json', async () => {
    const other = await startSimulator({ readings: { groupsInRecordings: true, rootVaultsInRecordings: false, chatsListArchived: true } });
    try {
      const token = await tokenFor(other);
      const lists = await all(other, '/projects/recordings.json?type=Todolist', token);
      const groups = lists.filter((l) => l.parent.type === 'Todolist');
      expect(groups.length).toBeGreaterThan(0);
      expect(groups.every((g) => 'group_position_url' in g)).toBe(true);
      const vaults = await all(other, '/projects/recordings.json?type=Vault', token);
      expect(vaults.length).toBeGreaterThan(0);
      expect(vaults.every((v) => v.parent?.type === 'Vault')).toBe(true);
      const archived = new Set((other.expectedRecords('projects') as Json[]).filter((p) => p.status === 'archived').map((p) => p.id));
      const chats = await all(other, '/chats.json', token);
      expect(chats.some((c) => archived.has(c.bucket.id))).toBe(true);
    } finally {
      await other.stop();
    }
  });

  it('the Date header is the simulated clock, so it agrees with record timestamps', async () => {
    const sim = await startSimulator({ records: 200 });
    try {
      const res = await get(sim, '/projects.json', await tokenFor(sim));
      expect(Date.parse(String(res.headers.get('date')))).toBe(Math.floor(sim.now().getTime() / 1000) * 1000);
    } finally {
      await sim.stop();
    }
  });
});

describe('Launchpad', () => {
  let sim: Simulator;
  afterEach(async () => {
    await sim.stop();
  });
  const post = (s: Simulator, params: Record<string, string>, asQuery = false) =>
    asQuery
      ? fetch(`${s.tokenUrl}?${new URLSearchParams(params).toString()}`, { method: 'POST' })
      : fetch(s.tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });

  it('refreshes tokens (modern and legacy spelling, body or query)', async () => {
    sim = await startSimulator({ tokenTtlSeconds: 3600 });
    const base = { client_id: sim.clientId, client_secret: sim.clientSecret, refresh_token: sim.refreshToken };
    const a = await post(sim, { grant_type: 'refresh_token', ...base });
    expect(a.status).toBe(200);
    const body = (await a.json()) as Json;
    expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
    const b = (await (await post(sim, { type: 'refresh', ...base }, true)).json()) as Json;
    expect(b.access_token).not.toBe(body.access_token);
    expect((await get(sim, '/account.json', b.access_token as string)).status).toBe(200);
    expect((await post(sim, { grant_type: 'refresh_token', ...base, client_secret: 'wrong' })).status).toBe(401);
    expect(await (await post(sim, { grant_type: 'refresh_token', ...base, client_id: 'wrong' })).json()).toEqual({ error: 'invalid_client' });
    const badGrant = await post(sim, { grant_type: 'refresh_token', ...base, refresh_token: 'nope' });
    expect(badGrant.status).toBe(400);
    expect(await badGrant.json()).toEqual({ error: 'invalid_grant' });
    sim.revokeRefreshToken();
    expect((await post(sim, { grant_type: 'refresh_token', ...base })).status).toBe(400);
  });

  it('rotates refresh tokens while the old one keeps working', async () => {
    sim = await startSimulator({ rotateRefreshToken: true });
    const base = { grant_type: 'refresh_token', client_id: sim.clientId, client_secret: sim.clientSecret };
    const first = (await (await post(sim, { ...base, refresh_token: sim.refreshToken })).json()) as Json;
    expect(first.refresh_token).toEqual(expect.any(String));
    expect(first.refresh_token).not.toBe(sim.refreshToken);
    expect((await post(sim, { ...base, refresh_token: first.refresh_token as string })).status).toBe(200);
    expect((await post(sim, { ...base, refresh_token: sim.refreshToken })).status).toBe(200);
  });

  it('expires access tokens after tokenTtlSeconds', async () => {
    sim = await startSimulator({ tokenTtlSeconds: 1 });
    const t = await tokenFor(sim);
    expect((await get(sim, '/account.json', t)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await get(sim, '/account.json', t)).status).toBe(401);
  });

  it('runs the authorization code flow and describes the identity', async () => {
    sim = await startSimulator({
      accounts: [
        { id: 999999001, product: 'bc3', name: 'Sim' },
        { id: 5, product: 'bcx', name: 'Old' },
      ],
    });
    const redirect = 'http://127.0.0.1:1/callback';
    const auth = await fetch(`${sim.baseUrl}/authorization/new?client_id=${sim.clientId}&redirect_uri=${encodeURIComponent(redirect)}&type=web_server`, {
      redirect: 'manual',
    });
    expect(auth.status).toBe(302);
    const loc = new URL(auth.headers.get('location') as string);
    const code = loc.searchParams.get('code') as string;
    expect(`${loc.origin}${loc.pathname}`).toBe(redirect);
    const params = { client_id: sim.clientId, client_secret: sim.clientSecret, redirect_uri: redirect, code };
    const ex = await post(sim, { type: 'web_server', ...params });
    expect(ex.status).toBe(200);
    const body = (await ex.json()) as Json;
    expect(body).toMatchObject({ token_type: 'Bearer', refresh_token: sim.refreshToken });
    expect((await post(sim, { grant_type: 'authorization_code', ...params })).status).toBe(400); // codes are single-use
    const who = await fetch(`${sim.baseUrl}/authorization.json`, { headers: { Authorization: `Bearer ${body.access_token}` } });
    const id = (await who.json()) as Json;
    expect(id.identity).toMatchObject({ id: expect.any(Number), first_name: expect.any(String) });
    expect(id.accounts).toEqual([
      { product: 'bc3', id: 999999001, name: 'Sim', href: `${sim.baseUrl}/999999001`, app_href: `${sim.baseUrl}/999999001` },
      { product: 'bcx', id: 5, name: 'Old', href: `${sim.baseUrl}/5`, app_href: `${sim.baseUrl}/5` },
    ]);
    expect((await fetch(`${sim.baseUrl}/authorization.json`)).status).toBe(401);
  });
});

describe('faults, rate limit and inactive accounts', () => {
  let sim: Simulator;
  let token: string;
  const start = async (o: SimulatorOptions) => {
    sim = await startSimulator(o);
    token = await tokenFor(sim);
  };
  afterEach(async () => {
    await sim.stop();
  });

  it('answers 5xx at errorRate 1 and drops sockets at dropRate 1', async () => {
    await start({ faults: { errorRate: 1 } });
    const r = await get(sim, '/account.json', token);
    expect([500, 502, 503, 504]).toContain(r.status);
    sim.setFaults({ dropRate: 1 });
    await expect(get(sim, '/account.json', token)).rejects.toThrow();
    sim.setFaults({});
    expect((await get(sim, '/account.json', token)).status).toBe(200);
    // Launchpad is never faulted.
    sim.setFaults({ errorRate: 1, dropRate: 1 });
    expect(await tokenFor(sim)).toEqual(expect.any(String));
  });

  /** One GET over a fresh connection, read to whatever end it comes to: `complete` is false for a cut body. */
  const raw = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer; complete: boolean }>((resolve, reject) => {
      const headersOut = { 'User-Agent': UA, Authorization: `Bearer ${token}`, ...headers };
      http
        .get(`${sim.baseUrl}/${sim.accountId}${path}`, { headers: headersOut, agent: false }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', () => undefined); // 'aborted' on a cut body; `complete` says so
          res.on('close', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), complete: res.complete }));
        })
        .on('error', reject);
    });

  it('cuts 200 bodies after the headers at cutRate 1, sparing error answers, 304s and Launchpad', async () => {
    await start({ faults: { cutRate: 1 } });
    const cut = await raw('/projects.json');
    expect(cut.status).toBe(200);
    const promised = Number(cut.headers['content-length']);
    expect(cut.complete).toBe(false);
    expect(cut.body.length).toBeGreaterThan(0);
    expect(cut.body.length).toBeLessThan(promised);
    const missing = await raw('/projects/1.json');
    expect(missing).toMatchObject({ status: 404, complete: true });
    expect(JSON.parse(missing.body.toString())).toEqual({ status: 404, error: 'Not Found' });
    const unchanged = await raw('/projects.json', { 'If-None-Match': String(cut.headers.etag) });
    expect(unchanged).toMatchObject({ status: 304, complete: true });
    expect(await tokenFor(sim)).toEqual(expect.any(String));
    sim.setFaults({});
    const whole = await raw('/projects.json');
    expect(whole).toMatchObject({ status: 200, complete: true });
    expect(whole.body.length).toBe(promised);
    expect(whole.body.subarray(0, cut.body.length)).toEqual(cut.body);
  });

  it('answers 200 with a truncated, not-JSON body (and a matching Content-Length) at badJsonRate 1', async () => {
    await start({ faults: { badJsonRate: 1 } });
    const bad = await raw('/projects.json');
    expect(bad).toMatchObject({ status: 200, complete: true });
    expect(Number(bad.headers['content-length'])).toBe(bad.body.length);
    expect(() => JSON.parse(bad.body.toString())).toThrow(SyntaxError);
    sim.setFaults({});
    const whole = await raw('/projects.json');
    expect(whole.body.length).toBeGreaterThan(bad.body.length);
    expect(whole.body.subarray(0, bad.body.length)).toEqual(bad.body);
    expect(JSON.parse(whole.body.toString())).toEqual(expect.any(Array));
  });

  it('draws cut and bad-JSON answers from the seed: the same seed gives the same sequence', async () => {
    const faults = { cutRate: 0.4, badJsonRate: 0.4 };
    const outcomes = async (): Promise<string[]> => {
      const out: string[] = [];
      for (let i = 0; i < 16; i++) {
        const r = await raw('/projects.json');
        let parsed = true;
        try {
          JSON.parse(r.body.toString());
        } catch {
          parsed = false;
        }
        out.push(!r.complete ? `cut@${r.body.length}` : parsed ? 'ok' : `bad@${r.body.length}`);
      }
      return out;
    };
    await start({ seed: 11, faults });
    const first = await outcomes();
    await sim.stop();
    await start({ seed: 11, faults });
    expect(await outcomes()).toEqual(first);
    expect(first.some((o) => o.startsWith('cut@'))).toBe(true);
    expect(first.some((o) => o.startsWith('bad@'))).toBe(true);
    expect(first).toContain('ok');
  });

  it('sends scripted 429 bursts with Retry-After', async () => {
    await start({ faults: { burst429: { afterRequests: 2, count: 2, retryAfterSeconds: 3 } } });
    const statuses: number[] = [];
    let retry: string | null = null;
    for (let i = 0; i < 5; i++) {
      const r = await get(sim, '/account.json', token);
      statuses.push(r.status);
      if (r.status === 429) retry = r.headers.get('retry-after');
    }
    expect(statuses).toEqual([200, 200, 429, 429, 200]);
    expect(retry).toBe('3');
  });

  it('adds latency and slow answers', async () => {
    await start({ latencyMs: 150 });
    let t = Date.now();
    await get(sim, '/account.json', token);
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    sim.setLatency(0);
    sim.setFaults({ slowRate: 1, slowMs: 200 });
    t = Date.now();
    await get(sim, '/account.json', token);
    expect(Date.now() - t).toBeGreaterThanOrEqual(190);
  });

  it('rate-limits per sliding window, counting rejected requests too', async () => {
    await start({ rateLimit: { requests: 3, windowMs: 1500 } });
    const statuses: number[] = [];
    let retry = 0;
    for (let i = 0; i < 5; i++) {
      const r = await get(sim, '/account.json', token);
      statuses.push(r.status);
      if (r.status === 429) retry = Number(r.headers.get('retry-after'));
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 1600));
    expect((await get(sim, '/account.json', token)).status).toBe(200);
    sim.setRateLimit(null);
    for (let i = 0; i < 6; i++) expect((await get(sim, '/account.json', token)).status).toBe(200);
  });

  it('answers 404 with Reason: Account Inactive when inactive', async () => {
    await start({ inactive: true });
    const r = await get(sim, '/projects.json', token);
    expect(r.status).toBe(404);
    expect(r.headers.get('reason')).toBe('Account Inactive');
    sim.setInactive(false);
    expect((await get(sim, '/projects.json', token)).status).toBe(200);
  });
});

describe('mutations', () => {
  let sim: Simulator;
  let token: string;
  beforeEach(async () => {
    sim = await startSimulator();
    token = await tokenFor(sim);
  });
  afterEach(async () => {
    await sim.stop();
  });
  const find = (stream: string, id: number) => (sim.expectedRecords(stream) as Json[]).find((r) => r.id === id) as Json;

  it('update bumps updated_at and touches the to-do list and the project', async () => {
    expect(sim.now().toISOString()).toBe('2026-11-01T00:00:00.000Z');
    const todo = (sim.expectedRecords('todos') as Json[]).find((t) => t.parent.type === 'Todolist') as Json;
    sim.update('todos', todo.id as number);
    const now = sim.now().toISOString();
    expect(now).toBe('2026-11-01T00:00:01.000Z');
    const after = find('todos', todo.id as number);
    expect(after.updated_at).toBe(now);
    expect(after.description).not.toBe(todo.description);
    expect(find('todolists', todo.parent.id as number)?.updated_at ?? find('todolist_groups', todo.parent.id as number).updated_at).toBe(now);
    expect(find('projects', todo.project_id as number).updated_at).toBe(now);
    // The API shows the change too.
    expect((await get(sim, `/todos/${todo.id}.json`, token)).body.updated_at).toBe(now);

    // Nothing else is touched.
    const other = (sim.expectedRecords('messages') as Json[])[0] as Json;
    expect(find('messages', other.id as number).updated_at).toBe(other.updated_at);

    sim.update('todos', todo.id as number, { sameTimestamp: true });
    expect(sim.now().toISOString()).toBe(now);
    expect(find('todos', todo.id as number).updated_at).toBe(now);
    sim.advanceClock(60_000);
    expect(sim.now().toISOString()).toBe('2026-11-01T00:01:01.000Z');
  });

  it('setStatus moves a record between status lists', async () => {
    const msg = (sim.expectedRecords('messages') as Json[]).find((m) => m.status === 'active') as Json;
    const board = msg.parent.url.replace('.json', '/messages.json') as string;
    sim.setStatus('messages', msg.id as number, 'trashed');
    const activeList = await all(sim, board, token);
    expect(activeList.some((m) => m.id === msg.id)).toBe(false);
    const trashed = await all(sim, `/projects/recordings.json?type=Message&status=trashed&bucket=${msg.project_id}`, token);
    expect(trashed.find((m) => m.id === msg.id)?.updated_at).toBe(sim.now().toISOString());
    // A board's message list does not take `status`: it answers the active list.
    const ignored = await all(sim, `${board}?status=trashed`, token);
    expect(ignored.map((m) => m.id)).toEqual(activeList.map((m) => m.id));
    expect(ignored.every((m) => m.status === 'active')).toBe(true);

    const project = (sim.expectedRecords('projects') as Json[]).find((p) => p.status === 'active') as Json;
    sim.setStatus('projects', project.id as number, 'archived');
    expect((await all(sim, '/projects.json?status=archived', token)).some((p) => p.id === project.id)).toBe(true);
    expect((await get(sim, `/projects/recordings.json?type=Todo&bucket=${project.id}`, token)).status).toBe(404);
  });

  it('update works on every stream that has updated_at', () => {
    for (const stream of sim.streamNames()) {
      if (stream === 'attachments') continue; // no record of its own: it changes with the record it hangs from
      if (stream === 'timeline_events' || stream === 'events') {
        expect(() => sim.update(stream, (sim.expectedRecords(stream)[0] as Json).id as number)).toThrow();
        continue;
      }
      // A version is added (create), never edited; a hill chart moves with its lists' to-dos; a
      // recording's events are appended by changes to it, its boosts have no updated_at.
      if (['upload_versions', 'hill_charts', 'recording_events', 'boosts'].includes(stream)) {
        const first = sim.expectedRecords(stream)[0] as Json;
        expect(() => sim.update(stream, (first.id ?? first.todoset_id) as number)).toThrow();
        continue;
      }
      const rec = (sim.expectedRecords(stream) as Json[]).find((r) => r.status !== 'trashed') as Json;
      const id = (stream === 'project_people' ? rec.person_id : rec.id) as number;
      sim.update(stream, id);
      const now = sim.now().toISOString();
      const after = (sim.expectedRecords(stream) as Json[]).find((r) => r.id === id) as Json;
      expect([stream, after.updated_at]).toEqual([stream, now]);
      expect([stream, JSON.stringify({ ...after, updated_at: null })]).not.toEqual([stream, JSON.stringify({ ...rec, updated_at: null })]);
    }
    expect(() => sim.update('todos', 1)).toThrow();
  });

  it('keeps expectedRecords equal to a crawl after mutations', async () => {
    const projects = sim.expectedRecords('projects') as Json[];
    const active = projects.filter((p) => p.status === 'active');
    // Archive the project holding the first to-do set to-do: those to-dos drop out of reach.
    const loose = (sim.expectedRecords('todos') as Json[]).find((t) => t.parent.type === 'Todoset') as Json;
    sim.setStatus('projects', loose.project_id as number, 'archived');
    sim.setStatus('projects', (active.find((p) => p.id !== loose.project_id) as Json).id as number, 'trashed');
    const archived = projects.find((p) => p.status === 'archived') as Json;
    sim.setStatus('projects', archived.id as number, 'active');
    const todo = (sim.expectedRecords('todos') as Json[]).find((t) => t.status === 'active') as Json;
    sim.update('todolists', (sim.expectedRecords('todolists') as Json[])[0]?.id as number);
    sim.setStatus('todos', todo.id as number, 'archived');
    sim.create('comments', { parentId: todo.id as number });
    sim.create('card_table_steps', { parentId: ((sim.expectedRecords('card_table_cards') as Json[])[0] as Json).id as number });
    // A new file for an upload; a to-do done in a list a hill chart tracks.
    const upload = (sim.expectedRecords('uploads') as Json[])[0] as Json;
    const versionsBefore = (sim.expectedRecords('upload_versions') as Json[]).filter((v) => v.recording_id === upload.id);
    const versionId = sim.create('upload_versions', { parentId: upload.id as number });
    const versions = (sim.expectedRecords('upload_versions') as Json[]).filter((v) => v.recording_id === upload.id);
    expect(versions.map((v) => v.id).sort()).toEqual([...versionsBefore.map((v) => v.id), versionId].sort());
    expect(versions.filter((v) => v.upload?.current).map((v) => v.id)).toEqual([versionId]);
    expect((sim.expectedRecords('uploads') as Json[]).find((u) => u.id === upload.id)?.updated_at).toBe(sim.now().toISOString());
    const chart = (sim.expectedRecords('hill_charts') as Json[]).find((h) => h.dots.length > 0 && h.project_id !== loose.project_id) as Json;
    const tracked = (sim.expectedRecords('todos') as Json[]).find((t) => t.parent.id === chart.dots[0].id && !t.completed && t.status === 'active') as Json;
    sim.complete('todos', tracked.id as number);
    const after = (sim.expectedRecords('hill_charts') as Json[]).find((h) => h.todoset_id === chart.todoset_id) as Json;
    expect(after.updated_at).toBe(sim.now().toISOString());
    expect(after.dots[0].position).toBeGreaterThan(chart.dots[0].position);
    const crawled = await crawl(sim, token);
    for (const stream of sim.streamNames()) {
      expect({ stream, records: crawled[stream] ?? [] }).toEqual({ stream, records: sim.expectedRecords(stream) });
    }
  });

  it('create adds records where Basecamp would', async () => {
    const project = (sim.expectedRecords('projects') as Json[]).find(
      (p) => p.status === 'active' && (p.dock as Json[]).some((d) => d.name === 'todoset' && d.enabled),
    ) as Json;
    const before = sim.expectedRecords('todos').length;
    const id = sim.create('todos', { projectId: project.id as number });
    expect(sim.expectedRecords('todos')).toHaveLength(before + 1);
    const todo = find('todos', id);
    expect(todo.created_at).toBe(sim.now().toISOString());
    const comment = sim.create('comments', { parentId: id });
    expect(find('todos', id).comments_count).toBe(1);
    expect(find('comments', comment).parent.id).toBe(id);
    const line = sim.create('campfire_lines', { projectId: project.id as number });
    expect(find('campfire_lines', line)).toBeDefined();
    const person = sim.create('people', { projectId: project.id as number });
    expect((sim.expectedRecords('project_people') as Json[]).some((p) => p.id === person && p.project_id === project.id)).toBe(true);
    const newProject = sim.create('projects', {});
    expect(find('projects', newProject).status).toBe('active');
    const ev = sim.create('timeline_events', { projectId: project.id as number });
    expect((await all(sim, '/reports/progress.json', token))[0]?.id).toBe(ev);
  });
});

describe('cli', () => {
  it.each([
    [[] as string[], 'Basecamp 3, 4 and 5'],
    [['--bcx'], 'Basecamp 2'],
  ])('prints the connection line (%j) and serves until SIGTERM', async (extra, product) => {
    const { spawn } = await import('node:child_process');
    const path = await import('node:path');
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', path.join(__dirname, '..', '..', 'simulator', 'cli.ts'), '--records', '300', '--latency-ms', '1', ...extra],
      {
        cwd: path.join(__dirname, '..', '..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0] as string);
      });
      child.on('exit', (code) => reject(new Error(`cli exited early with ${code}`)));
    });
    const info = JSON.parse(line) as Json;
    expect(Object.keys(info).sort()).toEqual([
      'account_id',
      'api_url',
      'client_id',
      'client_secret',
      'max_requests_per_10s',
      'refresh_token',
      'token_url',
      'user_agent',
    ]);
    const res = await fetch(info.token_url as string, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: info.client_id,
        client_secret: info.client_secret,
        refresh_token: info.refresh_token,
      }),
    });
    expect(res.status).toBe(200);
    // The line is a ready tap config, as the README uses it.
    const fs = await import('node:fs');
    const os = await import('node:os');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sim-cli-')), 'sim-config.json');
    fs.writeFileSync(file, line);
    const tested = await runCommand(process.execPath, [path.join(__dirname, '..', '..', 'bin', 'tap-basecamp'), '--config', file, '--test']);
    expect(tested.code).toBe(0);
    expect(tested.stderr).toContain(`projects of ${product} account`);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
