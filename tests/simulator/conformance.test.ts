/**
 * The simulator's payloads have the keys of the API documentation's examples
 * (../shared/fixtures/bc3-api, beside the repository): for every documented GET endpoint
 * the simulator serves, every key of the example is in the simulator's payload and no
 * other key is, recursively (nested objects key for key; arrays by the union of their
 * elements' keys). Values are not compared. Example ids are mapped to real ids of the
 * same kind in the generated account.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Simulator, SimulatorOptions, startSimulator } from '../../simulator';
import { EMBEDDING } from '../../simulator/expected';
import { Shape, endpointRows, shapeDiff, shapeOf } from '../helpers/shapes';
import { tokenFor } from '../helpers/simulator-http';

jest.setTimeout(60_000);

type Json = Record<string, any>;

const FIXTURES = path.join(__dirname, '..', '..', '..', 'shared', 'fixtures', 'bc3-api');
const HAVE_FIXTURES = fs.existsSync(path.join(FIXTURES, 'endpoints.tsv'));
const UA = 'simulator conformance tests (test@example.com)';

// ------------------------------------------------------------------ key shapes

/**
 * Keys the generated account legitimately cannot show (or shows where the example's record
 * happens not to): [example file, key path, missing or extra, why]. Key paths write array
 * steps as `[]`, e.g. `$[].creator`. Kept short: anything else is a difference to fix.
 */
const ALLOWED: Array<[RegExp, RegExp, 'missing' | 'extra', string]> = [
  // The example project timeline holds only project_access_changed events; events about a
  // recording carry these (as GET_reports_progress.json shows).
  [/^GET_projects_1_timeline\.json$/, /^\$\[\]\.(parent_recording_id|url|app_url|attachments)$/, 'extra', 'recording events'],
  // Schedule-entry events carry `data` (fragments/timeline_schedule_entry_data.json); no example has one.
  [/^GET_(reports_progress|projects_1_timeline)\.json$/, /^\$\[\]\.data$/, 'extra', 'schedule-entry events'],
  // The generated account models no approval responses, and the single-approval route renders
  // what the list does (list items have no responses).
  [/^GET_client_approvals_2\.json$/, /^\$\.responses$/, 'missing', 'approval responses'],
];

function allowed(file: string, where: string, kind: 'missing' | 'extra'): boolean {
  return ALLOWED.some(([f, w, k]) => k === kind && f.test(file) && w.test(where));
}

/** Differences between the example's shape and the payload's, as "missing ..." and "extra ..." lines. */
function diff(file: string, ex: Shape, got: Shape, where: string, out: string[]): void {
  shapeDiff(
    ex,
    got,
    (at, kind, parent) => {
      // A person carries `company` only when they belong to one (80 of the docs' person objects have none).
      if (parent.keys?.has('personable_type') && at.endsWith('.company')) return true;
      return allowed(file, at, kind);
    },
    where,
    out,
  );
}

// ------------------------------------------------------------------ documented endpoints

interface Row {
  path: string;
  exampleFile: string;
}

function rows(): Row[] {
  return endpointRows(FIXTURES).map((c) => ({ path: c.path as string, exampleFile: c.example_file as string }));
}

function example(file: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, 'examples', file), 'utf8'));
}

/**
 * Documented GET endpoints with an example that the simulator does not serve (the tap
 * reads none of them). A new documented endpoint must be added here or to the resolvers.
 */
const NOT_SERVED = new Set([
  '/recordings/2/events/3/boosts.json',
  '/boosts/2.json',
  '/calendars/2.json',
  '/chats/2/uploads.json',
  '/chats/1/integrations.json',
  '/chats/1/integrations/3.json',
  '/my/drafts.json',
  '/todos/open.json',
  '/todos/completed.json',
  '/todos/unassigned.json',
  '/todos/no_due_date.json',
  '/cards/open.json',
  '/cards/completed.json',
  '/cards/unassigned.json',
  '/cards/no_due_date.json',
  '/cards/not_now.json',
  '/todos/overdue.json',
  '/cards/overdue.json',
  '/messages.json',
  '/comments.json',
  '/checkins.json',
  '/forwards.json',
  '/files.json',
  '/stacks.json',
  '/stacks/2.json',
  '/reports/gauges.json',
  '/my/assignments.json',
  '/my/assignments/completed.json',
  '/my/assignments/due.json',
  '/my/bookmarks.json',
  '/recordings/2/bookmark.json',
  '/my/notes.json',
  '/my/readings.json',
  '/my/readings/bubble_ups.json',
  '/people/2/out_of_office.json',
  '/circles/people.json',
  '/my/profile.json',
  '/my/preferences.json',
  '/my/question_reminders.json',
  '/reports/todos/assigned.json',
  '/reports/todos/assigned/1.json',
  '/reports/todos/overdue.json',
  '/reports/schedules/upcoming.json',
  '/searches/metadata.json',
  '/search.json',
  '/recordings/2/subscription.json',
  '/templates/1/project_constructions/2.json',
  '/reports/users/progress/1.json',
  '/reports/timesheet.json',
  '/recordings/2/timesheet.json',
  '/projects/1/recordings/2/timesheet.json',
  '/webhooks.json',
  '/webhooks/3.json',
  '/dock/tools/2.json',
]);

/** Where a documented path is served: a path below the account (or a Launchpad URL) and its project. */
interface Target {
  path: string;
  projectId?: number;
}

/** Picks real records of the generated account (what a full sync reaches) for the docs' example ids. */
class Picker {
  private memo = new Map<string, Json[]>();
  constructor(private sim: Simulator) {}

  recs(stream: string): Json[] {
    let r = this.memo.get(stream);
    if (!r) this.memo.set(stream, (r = this.sim.expectedRecords(stream) as Json[]));
    return r;
  }
  private projects(): Map<number, Json> {
    return new Map(this.recs('projects').map((p) => [p.id as number, p]));
  }
  /** The first record of a stream that is active, in an active project, and passes `ok`. */
  one(stream: string, ok: (r: Json) => boolean = () => true): Json {
    const projects = this.projects();
    const r = this.recs(stream).find(
      (x) => (x.status ?? 'active') === 'active' && (x.project_id === undefined || projects.get(x.project_id)?.status === 'active') && ok(x),
    );
    if (!r) throw new Error(`no ${stream} record fits`);
    return r;
  }
  /** An active record of `stream` whose active children in `childStream` pass `ok`: its id and project. */
  parentOf(stream: string, childStream: string, ok: (c: Json) => boolean = () => true): Json {
    const ids = new Set(
      this.recs(childStream)
        .filter((c) => (c.status ?? 'active') === 'active' && ok(c))
        .map((c) => c.parent?.id),
    );
    return this.one(stream, (r) => ids.has(r.id));
  }
}

type Resolver = (p: Picker) => Target;
const at = (r: Json, url: (id: number) => string): Target => ({ path: url(r.id as number), projectId: r.project_id as number });

/** Documented paths (the legacy /buckets/1 prefix taken off) and how to reach them in the simulator. */
const RESOLVERS: Record<string, Resolver> = {
  'https://launchpad.37signals.com/authorization.json': () => ({ path: '/authorization.json' }),
  '/account.json': () => ({ path: '/account.json' }),
  '/projects.json': () => ({ path: '/projects.json' }),
  // The example project has no clients (so no client_company or clientside).
  '/projects/1.json': (p) => ({ path: `/projects/${p.one('projects', (x) => x.clientside === undefined).id}.json` }),
  '/people.json': () => ({ path: '/people.json' }),
  '/people/2.json': (p) => ({ path: `/people/${p.one('people', (x) => x.company !== undefined).id}.json` }),
  '/projects/1/people.json': (p) => ({ path: `/projects/${p.one('projects').id}/people.json` }),
  '/templates.json': () => ({ path: '/templates.json' }),
  '/templates/1.json': (p) => ({ path: `/templates/${p.one('templates').id}.json` }),
  '/lineup/markers.json': () => ({ path: '/lineup/markers.json' }),
  '/reports/progress.json': () => ({ path: '/reports/progress.json' }),
  '/projects/1/timeline.json': (p) => ({ path: `/projects/${p.one('projects').id}/timeline.json` }),
  '/projects/1/gauge/needles.json': (p) => ({ path: `/projects/${p.one('gauge_needles').project_id}/gauge/needles.json` }),
  '/gauge_needles/2.json': (p) => at(p.one('gauge_needles'), (id) => `/gauge_needles/${id}.json`),
  '/projects/1/gauge/needles/2.json': (p) => {
    const n = p.one('gauge_needles');
    return { path: `/projects/${n.project_id}/gauge/needles/${n.id}.json` };
  },
  '/projects/1/timesheet.json': (p) => ({ path: `/projects/${p.one('timesheet_entries').project_id}/timesheet.json` }),
  '/timesheet_entries/2.json': (p) => at(p.one('timesheet_entries'), (id) => `/timesheet_entries/${id}.json`),
  '/chats.json': () => ({ path: '/chats.json' }),
  '/chats/2.json': (p) => at(p.one('campfires'), (id) => `/chats/${id}.json`),
  '/chats/2/lines.json': (p) => at(p.parentOf('campfires', 'campfire_lines'), (id) => `/chats/${id}/lines.json`),
  '/chats/2/lines/3.json': (p) => {
    const l = p.one('campfire_lines');
    return { path: `/chats/${l.parent.id}/lines/${l.id}.json`, projectId: l.project_id };
  },
  '/message_boards/2.json': (p) => at(p.one('message_boards'), (id) => `/message_boards/${id}.json`),
  '/message_boards/3/messages.json': (p) => at(p.parentOf('message_boards', 'messages'), (id) => `/message_boards/${id}/messages.json`),
  '/messages/2.json': (p) => at(p.one('messages'), (id) => `/messages/${id}.json`),
  '/categories.json': (p) => ({ path: '/categories.json', projectId: p.one('message_types').project_id }),
  '/categories/2.json': (p) => at(p.one('message_types'), (id) => `/categories/${id}.json`),
  '/todosets/2.json': (p) => at(p.one('todosets'), (id) => `/todosets/${id}.json`),
  '/todosets/3/todolists.json': (p) => at(p.parentOf('todosets', 'todolists'), (id) => `/todosets/${id}/todolists.json`),
  '/todolists/2.json': (p) => at(p.one('todolists'), (id) => `/todolists/${id}.json`),
  '/todolists/2/groups.json': (p) => at(p.parentOf('todolists', 'todolist_groups'), (id) => `/todolists/${id}/groups.json`),
  '/todolists/3.json': (p) => at(p.one('todolist_groups'), (id) => `/todolists/${id}.json`),
  // The default list: active to-dos that are not completed.
  '/todolists/3/todos.json': (p) =>
    at(
      p.parentOf('todolists', 'todos', (t) => !t.completed),
      (id) => `/todolists/${id}/todos.json`,
    ),
  // The example is a completed to-do (it carries `completion`).
  '/todos/2.json': (p) =>
    at(
      p.one('todos', (t) => t.completed),
      (id) => `/todos/${id}.json`,
    ),
  '/schedules/2.json': (p) => at(p.one('schedules'), (id) => `/schedules/${id}.json`),
  '/schedules/3/entries.json': (p) => at(p.parentOf('schedules', 'schedule_entries'), (id) => `/schedules/${id}/entries.json`),
  // Every project's active links (the account has some in active projects).
  '/projects/recordings.json?type=Door': () => ({ path: '/projects/recordings.json?type=Door' }),
  '/schedule_entries/2.json': (p) =>
    at(
      p.one('schedule_entries', (e) => e.recurrence_schedule === undefined),
      (id) => `/schedule_entries/${id}.json`,
    ),
  // The dock's root vault (no parent), as in the example.
  '/vaults/2.json': (p) => {
    const byId = new Map(p.recs('vaults').map((v) => [v.id as number, v]));
    let v = p.one('vaults');
    while (v.parent?.type === 'Vault') v = byId.get(v.parent.id) ?? { id: v.parent.id, project_id: v.project_id };
    return at(v, (id) => `/vaults/${id}.json`);
  },
  '/vaults/2/vaults.json': (p) => at(p.parentOf('vaults', 'vaults'), (id) => `/vaults/${id}/vaults.json`),
  '/vaults/2/documents.json': (p) => at(p.parentOf('vaults', 'documents'), (id) => `/vaults/${id}/documents.json`),
  '/vaults/2/uploads.json': (p) => at(p.parentOf('vaults', 'uploads'), (id) => `/vaults/${id}/uploads.json`),
  // An upload whose every version still has its file, as the example's has.
  '/uploads/2/versions.json': (p) => {
    const removed = new Set(
      p
        .recs('upload_versions')
        .filter((v) => v.upload === undefined)
        .map((v) => v.recording_id),
    );
    return at(
      p.one('uploads', (u) => !removed.has(u.id)),
      (id) => `/uploads/${id}/versions.json`,
    );
  },
  // A chart that tracks lists, as the example's does.
  '/todosets/1/hill.json': (p) => {
    const h = p.one('hill_charts', (x) => x.dots.length > 0);
    return { path: `/todosets/${h.todoset_id}/hill.json`, projectId: h.project_id };
  },
  '/documents/2.json': (p) => at(p.one('documents'), (id) => `/documents/${id}.json`),
  '/uploads/2.json': (p) => at(p.one('uploads'), (id) => `/uploads/${id}.json`),
  '/google_documents/2.json': (p) => at(p.one('google_documents'), (id) => `/google_documents/${id}.json`),
  '/cloud_files/2.json': (p) => at(p.one('cloud_files'), (id) => `/cloud_files/${id}.json`),
  // A completed to-do: its history holds an assignment and a boostable completion, as the example's does.
  '/recordings/2/events.json': (p) =>
    at(
      p.one('todos', (t) => t.completed === true),
      (id) => `/recordings/${id}/events.json`,
    ),
  '/recordings/2/boosts.json': (p) =>
    at(
      p.one('messages', (m) => m.boosts_count > 0),
      (id) => `/recordings/${id}/boosts.json`,
    ),
  '/recordings/3/comments.json': (p) => {
    const c = p.one('comments');
    return { path: `/recordings/${c.parent.id}/comments.json`, projectId: c.project_id };
  },
  '/comments/2.json': (p) => at(p.one('comments'), (id) => `/comments/${id}.json`),
  '/questionnaires/2.json': (p) => at(p.one('questionnaires'), (id) => `/questionnaires/${id}.json`),
  '/questionnaires/2/questions.json': (p) => at(p.parentOf('questionnaires', 'questions'), (id) => `/questionnaires/${id}/questions.json`),
  '/questions/2.json': (p) => at(p.one('questions'), (id) => `/questions/${id}.json`),
  '/questions/2/answers.json': (p) => at(p.parentOf('questions', 'question_answers'), (id) => `/questions/${id}/answers.json`),
  '/question_answers/2.json': (p) => at(p.one('question_answers'), (id) => `/question_answers/${id}.json`),
  '/inboxes/2.json': (p) => at(p.one('inboxes'), (id) => `/inboxes/${id}.json`),
  '/inboxes/3/inbox_forwards.json': (p) => at(p.parentOf('inboxes', 'inbox_forwards'), (id) => `/inboxes/${id}/inbox_forwards.json`),
  '/inbox_forwards/2.json': (p) => at(p.one('inbox_forwards'), (id) => `/inbox_forwards/${id}.json`),
  '/inbox_forwards/2/replies.json': (p) => at(p.parentOf('inbox_forwards', 'inbox_replies'), (id) => `/inbox_forwards/${id}/replies.json`),
  '/inbox_forwards/2/replies/3.json': (p) => {
    const r = p.one('inbox_replies');
    return { path: `/inbox_forwards/${r.parent.id}/replies/${r.id}.json`, projectId: r.project_id };
  },
  '/client/approvals.json': (p) => ({ path: '/client/approvals.json', projectId: p.one('client_approvals').project_id }),
  '/client/approvals/2.json': (p) => at(p.one('client_approvals'), (id) => `/client/approvals/${id}.json`),
  '/client/correspondences.json': (p) => ({ path: '/client/correspondences.json', projectId: p.one('client_correspondences').project_id }),
  '/client/correspondences/2.json': (p) => at(p.one('client_correspondences'), (id) => `/client/correspondences/${id}.json`),
  '/client/recordings/2/replies.json': (p) => {
    const r = p.one('client_replies');
    return { path: `/client/recordings/${r.parent.id}/replies.json`, projectId: r.project_id };
  },
  '/client/recordings/2/replies/3.json': (p) => {
    const r = p.one('client_replies');
    return { path: `/client/recordings/${r.parent.id}/replies/${r.id}.json`, projectId: r.project_id };
  },
  '/card_tables/2.json': (p) => at(p.one('card_tables'), (id) => `/card_tables/${id}.json`),
  // The example is a Triage column.
  '/card_tables/columns/2.json': (p) =>
    at(
      p.one('card_table_columns', (c) => c.type === 'Kanban::Triage'),
      (id) => `/card_tables/columns/${id}.json`,
    ),
  // Open cards with steps, as the example's are (completed ones have completion and no position).
  '/card_tables/lists/3/cards.json': (p) =>
    at(
      p.parentOf('card_table_columns', 'card_table_cards', (c) => c.steps.length > 0 && !c.completed),
      (id) => `/card_tables/lists/${id}/cards.json`,
    ),
  '/card_tables/cards/2.json': (p) =>
    at(
      p.one('card_table_cards', (c) => c.steps.length > 0 && !c.completed),
      (id) => `/card_tables/cards/${id}.json`,
    ),
};

function flatPath(docPath: string): { flat: string; legacy: boolean } {
  const m = /^\/buckets\/1(\/.*)$/.exec(docPath);
  return m ? { flat: m[1] as string, legacy: true } : { flat: docPath, legacy: false };
}

// ------------------------------------------------------------------ HTTP

/** The whole payload: every page of a list (following Link rel="next") or the one object. */
async function fetchAll(sim: Simulator, url: string, token: string): Promise<unknown> {
  let next: string | null = url;
  let out: unknown[] | null = null;
  while (next) {
    const res = await fetch(next, { headers: { 'User-Agent': UA, Authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`${next}: HTTP ${res.status}`);
    const body = (await res.json()) as unknown;
    if (!Array.isArray(body)) return body;
    (out ??= []).push(...body);
    const m = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '');
    next = m ? (m[1] as string) : null;
  }
  return out;
}

function urlFor(sim: Simulator, docPath: string, t: Target): string {
  if (docPath.startsWith('https://launchpad')) return `${sim.baseUrl}${t.path}`;
  const { legacy } = flatPath(docPath);
  if (legacy) {
    if (t.projectId === undefined) throw new Error(`${docPath}: no project for the bucket-scoped form`);
    return `${sim.baseUrl}/${sim.accountId}/buckets/${t.projectId}${t.path}`;
  }
  return `${sim.baseUrl}/${sim.accountId}${t.path}`;
}

// ------------------------------------------------------------------ tests

/** What CHANGES.md says the card-list items gained over the older docs (the single card had them already). */
const CARD_LIST_ADDED = ['steps', 'boosts_count', 'boosts_url', 'description_attachments'];

async function withSim<T>(opts: SimulatorOptions, f: (sim: Simulator, token: string) => Promise<T>): Promise<T> {
  const sim = await startSimulator(opts);
  try {
    return await f(sim, await tokenFor(sim));
  } finally {
    await sim.stop();
  }
}

if (!HAVE_FIXTURES) {
  process.stderr.write(`conformance.test.ts: ${FIXTURES} is absent; skipping the simulator's conformance with the API docs\n`);
  describe('simulator payloads match the API docs examples', () => {
    it.skip(`skipped: ${FIXTURES} is absent (the API docs' example payloads live beside the repository)`, () => undefined);
  });
} else {
  describe('simulator payloads match the API docs examples', () => {
    let sim: Simulator;
    let token: string;
    let picker: Picker;

    beforeAll(async () => {
      sim = await startSimulator();
      token = await tokenFor(sim);
      picker = new Picker(sim);
    });
    afterAll(async () => {
      await sim.stop();
    });

    const documented = rows();
    const served = documented.filter((r) => !NOT_SERVED.has(flatPath(r.path).flat));

    it('knows every documented endpoint: served (with a resolver) or listed as not served', () => {
      const unknown = documented.map((r) => flatPath(r.path).flat).filter((p) => !NOT_SERVED.has(p) && !(p in RESOLVERS));
      expect(unknown).toEqual([]);
      expect(served.length).toBeGreaterThan(50);
    });

    it.each(served.map((r) => [r.path, r.exampleFile] as const))('GET %s has the keys of %s', async (docPath, file) => {
      const resolve = RESOLVERS[flatPath(docPath).flat] as Resolver;
      const target = resolve(picker);
      const url = urlFor(sim, docPath, target);
      const payload = await fetchAll(sim, url, token);
      const problems: string[] = [];
      diff(file, shapeOf(example(file)), shapeOf(payload), '$', problems);
      if (problems.length > 0) throw new Error(`${url} differs from ${file}:\n  ${problems.join('\n  ')}`);
    });

    it("every embedded file, in content_attachments or description_attachments, has the keys of GET_comments.json's items, in order", () => {
      const documentedKeys = Object.keys((example('GET_comments.json') as Json[]).find((c) => c.content_attachments.length > 0)!.content_attachments[0]);
      const files = EMBEDDING.flatMap((stream) =>
        (sim.expectedRecords(stream) as Json[]).flatMap((r) =>
          ['content_attachments', 'description_attachments'].flatMap((field) => ((r[field] as Json[]) ?? []).map((a) => ({ field, stream, a }))),
        ),
      );
      expect(new Set(files.map((f) => f.field))).toEqual(new Set(['content_attachments', 'description_attachments']));
      for (const { stream, field, a } of files) expect([stream, field, Object.keys(a)]).toEqual([stream, field, documentedKeys]);
    });

    it("a to-do's steps have the keys of a card's steps (both Kanban::Step; the to-do examples' steps are empty)", async () => {
      const todo = picker.one('todos', (t) => t.steps.length > 0);
      const payload = (await fetchAll(sim, `${sim.baseUrl}/${sim.accountId}/todos/${todo.id}.json`, token)) as Json;
      expect((payload.steps as Json[]).length).toBeGreaterThan(0);
      expect((payload.steps as Json[]).every((s) => s.parent?.type === 'Todo' && s.type === 'Kanban::Step')).toBe(true);
      const problems: string[] = [];
      const cardSteps = (example('GET_card_tables_cards_2.json') as Json).steps;
      diff('GET_card_tables_cards_2.json', shapeOf(cardSteps), shapeOf(payload.steps), '$.steps', problems);
      expect(problems).toEqual([]);
    });

    it('card list items match the older docs with cardListSteps: false; the single card keeps its steps', async () => {
      const target = RESOLVERS['/card_tables/lists/3/cards.json']!(picker);
      const cardId = (picker.recs('card_table_cards').find((c) => c.parent.id === Number(/lists\/(\d+)/.exec(target.path)?.[1]) && c.steps.length > 0) as Json)
        .id as number;
      await withSim({ cardListSteps: false }, async (old, oldToken) => {
        const list = (await fetchAll(old, `${old.baseUrl}/${old.accountId}${target.path}`, oldToken)) as Json[];
        const exampleKeys = [...(shapeOf(example('GET_card_tables_lists_3_cards.json')).items?.keys?.keys() ?? [])];
        const expected = exampleKeys.filter((k) => !CARD_LIST_ADDED.includes(k)).sort();
        expect(list.length).toBeGreaterThan(0);
        const keys = [...(shapeOf(list).items?.keys?.keys() ?? [])].sort();
        expect(keys).toEqual(expected);
        const card = (await fetchAll(old, `${old.baseUrl}/${old.accountId}/card_tables/cards/${cardId}.json`, oldToken)) as Json;
        expect((card.steps as Json[]).length).toBeGreaterThan(0);
        expect(Object.keys(card)).toEqual(expect.arrayContaining(CARD_LIST_ADDED));
      });
    });
  });
}

/**
 * The event feed (GET /events.json) is documented in bc-api sections/event_feed.md, whose example
 * is in the section's text, not among the fixtures: its keys are stated here from the docs. The
 * envelope is `events` and `position`, plus `next` while a walk has more; an event is the example's
 * thin pointer.
 */
const FEED_EXAMPLE_ENVELOPE = ['events', 'position'];
const FEED_EXAMPLE_EVENT = ['id', 'kind', 'action', 'created_at', 'event_type', 'bucket_id', 'creator_id', 'performed_by_id', 'recording_id'];

describe('the event feed matches the example of bc-api sections/event_feed.md', () => {
  it('GET /events.json: the envelope and each event have the example keys, and `next` only while the walk has more', () =>
    withSim({ records: 300, feed: { pageSize: 1 } }, async (sim, token) => {
      const get = async (url: string) => (await (await fetch(url, { headers: { Authorization: `Bearer ${token}`, 'User-Agent': UA } })).json()) as Json;
      const entered = await get(`${sim.baseUrl}/${sim.accountId}/events.json`);
      expect(Object.keys(entered).sort()).toEqual([...FEED_EXAMPLE_ENVELOPE].sort());
      const project = (sim.expectedRecords('projects') as Json[]).find((p) => (p.dock as Json[]).some((t) => t.name === 'message_board' && t.enabled)) as Json;
      sim.create('messages', { projectId: project.id as number });
      sim.create('messages', { projectId: project.id as number });
      const first = await get(`${sim.baseUrl}/${sim.accountId}/events.json?position=${encodeURIComponent(entered.position as string)}`);
      expect(Object.keys(first).sort()).toEqual([...FEED_EXAMPLE_ENVELOPE, 'next'].sort());
      const second = await get(first.next as string);
      expect(Object.keys(second).sort()).toEqual([...FEED_EXAMPLE_ENVELOPE].sort());
      for (const e of [...(first.events as Json[]), ...(second.events as Json[])]) expect(Object.keys(e).sort()).toEqual([...FEED_EXAMPLE_EVENT].sort());
    }));
});
