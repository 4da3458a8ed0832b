/**
 * expectedRecords(stream) for the bcx account: exactly the records a full sync of the tap
 * writes (the spec's table). Walks the account the way the API exposes it: every project in
 * the five project lists, the contents of all but the trashed ones (topics active and
 * archived, to-do lists in every state with all their to-dos, listed documents, attachments,
 * uploads, calendar events and forwards), standalone calendars, and /events.json. Records are
 * the payloads the endpoints serve, with embedded comments (and a list's todos) removed and
 * the tap's keys added: project_id, person_id, calendar_id, commentable_id, commentable_type.
 * Groups and calendars are the list item and the show merged (the show winning), projects and
 * people their show with the url and app_url of their list items; fields Basecamp sends in two
 * types are written in one (written()).
 */
import { BCalendar, BEvent, BProject, BRec, REC_TYPE } from './model';
import { BCX_STREAMS, BcxStream } from './mutations';
import { BcxRenderer } from './render';
import { BcxStore } from './store';
import * as V from './views';

type Obj = Record<string, unknown>;

function without(o: Obj, ...keys: string[]): Obj {
  for (const k of keys) delete o[k];
  return o;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The written form of the fields Basecamp 2 sends in two types: a to-do's completed_at `false`
 * is null; a calendar event's starts_at/ends_at is a date-time (null on all-day events) beside
 * starts_on/ends_on, the day (the date, or the date-time's own day).
 */
export function written(stream: string, o: Obj): Obj {
  if (stream === 'todos' && typeof o.completed_at !== 'string') o.completed_at = null;
  if (stream === 'calendar_events') {
    for (const [at, on] of [
      ['starts_at', 'starts_on'],
      ['ends_at', 'ends_on'],
    ] as const) {
      const v = o[at] as string;
      o[on] = v.slice(0, 10);
      if (DATE_ONLY.test(v)) o[at] = null;
    }
  }
  return o;
}

/** The content rows a full sync reads, by kind. */
export type RowKind = 'message' | 'todolist' | 'todo' | 'document' | 'upload' | 'calendar_event' | 'forward';
const ROW_KINDS: readonly RowKind[] = ['message', 'todolist', 'todo', 'document', 'upload', 'calendar_event', 'forward'];

/**
 * Rows of a kind a project holds that a sync reads, where that is more than its live rows:
 * messages among its topics (active and archived), to-do lists in every state with all their
 * to-dos, and uploads as attachments reach them.
 */
const ROWS_IN_PROJECT: Partial<Record<RowKind, (p: BProject) => BRec[]>> = {
  message: (p) => [false, true].flatMap((archived) => V.topicables(p, archived)).filter((t) => t.kind === 'message'),
  todolist: (p) => p.recs.filter((l) => l.kind === 'todolist'),
  todo: (p) => p.recs.filter((l) => l.kind === 'todolist').flatMap((l) => (l.children ?? []).filter((t) => t.kind === 'todo')),
  upload: (p) =>
    V.attachments(p)
      .map((a) => a.attachable)
      .filter((u) => u.kind === 'upload'),
};

/** What a stream's records are built from. */
interface Account {
  st: BcxStore;
  r: BcxRenderer;
  /** Projects whose contents a sync reads. */
  walked: BProject[];
  rows(kind: RowKind): BRec[];
}

/** The bucket key of a row: project_id, or calendar_id for a standalone calendar's events. */
function inBucket(x: BRec): Obj {
  return x.bucket instanceof BProject ? { project_id: x.bucket.id } : { calendar_id: x.bucket.id };
}

/** A content row's stream: its show, without embedded comments, with its bucket's key, in its written form. */
function rowStream(stream: BcxStream, kind: RowKind, show: (r: BcxRenderer, x: BRec) => Obj): (a: Account) => Obj[] {
  return (a) => a.rows(kind).map((x) => written(stream, { ...without(show(a.r, x), 'comments'), ...inBucket(x) }));
}

/** A comment as written: with its commentable's id and type (and project_id in a project). */
function commentRecord(a: Account, parent: BRec, c: BRec): Obj {
  const o: Obj = a.r.comment(c);
  if (parent.bucket instanceof BProject) o.project_id = parent.bucket.id;
  o.commentable_id = parent.id;
  o.commentable_type = REC_TYPE[parent.kind];
  return o;
}

function eventRecord(r: BcxRenderer, e: BEvent): Obj {
  const o = r.event(e, 'account');
  if (!(e.bucket instanceof BCalendar)) o.project_id = e.bucket.id;
  return o;
}

/** Each stream's records, unsorted. */
const RECORDS: Record<BcxStream, (a: Account) => Obj[]> = {
  // A project's and a person's url and app_url, which only their lists carry, are written
  // every time (the tap reads them from the show's summaries where no list item gave them).
  projects: ({ st, r }) => st.projects.map((p) => ({ ...r.project(p), url: `${r.api}/projects/${p.id}.json`, app_url: `${r.app}/projects/${p.id}` })),
  people: ({ st, r }) =>
    st.people.map((p) => ({ ...r.person(p), url: `${r.api}/people/${r.personSlug(p)}.json`, app_url: `${r.app}/people/${r.personSlug(p)}` })),
  groups: ({ st, r }) => st.groups.map((g) => ({ ...r.groupItem(g), ...r.group(g) })),
  calendars: ({ st, r }) => st.calendars.map((c) => ({ ...r.calendarItem(c), ...r.calendar(c) })),
  accesses: ({ r, walked }) => walked.flatMap((p) => V.accessList(p).map((person) => ({ ...r.accessItem(person), project_id: p.id, person_id: person.id }))),
  topics: ({ r, walked }) =>
    walked.flatMap((p) => [false, true].flatMap((archived) => V.topicables(p, archived)).map((t) => ({ ...r.topic(t), project_id: p.id }))),
  attachments: ({ r, walked }) => walked.flatMap((p) => V.attachments(p).map((x) => ({ ...r.attachment(x), project_id: p.id }))),
  messages: rowStream('messages', 'message', (r, x) => r.message(x)),
  todolists: rowStream('todolists', 'todolist', (r, x) => without(r.todolist(x), 'todos')),
  todos: rowStream('todos', 'todo', (r, x) => r.todo(x)),
  documents: rowStream('documents', 'document', (r, x) => r.document(x)),
  uploads: rowStream('uploads', 'upload', (r, x) => r.upload(x)),
  calendar_events: rowStream('calendar_events', 'calendar_event', (r, x) => r.calendarEvent(x)),
  forwards: rowStream('forwards', 'forward', (r, x) => r.forward(x)),
  comments: (a) => ROW_KINDS.flatMap((kind) => a.rows(kind).flatMap((parent) => V.comments(parent).map((c) => commentRecord(a, parent, c)))),
  events: ({ st, r }) => st.events.filter((e) => st.listed(e.bucket)).map((e) => eventRecord(r, e)),
};

const byId = (a: Obj, b: Obj) => (a.id as number) - (b.id as number);
/** Records come ordered by id; accesses, which have none of their own, by project then person. */
const ORDER: Partial<Record<BcxStream, (a: Obj, b: Obj) => number>> = {
  accesses: (a, b) => (a.project_id as number) - (b.project_id as number) || (a.person_id as number) - (b.person_id as number),
};

export class BcxExpected {
  constructor(
    private st: BcxStore,
    private r: BcxRenderer,
  ) {}

  /** Projects whose contents a sync reads: all but the trashed ones. */
  private walked(): BProject[] {
    return this.st.projects.filter((p) => p.state !== 'trashed');
  }
  /** Rows of `kind` a full sync reads, each with its bucket (an upload once, however many attachments reach it). */
  rows(kind: RowKind): BRec[] {
    const inProjects = this.walked().flatMap(ROWS_IN_PROJECT[kind] ?? ((p) => V.rows(p, kind)));
    if (kind === 'upload') return [...new Set(inProjects)];
    if (kind === 'calendar_event') return [...inProjects, ...this.st.calendars.flatMap((c) => V.rows(c, 'calendar_event'))];
    return inProjects;
  }

  records(stream: string): Obj[] {
    if (!isStream(stream)) throw new Error(`simulator (bcx): unknown stream ${stream} (streams: ${BCX_STREAMS.join(', ')})`);
    const account: Account = { st: this.st, r: this.r, walked: this.walked(), rows: (kind) => this.rows(kind) };
    return RECORDS[stream](account).sort(ORDER[stream] ?? byId);
  }
}

function isStream(s: string): s is BcxStream {
  return (BCX_STREAMS as readonly string[]).includes(s);
}
