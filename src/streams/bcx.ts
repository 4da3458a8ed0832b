/**
 * Basecamp 2 ("bcx") streams over the same engine. Paths are relative to the account's API root,
 * {api_url}/{account_id}/api/v1.
 *
 * A full run walks: the five project lists -> each project's show -> its tools' lists -> each
 * record's show, whose embedded comments (and a list's to-dos) are streams of their own. An
 * incremental run ("feed run", see src/products/bcx.ts) reads /events.json from the last run's start on
 * and re-reads only what the events point at (`feedParents`), plus everything the feed cannot
 * tell: the project and people lists, accesses, groups and calendars.
 */
import { BcxStream } from '../products/bcx';
import { BCX_STREAM_NAMES, BcxStreamName } from './names';
import { EPOCH, FoundIn, Json, Parents, PathsFrom, ProjectStatus, Stream } from './stream';

/** The account-relative path of an API url that Basecamp 2 puts in a payload (…/api/v1/projects/1/todos/2.json). */
export function apiPath(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  const m = /\/api\/v1(\/[^?#]+\.json)/.exec(url);
  return m?.[1];
}

/** A trashed project yields only itself; every other one (archived, draft, template) is walked. */
function unlessTrashed(paths: (project: Json) => string[]): PathsFrom {
  return (project) => (project.trashed === true ? [] : paths(project));
}

/** The project an event concerns: its bucket when that is a project, else the eventable's url. */
export function eventProject(event: Json): number | undefined {
  if (event.bucket && typeof event.bucket === 'object') return event.bucket.type === 'Project' ? (event.bucket.id as number) : undefined;
  const m = /\/projects\/(\d+)(?:[/.]|$)/.exec(String(event.eventable?.url ?? event.url ?? ''));
  return m ? Number(m[1]) : undefined;
}

/** Feed parent: the show of an event's eventable when it is of this type. */
function eventable(...types: string[]): PathsFrom {
  return (event) => {
    const ref = event.eventable;
    if (!ref || !types.includes(ref.type)) return [];
    const path = apiPath(ref.url);
    return path ? [path] : [];
  };
}

/** Feed parent: lists of the project an event concerns (read again whole, filtered on the cursor). */
function projectLists(...tails: string[]): PathsFrom {
  return (event) => {
    const project = eventProject(event);
    return project === undefined ? [] : tails.map((t) => `/projects/${project}/${t}`);
  };
}

/** A record's own endpoint: its url when Basecamp gives one, else the project path. */
function showIn(tool: string): (listed: Json, projectId: number | undefined) => string {
  return (listed, projectId) => apiPath(listed.url) ?? `/projects/${projectId}/${tool}/${listed.id}.json`;
}

// ---- the written form of fields Basecamp 2 sends in two types --------------------------------
// A loader makes one column per field from its schema (target-postgres parses `false` as a
// date-time and a timestamp as a date otherwise), so each such field is written in one type.

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_OF = /^(\d{4}-\d{2}-\d{2})T/;

/** A date (`YYYY-MM-DD`) as written; a date-time cut to the day it names in its own offset. */
export function asDay(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return DAY_OF.exec(value)?.[1] ?? value;
}

/** completed_at is a date-time or null: Basecamp 2 sends `false` on open to-dos (`completed` says so). */
export function completedAt(value: unknown): unknown {
  return typeof value === 'string' ? value : null;
}

/**
 * A calendar event's `starts_at`/`ends_at` are a date on all-day events and a date-time
 * otherwise. Written as two fields: `<at>` the date-time (null on all-day events) and `<on>`
 * the day (Basecamp's date, or the day of its date-time in the event's own offset).
 * Idempotent: a record already split is left as it is.
 */
export function splitDay(record: Json, at: string, on: string): void {
  const value = record[at];
  if (typeof value !== 'string') return;
  record[on] = asDay(value);
  if (DAY.test(value)) record[at] = null;
}

/**
 * A project's or person's own url and app_url where no list item gave them: a show the change
 * feed names, or a project only /people/:id/projects.json lists (its items have no app_url).
 * Basecamp names a record's summaries below its own address (…/people/1-jason/events.json,
 * …/people/1-jason/events), so that address is the summary's, less its last segment.
 */
export function selfUrls(record: Json, summary: string): void {
  const s = record[summary];
  if (!s || typeof s !== 'object') return;
  const tail = `/${summary}`;
  if (record.url === undefined && typeof s.url === 'string' && s.url.endsWith(`${tail}.json`)) record.url = `${s.url.slice(0, -tail.length - 5)}.json`;
  if (record.app_url === undefined && typeof s.app_url === 'string' && s.app_url.endsWith(tail)) record.app_url = s.app_url.slice(0, -tail.length);
}

/** Sets `key` to `f(record[key])` where the record has it. */
function mapField(record: Json | undefined, key: string, f: (v: unknown) => unknown): void {
  if (record && typeof record === 'object' && key in record) record[key] = f(record[key]);
}

/**
 * The latest of a record's replication key (and `alsoKey`) and its summaries' updated_at (counts
 * of tools or activity that move without it).
 */
function withSummaries(fields: readonly string[], alsoKey?: string): (record: Json, key: string) => string | undefined {
  return (record, key) => {
    let latest = typeof record[key] === 'string' ? (record[key] as string) : undefined;
    const also = alsoKey !== undefined && typeof record[alsoKey] === 'string' ? (record[alsoKey] as string) : undefined;
    if (also !== undefined && (latest === undefined || Date.parse(also) > Date.parse(latest))) latest = also;
    for (const f of fields) {
      const at = record[f]?.updated_at;
      if (typeof at === 'string' && (latest === undefined || Date.parse(at) > Date.parse(latest))) latest = at;
    }
    return latest;
  };
}

// ---- account level -------------------------------------------------------------------------

export class BcxProjects extends BcxStream {
  readonly name = 'projects';
  readonly projectScoped = false;
  readonly replicationKey = 'updated_at' as const;
  // Only /people/me/projects.json lists trashed projects; the others overlap it, so each project is read once.
  readonly rootPaths = ['/projects.json', '/projects/archived.json', '/projects/drafts.json', '/project_templates.json', '/people/me/projects.json'];
  readonly opensProject = true;
  readonly rememberSubtrees = true;
  readonly oncePerRun = true;
  readonly show = (p: Json) => `/projects/${p.id}.json`;
  // The show's tool summaries (counts, last change) move with its contents, its updated_at
  // perhaps not: a project the feed shows activity in is read again.
  readonly feedParents: Parents = {
    events: (e) => {
      const project = eventProject(e);
      return project === undefined ? [] : [`/projects/${project}.json`];
    },
  };
  changedAt = withSummaries(['accesses', 'attachments', 'calendar_events', 'documents', 'topics', 'todolists']);
  readonly listOnly = ['url', 'app_url'];
  decorate(record: Json): void {
    selfUrls(record, 'accesses');
  }
  // Archived projects answer every tool as active ones do: no separate walk.
  projectStatus(record: Json): ProjectStatus {
    return record.trashed === true ? 'trashed' : 'active';
  }
}

export class BcxPeople extends BcxStream {
  readonly name = 'people';
  readonly projectScoped = false;
  readonly replicationKey = 'updated_at' as const;
  readonly rootPaths = ['/people.json', '/people/trashed.json'];
  // Only admins may list deleted people.
  readonly mayBeForbidden = ['/people/trashed.json'];
  readonly show = (p: Json) => apiPath(p.url) ?? `/people/${p.id}.json`;
  // The show counts a person's events and assigned to-dos: whoever the feed shows acting, and
  // the assignee of a to-do it names, is read again.
  readonly feedParents: Parents = {
    events: (e) => (typeof e.creator?.id === 'number' ? [`/people/${e.creator.id}.json`] : []),
    todos: (t) => (typeof t.assignee?.id === 'number' ? [`/people/${t.assignee.id}.json`] : []),
  };
  changedAt = withSummaries(['events', 'assigned_todos']);
  readonly listOnly = ['url', 'app_url'];
  decorate(record: Json): void {
    selfUrls(record, 'events');
  }
}

export class Groups extends BcxStream {
  readonly name = 'groups';
  readonly projectScoped = false;
  readonly rootPaths = ['/groups.json'];
  readonly show = (g: Json) => apiPath(g.url) ?? `/groups/${g.id}.json`;
  readonly listOnly = ['updated_at'];
}

export class Calendars extends BcxStream {
  readonly name = 'calendars';
  readonly projectScoped = false;
  readonly rootPaths = ['/calendars.json'];
  readonly show = (c: Json) => apiPath(c.url) ?? `/calendars/${c.id}.json`;
  readonly listOnly = ['url', 'app_url'];
}

export class Events extends BcxStream {
  readonly name = 'events';
  readonly projectScoped = false;
  readonly replicationKey = 'created_at' as const;
  readonly newestFirst = true;
  // A log: events are added at the top (and corrected in place), never taken out.
  readonly onlyGrows = true;
  // An event corrected after it was written (Basecamp 2 does so for 15 minutes, moving its
  // updated_at) is written again when the overlap reads it.
  changedAt = withSummaries([], 'updated_at');
  readonly sincePath = (since: string) => `/events.json?since=${encodeURIComponent(since)}`;
  // The account-wide feed leaves out the events of trashed projects: one walked whole (back from
  // the trash, or newly visible) has its own read from the start.
  readonly fullWalkParents: Parents = { projects: unlessTrashed((p) => [`/projects/${p.id}/events.json?since=${encodeURIComponent(EPOCH)}`]) };
  childProjectId(event: Json): number | undefined {
    return eventProject(event);
  }
  decorate(record: Json): void {
    const project = eventProject(record);
    if (project !== undefined) record.project_id = project;
  }
}

// ---- project level -------------------------------------------------------------------------

export class Accesses extends BcxStream {
  readonly name = 'accesses';
  readonly keyProperties = ['project_id', 'person_id'];
  readonly parents: Parents = { projects: unlessTrashed((p) => [`/projects/${p.id}/accesses.json`]) };
  decorate(record: Json): void {
    record.person_id = record.id;
  }
}

export class Topics extends BcxStream {
  readonly name = 'topics';
  readonly replicationKey = 'updated_at' as const;
  readonly parents: Parents = { projects: unlessTrashed((p) => [`/projects/${p.id}/topics.json`, `/projects/${p.id}/topics/archived.json`]) };
  readonly feedParents: Parents = { events: projectLists('topics.json', 'topics/archived.json') };
}

export class BcxMessages extends BcxStream {
  readonly name = 'messages';
  readonly replicationKey = 'updated_at' as const;
  readonly omit = ['comments'];
  // There is no message index: messages are the topics whose topicable is a Message.
  readonly parents: Parents = {
    topics: (t) => (t.topicable?.type === 'Message' ? [apiPath(t.topicable.url) ?? `/projects/${t.project_id}/messages/${t.topicable.id}.json`] : []),
  };
  readonly feedParents: Parents = { events: eventable('Message') };
}

export class BcxTodolists extends BcxStream {
  readonly name = 'todolists';
  readonly replicationKey = 'updated_at' as const;
  readonly omit = ['todos', 'comments'];
  readonly parents: Parents = {
    projects: unlessTrashed((p) => [
      `/projects/${p.id}/todolists.json`,
      `/projects/${p.id}/todolists/completed.json`,
      `/projects/${p.id}/todolists/trashed.json`,
    ]),
  };
  readonly show = showIn('todolists');
  // A to-do's change may touch its list (counts, updated_at): the list of a to-do the feed names is read too.
  readonly feedParents: Parents = {
    events: eventable('Todolist'),
    todos: (t) => (t.todolist_id !== undefined && t.project_id !== undefined ? [`/projects/${t.project_id}/todolists/${t.todolist_id}.json`] : []),
  };
  // A person's /assigned_todos.json form carries short to-dos: written as the to-dos stream's.
  decorate(record: Json): void {
    if (!Array.isArray(record.assigned_todos)) return;
    for (const todo of record.assigned_todos as Json[]) {
      mapField(todo, 'completed_at', completedAt);
      mapField(todo, 'due_at', asDay);
    }
  }
}

export class BcxTodos extends BcxStream {
  readonly name = 'todos';
  readonly replicationKey = 'updated_at' as const;
  readonly omit = ['comments'];
  // A list's show embeds its to-dos (short form): no list request. A show without them (the docs
  // ask big lists to be read with exclude_todos) falls back to the per-list to-do lists.
  readonly embeddedIn = [
    { stream: 'todolists' as const, field: 'todos.remaining' },
    { stream: 'todolists' as const, field: 'todos.completed' },
    { stream: 'todolists' as const, field: 'todos.trashed' },
  ];
  readonly parents: Parents = {
    todolists: (l) => {
      if (l.todos && typeof l.todos === 'object') return [];
      const base = `/projects/${l.project_id}/todolists/${l.id}/todos`;
      return [`${base}/remaining.json`, `${base}/completed.json`, `${base}/trashed.json`];
    },
  };
  readonly show = showIn('todos');
  readonly feedParents: Parents = { events: eventable('Todo') };
  decorate(record: Json): void {
    mapField(record, 'completed_at', completedAt);
    mapField(record, 'due_at', asDay);
    mapField(record, 'due_on', asDay);
  }
}

export class BcxDocuments extends BcxStream {
  readonly name = 'documents';
  readonly replicationKey = 'updated_at' as const;
  readonly omit = ['comments'];
  readonly parents: Parents = { projects: unlessTrashed((p) => [`/projects/${p.id}/documents.json`]) };
  readonly show = showIn('documents');
  readonly feedParents: Parents = { events: eventable('Document') };
}

export class Attachments extends BcxStream {
  readonly name = 'attachments';
  readonly replicationKey = 'updated_at' as const;
  readonly parents: Parents = { projects: unlessTrashed((p) => [`/projects/${p.id}/attachments.json`]) };
  readonly feedParents: Parents = { events: projectLists('attachments.json') };
}

export class BcxUploads extends BcxStream {
  readonly name = 'uploads';
  readonly replicationKey = 'updated_at' as const;
  readonly omit = ['comments'];
  // Several attachments can belong to one upload: it is read once per run.
  readonly oncePerRun = true;
  readonly parents: Parents = {
    attachments: (a) => (a.attachable?.type === 'Upload' ? [apiPath(a.attachable.url) ?? `/projects/${a.project_id}/uploads/${a.attachable.id}.json`] : []),
  };
  readonly feedParents: Parents = { events: eventable('Upload') };
}

export class CalendarEvents extends BcxStream {
  readonly name = 'calendar_events';
  readonly replicationKey = 'updated_at' as const;
  readonly omit = ['comments'];
  readonly parents: Parents = {
    projects: unlessTrashed((p) => [`/projects/${p.id}/calendar_events.json`, `/projects/${p.id}/calendar_events/past.json`]),
    calendars: (c) => [`/calendars/${c.id}/calendar_events.json`, `/calendars/${c.id}/calendar_events/past.json`],
  };
  readonly show = showIn('calendar_events');
  readonly feedParents: Parents = { events: eventable('CalendarEvent') };
  decorate(record: Json): void {
    // An event of a standalone calendar says which in its url (an id-slug: /calendars/12-board/...).
    const m = /\/calendars\/(\d+)[-/]/.exec(String(record.url ?? ''));
    if (m && record.project_id === undefined) record.calendar_id = Number(m[1]);
    splitDay(record, 'starts_at', 'starts_on');
    splitDay(record, 'ends_at', 'ends_on');
    mapField(record.recurring, 'until', asDay);
  }
}

export class Forwards extends BcxStream {
  readonly name = 'forwards';
  readonly replicationKey = 'updated_at' as const;
  readonly omit = ['comments'];
  readonly parents: Parents = { projects: unlessTrashed((p) => [`/projects/${p.id}/forwards.json`]) };
  readonly show = showIn('forwards');
  readonly feedParents: Parents = { events: eventable('Forward') };
}

/** The commentables, and the type Basecamp 2 names each by (eventable and topicable `type`). */
export const BCX_COMMENTABLE = {
  messages: 'Message',
  todolists: 'Todolist',
  todos: 'Todo',
  documents: 'Document',
  uploads: 'Upload',
  calendar_events: 'CalendarEvent',
  forwards: 'Forward',
} as const satisfies Partial<Record<BcxStreamName, string>>;

export class BcxComments extends BcxStream {
  readonly name = 'comments';
  readonly replicationKey = 'updated_at' as const;
  // No comment index: each commentable's show carries its comments.
  readonly embeddedIn = Object.keys(BCX_COMMENTABLE).map((stream) => ({ stream: stream as BcxStreamName, field: 'comments' }));
  decorate(record: Json, foundIn?: FoundIn): void {
    if (!foundIn) return;
    record.commentable_id = foundIn.record.id;
    record.commentable_type = BCX_COMMENTABLE[foundIn.stream as keyof typeof BCX_COMMENTABLE];
  }
}

/** All Basecamp 2 streams, in catalog order. */
export const BCX_STREAMS: Stream[] = [
  new BcxProjects(),
  new BcxPeople(),
  new Groups(),
  new Accesses(),
  new Topics(),
  new BcxMessages(),
  new BcxComments(),
  new BcxTodolists(),
  new BcxTodos(),
  new BcxDocuments(),
  new Attachments(),
  new BcxUploads(),
  new Calendars(),
  new CalendarEvents(),
  new Forwards(),
  new Events(),
];

if (BCX_STREAMS.map((s) => s.name).join() !== BCX_STREAM_NAMES.join()) throw new Error('src/streams/bcx: BCX_STREAMS and BCX_STREAM_NAMES disagree');
