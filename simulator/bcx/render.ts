/**
 * Payload builders for the Basecamp 2 account, key for key (and in the key order of) the docs'
 * examples. List forms and single forms differ as the examples do: project list items have no
 * tool summaries, document list items no content, the single to-do list embeds its to-dos in
 * short form, and so on. Every url and app_url points back at the simulator:
 * `{baseUrl}/{accountId}/api/v1/...json` and `{baseUrl}/{accountId}/...`.
 */
import { BAttachment, BCalendar, BcxReadings, BEvent, BF, BGroup, BPerson, BProject, BRec, Bucket, REC_TYPE } from './model';
import { CALENDAR_NAMES, DAY, OFFSET_MS, sec } from './generate';
import { BcxStore } from './store';
import * as V from './views';
import { hash32, hexDigest, pickH } from '../rng';
import * as T from '../text';

type Obj = Record<string, unknown>;

/** `2012-03-23T13:55:43-05:00`, or with `.000` milliseconds where the docs' example of the record shows them. */
export function ts(ms: number, millis = false): string {
  const s = new Date(sec(ms) - OFFSET_MS).toISOString();
  return `${millis ? s.slice(0, 23) : s.slice(0, 19)}-05:00`;
}
/** `2012-03-23`: the local (-05:00) day. */
export function day(ms: number): string {
  return new Date(ms - OFFSET_MS).toISOString().slice(0, 10);
}
/** The slug of an id-slug (`149087659-jason-fried`). */
export function slug(name: string): string {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}
function edited(s: string, rev: number): string {
  return rev > 0 ? `${s} (edit ${rev})` : s;
}
function plain(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}
function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const FILE_TAGS = ['favorite gifs', 'reports', 'writing', 'logos', 'final ✅', 'contrats'] as const;
const LINKED = [
  ['Business ponderings', 'document', 'application/vnd.google-apps.document'],
  ['Budget 2027', 'spreadsheet', 'application/vnd.google-apps.spreadsheet'],
  ['Pitch deck', 'presentation', 'application/vnd.google-apps.presentation'],
] as const;

export class BcxRenderer {
  /** `{baseUrl}/{accountId}/api/v1` */
  readonly api: string;
  /** `{baseUrl}/{accountId}` */
  readonly app: string;
  constructor(private st: BcxStore, readonly baseUrl: string, readonly accountId: number, private readings: BcxReadings) {
    this.api = `${baseUrl}/${accountId}/api/v1`;
    this.app = `${baseUrl}/${accountId}`;
  }

  // ---------- people ----------
  personName(p: BPerson): string {
    return edited(p.name, p.rev);
  }
  personSlug(p: BPerson): string {
    const s = slug(this.personName(p));
    return s ? `${p.id}-${s}` : String(p.id);
  }
  private avatar(p: BPerson, full: boolean): string {
    return `${this.app}/global/${hexDigest(p.seed)}/${full ? 'original' : 'avatar.96'}.gif?r=3`;
  }
  /** The short form every creator takes. */
  creator(p: BPerson): Obj {
    return { id: p.id, name: this.personName(p), avatar_url: this.avatar(p, false), fullsize_avatar_url: this.avatar(p, true) };
  }
  ref(p: BPerson): Obj {
    return { id: p.id, name: this.personName(p) };
  }
  private personHead(p: BPerson, o: Obj, accessItem: boolean, withTrashed: boolean): Obj {
    o.id = p.id;
    o.identity_id = p.identityId;
    o.name = this.personName(p);
    o.email_address = p.email;
    o.admin = p.admin;
    if (accessItem) o.is_client = p.client;
    if (withTrashed) o.trashed = p.trashed;
    o.avatar_url = this.avatar(p, false);
    o.fullsize_avatar_url = this.avatar(p, true);
    o.created_at = ts(p.created);
    o.updated_at = ts(p.updated);
    return o;
  }
  /** /people.json, /people/trashed.json items. */
  personItem(p: BPerson): Obj {
    const o = this.personHead(p, {}, false, true);
    o.url = `${this.api}/people/${this.personSlug(p)}.json`;
    o.app_url = `${this.app}/people/${this.personSlug(p)}`;
    return o;
  }
  /** /projects/P/accesses.json items: the person plus is_client. */
  accessItem(p: BPerson): Obj {
    const o = this.personHead(p, {}, true, true);
    o.url = `${this.api}/people/${this.personSlug(p)}.json`;
    o.app_url = `${this.app}/people/${this.personSlug(p)}`;
    return o;
  }
  /** Group memberships: the person without trashed. */
  membership(p: BPerson): Obj {
    const o = this.personHead(p, {}, false, false);
    o.url = `${this.api}/people/${this.personSlug(p)}.json`;
    o.app_url = `${this.app}/people/${this.personSlug(p)}`;
    return o;
  }
  /** /people/ID.json: the person plus events and assigned_todos summaries. */
  person(p: BPerson): Obj {
    const o = this.personHead(p, {}, false, true);
    const s = this.personSlug(p);
    o.events = { count: p.eventCount, updated_at: p.lastEvent ? ts(p.lastEvent) : null, url: `${this.api}/people/${s}/events.json`, app_url: `${this.app}/people/${s}/events` };
    const todos = V.assignedOpenTodos(this.st, p);
    let last = 0;
    for (const t of todos) if (t.updated > last) last = t.updated;
    o.assigned_todos = { count: todos.length, updated_at: last ? ts(last) : null, url: `${this.api}/people/${s}/assigned_todos.json`, app_url: `${this.app}/people/${s}/assigned_todos` };
    return o;
  }

  // ---------- groups ----------
  private groupHead(g: BGroup): Obj {
    return { created_at: ts(g.created, true), id: g.id, name: edited(g.name, g.rev) };
  }
  groupItem(g: BGroup): Obj {
    const o = this.groupHead(g);
    o.updated_at = ts(g.updated, true);
    if (g.subgroups.length) o.subgroups = g.subgroups.map((s) => ({ ...this.groupHead(s), updated_at: ts(s.updated, true) }));
    return o;
  }
  group(g: BGroup): Obj {
    const o = this.groupHead(g);
    if (g.subgroups.length) o.subgroups = g.subgroups.map((s) => ({ ...this.groupHead(s), updated_at: ts(s.updated, true) }));
    o.memberships = g.members.filter((m) => !m.trashed).map((m) => this.membership(m));
    return o;
  }
  subgroup(g: BGroup): Obj {
    const o = this.groupHead(g);
    o.parent_id = g.parent?.id ?? null;
    o.updated_at = ts(g.updated, true);
    o.memberships = g.members.filter((m) => !m.trashed).map((m) => this.membership(m));
    return o;
  }

  // ---------- buckets ----------
  projectName(p: BProject): string {
    const n = p.kind === 'template' ? T.templateName(p.seed, p.idx) : T.projectName(p.seed, p.idx);
    return edited(n, p.rev);
  }
  calendarName(c: BCalendar): string {
    const base = CALENDAR_NAMES[c.nameIdx % CALENDAR_NAMES.length] as string;
    const n = c.nameIdx < CALENDAR_NAMES.length ? base : `${base} #${c.nameIdx}`;
    return edited(n, c.rev);
  }
  bucketName(b: Bucket): string {
    return b instanceof BProject ? this.projectName(b) : this.calendarName(b);
  }
  calendarSlug(c: BCalendar): string {
    const s = slug(this.calendarName(c));
    return s ? `${c.id}-${s}` : String(c.id);
  }
  /** Path of a bucket below the account: `projects/1` or `calendars/2-board-meetings`. */
  bucketPath(b: Bucket): string {
    return b instanceof BProject ? `projects/${b.id}` : `calendars/${this.calendarSlug(b)}`;
  }
  bucket(b: Bucket): Obj {
    return { id: b.id, name: this.bucketName(b), type: b.bucketType, url: `${this.api}/${this.bucketPath(b)}.json`, app_url: `${this.app}/${this.bucketPath(b)}` };
  }
  /** Project-scoped list items carry the bucket unless the reading says they omit it. */
  private listBucket(o: Obj, b: Bucket, accountWide: boolean): void {
    if (accountWide || this.readings.projectListsCarryBucket) o.bucket = this.bucket(b);
  }
  private projectDescription(p: BProject): string | null {
    return p.hasDescription ? T.projectDescription(p.seed, p.rev) : null;
  }
  /** /projects.json, archived, drafts and templates items; /people/ID/projects.json items have no app_url. */
  projectItem(p: BProject, withAppUrl = true): Obj {
    const o: Obj = { id: p.id, name: this.projectName(p), description: this.projectDescription(p), updated_at: ts(p.updated), url: `${this.api}/projects/${p.id}.json` };
    if (withAppUrl) o.app_url = `${this.app}/projects/${p.id}`;
    o.template = p.kind === 'template';
    o.archived = p.state === 'archived';
    o.starred = p.starred;
    o.trashed = p.state === 'trashed';
    // Templates have no draft key (GET_project_templates, GET_projects_1_2).
    if (p.kind !== 'template') o.draft = p.kind === 'draft';
    o.is_client_project = p.clientProject;
    o.color = p.color;
    return o;
  }
  private summary(count: number, updated: number, path: string): Obj {
    return { count, updated_at: count > 0 && updated ? ts(updated) : null, url: `${this.api}/${path}.json`, app_url: `${this.app}/${path}` };
  }
  /** /projects/ID.json: the project with its tool summaries. */
  project(p: BProject): Obj {
    const o: Obj = { id: p.id, name: this.projectName(p), description: this.projectDescription(p) };
    const template = p.kind === 'template';
    if (template) o.template = true;
    o.archived = p.state === 'archived';
    o.created_at = ts(p.created);
    o.updated_at = ts(p.updated);
    if (!template) o.template = false;
    o.starred = p.starred;
    o.trashed = p.state === 'trashed';
    if (!template) o.draft = p.kind === 'draft';
    o.is_client_project = p.clientProject;
    o.color = p.color;
    o.creator = this.creator(p.creator);
    const base = `projects/${p.id}`;
    const max = (xs: { updated: number }[]) => xs.reduce((m, x) => Math.max(m, x.updated), 0);
    const people = p.accesses.filter((a) => !a.person.trashed);
    o.accesses = this.summary(people.length, people.reduce((m, a) => Math.max(m, a.granted), 0), `${base}/accesses`);
    const atts = V.attachments(p);
    o.attachments = this.summary(atts.length, max(atts), `${base}/attachments`);
    const events = V.rows(p, 'calendar_event');
    o.calendar_events = this.summary(events.length, max(events), `${base}/calendar_events`);
    const docs = V.rows(p, 'document');
    o.documents = this.summary(docs.length, max(docs), `${base}/documents`);
    const topics = V.topicables(p, false);
    o.topics = this.summary(topics.length, topics.reduce((m, r) => Math.max(m, V.topicUpdated(r)), 0), `${base}/topics`);
    const lists = V.rows(p, 'todolist');
    const completed = lists.filter((l) => V.listState(l) === 'completed').length;
    o.todolists = {
      remaining_count: lists.length - completed,
      completed_count: completed,
      updated_at: lists.length ? ts(max(lists)) : null,
      url: `${this.api}/${base}/todolists.json`,
      app_url: `${this.app}/${base}/todolists`,
    };
    return o;
  }
  star(p: BProject): Obj {
    return { project_id: p.id, created_at: ts(p.created + DAY), url: `${this.api}/projects/${p.id}/star.json`, app_url: `${this.app}/projects/${p.id}/star` };
  }
  calendarItem(c: BCalendar): Obj {
    const s = this.calendarSlug(c);
    return { id: c.id, name: this.calendarName(c), updated_at: ts(c.updated), color: c.color, url: `${this.api}/calendars/${s}.json`, app_url: `${this.app}/calendars/${s}` };
  }
  calendar(c: BCalendar): Obj {
    const s = this.calendarSlug(c);
    const people = c.accesses.filter((a) => !a.person.trashed);
    const events = V.rows(c, 'calendar_event');
    const last = events.reduce((m, e) => Math.max(m, e.updated), 0);
    return {
      id: c.id,
      name: this.calendarName(c),
      created_at: ts(c.created),
      updated_at: ts(c.updated),
      color: c.color,
      creator: this.creator(c.creator),
      accesses: this.summary(people.length, people.reduce((m, a) => Math.max(m, a.granted), 0), `calendars/${s}/accesses`),
      calendar_events: {
        count: events.length,
        updated_at: events.length ? ts(last) : null,
        urls: { upcoming: `${this.api}/calendars/${s}/calendar_events.json`, past: `${this.api}/calendars/${s}/calendar_events/past.json` },
      },
    };
  }

  // ---------- rows: paths, titles, references ----------
  path(r: BRec): string {
    const b = this.bucketPath(r.bucket);
    switch (r.kind) {
      case 'message': return `${b}/messages/${r.id}`;
      case 'todolist': return `${b}/todolists/${r.id}`;
      case 'todo': return `${b}/todos/${r.id}`;
      case 'document': return `${b}/documents/${r.id}`;
      case 'upload': return `${b}/uploads/${r.id}`;
      case 'calendar_event': return `${b}/calendar_events/${r.id}`;
      case 'forward': return `${b}/forwards/${r.id}`;
      case 'comment': return `${b}/comments/${r.id}`;
    }
  }
  url(r: BRec): string {
    return `${this.api}/${this.path(r)}.json`;
  }
  appUrl(r: BRec): string {
    return `${this.app}/${this.path(r)}`;
  }
  reference(r: BRec): Obj {
    return { id: r.id, type: REC_TYPE[r.kind], url: this.url(r), app_url: this.appUrl(r) };
  }
  /** A record's title (at revision `rev`: an event names the record as it was then). */
  title(r: BRec, rev = r.rev): string {
    const s = r.seed;
    switch (r.kind) {
      case 'message': return T.subject(s, rev);
      case 'todolist': return T.listTitle(s, rev);
      case 'todo': return T.taskTitle(s, rev);
      case 'document': return T.docTitle(s, rev);
      case 'upload': return this.file(r.attachments?.[0] ?? null, s).name;
      case 'calendar_event': return T.scheduleTitle(s, rev);
      case 'forward': return T.forwardSubject(s, rev);
      case 'comment': return r.parent ? this.title(r.parent, rev) : '';
    }
  }
  commentText(c: BRec): string {
    return edited(T.sentence(c.seed, 60), c.rev);
  }
  private subscribers(r: BRec): Obj[] {
    const b = r.bucket;
    const picked: BPerson[] = [r.creator];
    const n = hash32(r.seed, 70) % 3;
    for (let i = 0; i < n && b.baseAccesses > 0; i++) {
      const m = (b.accesses[hash32(r.seed, 71 + i) % b.baseAccesses] as { person: BPerson }).person;
      if (!picked.includes(m)) picked.push(m);
    }
    for (const c of V.comments(r)) if (!picked.includes(c.creator)) picked.push(c.creator);
    return picked.map((p) => this.ref(p));
  }

  // ---------- files ----------
  private file(a: BAttachment | null, seed: number): { name: string; type: string; size: number; key: string } {
    const s = a ? a.seed : seed;
    const [name, type] = T.file(s);
    return { name, type, size: 1_000 + (hash32(s, 80) % 2_000_000), key: hexDigest(a ? a.id : seed) };
  }
  private fileUrls(a: BAttachment): { url: string; app: string; thumb: string } {
    const f = this.file(a, 0);
    const p = `projects/${a.project.id}/attachments/${a.id}/${f.key}`;
    const ext = f.type === 'image/jpeg' ? 'jpg' : f.type === 'image/gif' ? 'gif' : 'png';
    return { url: `${this.api}/${p}/original/${encodeURIComponent(f.name)}`, app: `${this.app}/${p}/original/${encodeURIComponent(f.name)}`, thumb: `${this.app}/${p}/thumbnail.${ext}` };
  }
  /** The short file form embedded in uploads and comments (no id). */
  fileForm(a: BAttachment): Obj {
    const f = this.file(a, 0);
    const u = this.fileUrls(a);
    return { key: f.key, name: f.name, byte_size: f.size, content_type: f.type, created_at: ts(a.created), url: u.url, app_url: u.app, creator: this.creator(a.creator) };
  }
  private files(r: BRec): Obj[] {
    return (r.attachments ?? []).filter((a) => !a.trashed).map((a) => this.fileForm(a));
  }
  /** /projects/P/attachments.json items and /projects/P/attachments/ID.json. */
  attachment(a: BAttachment): Obj {
    const tags = hash32(a.seed, 81) % 3 === 0 ? [] : [pickH(FILE_TAGS, a.seed, 82)];
    const head: Obj = { id: a.id };
    if (a.linked) {
      const [name, linkedType, type] = pickH(LINKED, a.seed, 83);
      Object.assign(head, {
        name, byte_size: 0, content_type: type, linked_source: 'google', linked_type: linkedType,
        link_url: `https://docs.google.com/${linkedType}/d/${hexDigest(a.id)}`,
        created_at: ts(a.created), updated_at: ts(a.updated),
      });
    } else {
      const f = this.file(a, 0);
      const u = this.fileUrls(a);
      Object.assign(head, {
        key: f.key, name: f.name, byte_size: f.size, content_type: f.type, created_at: ts(a.created), updated_at: ts(a.updated),
        url: u.url, app_url: u.app, thumbnail_url: u.thumb,
      });
    }
    head.private = V.isPrivate(a.attachable);
    head.trashed = a.trashed || a.attachable.trashed;
    head.tags = tags;
    head.creator = this.creator(a.creator);
    head.attachable = this.reference(a.attachable);
    return head;
  }

  // ---------- comments ----------
  comment(c: BRec): Obj {
    return { id: c.id, content: this.commentText(c), created_at: ts(c.created), updated_at: ts(c.updated), attachments: this.files(c), creator: this.creator(c.creator) };
  }
  private comments(r: BRec): Obj[] {
    return V.comments(r).map((c) => this.comment(c));
  }

  // ---------- topics ----------
  topic(r: BRec, accountWide = false): Obj {
    const last = V.latestComment(r);
    const excerpt = last ? this.commentText(last) : r.kind === 'message' ? plain(T.richText(r.seed, r.rev)) : this.title(r);
    const o: Obj = {
      id: r.topicId,
      title: this.title(r),
      excerpt: excerpt.length > 100 ? `${excerpt.slice(0, 99)}…` : excerpt,
      created_at: ts(r.created),
      updated_at: ts(V.topicUpdated(r)),
      attachments: V.topicAttachments(r),
      private: V.isPrivate(r),
      trashed: r.trashed,
      last_updater: this.ref(last ? last.creator : (r.who ?? r.creator)),
      topicable: this.reference(r),
    };
    this.listBucket(o, r.bucket, accountWide);
    return o;
  }

  // ---------- messages ----------
  message(m: BRec): Obj {
    return {
      id: m.id, subject: this.title(m), created_at: ts(m.created), updated_at: ts(m.updated), content: T.richText(m.seed, m.rev),
      private: V.isPrivate(m), trashed: m.trashed, creator: this.creator(m.creator), comments: this.comments(m), subscribers: this.subscribers(m),
    };
  }

  // ---------- to-do lists and to-dos ----------
  private listDescription(l: BRec): string {
    return hash32(l.seed, 90) % 4 === 0 ? '' : edited(T.sentence(l.seed, 91), l.rev);
  }
  private listHead(l: BRec, withUrls: boolean): Obj {
    const c = V.listCounts(l);
    const o: Obj = { id: l.id, name: this.title(l), description: this.listDescription(l), created_at: ts(l.created), updated_at: ts(l.updated) };
    if (withUrls) {
      o.url = this.url(l);
      o.app_url = this.appUrl(l);
    }
    Object.assign(o, {
      completed: V.listState(l) === 'completed', position: l.pos, private: V.isPrivate(l), trashed: l.trashed,
      completed_count: c.completed, remaining_count: c.remaining, creator: this.creator(l.creator),
    });
    return o;
  }
  /** /projects/P/todolists.json (and completed, trashed) items. */
  todolistItem(l: BRec, accountWide = false): Obj {
    const o = this.listHead(l, true);
    this.listBucket(o, l.bucket, accountWide);
    return o;
  }
  /** /people/ID/assigned_todos.json items. */
  assignedList(l: BRec, todos: BRec[]): Obj {
    const o = this.listHead(l, true);
    o.assigned_todos = todos.map((t) => ({
      id: t.id, content: this.title(t), due_at: t.t2 ? day(t.t2) : null, comments_count: t.live('comment').length,
      created_at: ts(t.created), updated_at: ts(t.updated), url: this.url(t), app_url: this.appUrl(t), position: t.pos,
    }));
    o.bucket = this.bucket(l.bucket);
    return o;
  }
  /** /projects/P/todolists/ID.json: to-dos in short form (unless excluded), comments, subscribers. */
  todolist(l: BRec, embedTodos = this.readings.listShowEmbedsTodos): Obj {
    const o = this.listHead(l, false);
    if (embedTodos) {
      const t = V.listTodos(l);
      o.todos = { remaining: t.remaining.map((x) => this.todoShort(x)), completed: t.completed.map((x) => this.todoShort(x)), trashed: t.trashed.map((x) => this.todoShort(x)) };
    }
    o.comments = this.comments(l);
    o.subscribers = this.subscribers(l);
    return o;
  }
  private assignee(t: BRec): Obj {
    return t.who ? { id: t.who.id, type: 'Person', name: this.personName(t.who) } : {};
  }
  /** The short to-do form inside a list: completed (and trashed completed) ones carry completed_at and completer. */
  todoShort(t: BRec): Obj {
    const head: Obj = { id: t.id, content: this.title(t), due_at: t.t2 ? day(t.t2) : null, comments_count: t.live('comment').length, created_at: ts(t.created), updated_at: ts(t.updated) };
    if (!t.has(BF.completed)) {
      return Object.assign(head, { assignee: this.assignee(t), position: t.pos, url: this.url(t), app_url: this.appUrl(t) });
    }
    return Object.assign(head, {
      completed_at: ts(t.t1), url: this.url(t), app_url: this.appUrl(t), assignee: this.assignee(t), position: t.pos,
      completer: this.ref(t.completer ?? t.creator),
    });
  }
  private todoHead(t: BRec): Obj {
    const done = t.has(BF.completed);
    const due = t.t2 ? day(t.t2) : null;
    return {
      id: t.id, todolist_id: t.parent?.id ?? null, position: t.pos, content: this.title(t), due_at: due, due_on: due,
      created_at: ts(t.created), updated_at: ts(t.updated), completed_at: done ? ts(t.t1) : false,
      comments_count: t.live('comment').length, private: V.isPrivate(t), trashed: t.trashed, creator: this.creator(t.creator),
      assignee: this.assignee(t), completed: done, url: this.url(t), app_url: this.appUrl(t),
    };
  }
  /** /projects/P/todos.json and the list's to-do lists: the full form with its list embedded. */
  todoItem(t: BRec): Obj {
    const o = this.todoHead(t);
    const l = t.parent as BRec;
    const c = V.listCounts(l);
    o.todolist = {
      completed: V.listState(l) === 'completed', completed_count: c.completed, created_at: ts(l.created), creator: this.creator(l.creator),
      description: this.listDescription(l), id: l.id, name: this.title(l), position: l.pos, private: V.isPrivate(l),
      remaining_count: c.remaining, trashed: l.trashed, url: this.url(l), app_url: this.appUrl(l),
    };
    return o;
  }
  /** /projects/P/todos/ID.json: attachments, comments (as the issue says they are embedded) and subscribers. */
  todo(t: BRec): Obj {
    const o = this.todoHead(t);
    o.attachments = this.files(t);
    o.comments = this.comments(t);
    o.subscribers = this.subscribers(t);
    return o;
  }

  // ---------- documents, uploads, forwards ----------
  documentItem(d: BRec, accountWide = false): Obj {
    const o: Obj = { id: d.id, title: this.title(d), created_at: ts(d.created), updated_at: ts(d.updated), url: this.url(d), app_url: this.appUrl(d), private: V.isPrivate(d), trashed: d.trashed };
    if (accountWide || this.readings.projectListsCarryBucket) {
      const b = this.bucket(d.bucket);
      o.bucket = { type: b.type, id: b.id, name: b.name, color: d.bucket instanceof BProject ? d.bucket.color : '3185c5', url: b.url, app_url: b.app_url };
    }
    return o;
  }
  document(d: BRec): Obj {
    return {
      id: d.id, title: this.title(d), content: T.richText(d.seed, d.rev), created_at: ts(d.created), updated_at: ts(d.updated),
      private: V.isPrivate(d), trashed: d.trashed, last_updater: this.ref(d.who ?? d.creator), creator: this.creator(d.creator),
      comments: this.comments(d), subscribers: this.subscribers(d),
    };
  }
  upload(u: BRec): Obj {
    return {
      id: u.id, created_at: ts(u.created), updated_at: ts(u.updated), content: edited(T.sentence(u.seed, 92), u.rev), trashed: u.trashed,
      attachments: this.files(u), comments: this.comments(u), subscribers: this.subscribers(u),
    };
  }
  private forwardFrom(f: BRec): string | null {
    if (hash32(f.seed, 93) % 4 === 0) return null;
    const name = T.personName(hash32(f.seed, 94));
    const local = slug(name).replace(/-/g, '.');
    return `${name} (${local}@example.net)`;
  }
  forwardItem(f: BRec, accountWide = false): Obj {
    const o: Obj = {
      id: f.id, subject: this.title(f), from: this.forwardFrom(f), created_at: ts(f.created, true), updated_at: ts(f.updated, true),
      private: V.isPrivate(f), trashed: f.trashed, url: this.url(f), app_url: this.appUrl(f),
    };
    this.listBucket(o, f.bucket, accountWide);
    return o;
  }
  forward(f: BRec): Obj {
    const text = edited(T.sentence(f.seed, 95), f.rev);
    const n = hash32(f.seed, 96) % 3;
    const attachments: Obj[] = [];
    for (let i = 0; i < n; i++) {
      const s = hash32(f.seed, 97 + i);
      const [name, type] = T.file(s);
      const key = hexDigest(s);
      attachments.push({
        key, name, byte_size: 1_000 + (s % 900_000), content_type: type, created_at: ts(f.created),
        url: `${this.api}/projects/${f.bucket.id}/attachments/${1_000_000 + (s % 9_000_000)}/${key}/original/${encodeURIComponent(name)}`,
        creator: this.creator(f.creator),
      });
    }
    const b = this.bucket(f.bucket);
    return {
      id: f.id, subject: this.title(f), from: this.forwardFrom(f), created_at: ts(f.created, true), updated_at: ts(f.updated, true),
      private: V.isPrivate(f), trashed: f.trashed, content: text,
      content_html: `<html><body><h1>${escapeHtml(this.title(f))}</h1><p>${escapeHtml(text)}</p></body></html>`,
      creator: this.creator(f.creator), attachments, comments: this.comments(f), subscribers: this.subscribers(f),
      bucket: { id: b.id, name: b.name, type: b.type, url: b.url },
    };
  }

  // ---------- calendar events ----------
  private when(e: BRec, start: number): { starts_at: string; ends_at: string } {
    const end = start + (e.t2 - e.t1);
    return e.has(BF.allDay) ? { starts_at: day(start), ends_at: day(end) } : { starts_at: ts(start), ends_at: ts(end) };
  }
  private recurring(e: BRec): Obj | null {
    const rr = e.recurring;
    return rr ? { frequency: rr.frequency, count: rr.count, until: rr.until ? day(rr.until) : null, excluding: [...rr.excluding] } : null;
  }
  private eventDescription(e: BRec): string {
    return hash32(e.seed, 98) % 3 === 0 ? '' : edited(T.sentence(e.seed, 99), e.rev);
  }
  private eventHead(e: BRec, withCount: boolean): Obj {
    const ms = e.recurring !== null; // the docs' recurring examples carry milliseconds
    const o: Obj = { id: e.id, summary: this.title(e), description: this.eventDescription(e), created_at: ts(e.created, ms), updated_at: ts(e.updated, ms), all_day: e.has(BF.allDay), ...this.when(e, e.t1) };
    if (withCount) o.comments_count = e.live('comment').length;
    o.private = V.isPrivate(e);
    o.trashed = e.trashed;
    o.creator = this.creator(e.creator);
    const rr = this.recurring(e);
    if (rr) o.recurring = rr;
    o.url = this.url(e);
    o.app_url = this.appUrl(e);
    return o;
  }
  calendarEventItem(e: BRec): Obj {
    return this.eventHead(e, true);
  }
  calendarEvent(e: BRec): Obj {
    const o = this.eventHead(e, false);
    o.comments = this.comments(e);
    o.subscribers = this.subscribers(e);
    return o;
  }
  /** An expanded recurrence inside a start_date window: no id, url or timestamps; a pointer to its master. */
  recurrence(e: BRec, n: number, start: number): Obj {
    return {
      summary: this.title(e), description: this.eventDescription(e), all_day: e.has(BF.allDay), ...this.when(e, start),
      comments_count: e.live('comment').length, private: V.isPrivate(e), trashed: e.trashed, creator: this.creator(e.creator),
      recurrence: { number: n, master: { id: e.id, url: this.url(e), app_url: this.appUrl(e) } },
    };
  }

  // ---------- events ----------
  private verb(e: BEvent): string {
    const r = e.eventable;
    if (!r) {
      if (e.action === 'project_update') return e.bucket instanceof BCalendar ? 'edited the calendar' : 'edited the project';
      return e.state === 'archived' ? 'archived the project' : e.state === 'trashed' ? 'deleted the project' : 'activated the project';
    }
    if (e.action === 'comment') return 'commented on';
    if (e.action === 'edit_comment') return 'edited a comment on';
    if (e.action === 'trash' && e.comment) return 'deleted a comment on';
    const noun: Record<string, string> = {
      message: 'a message', todolist: 'a to-do list', todo: 'a to-do', document: 'a document', upload: 'a file',
      calendar_event: 'an event', forward: 'a forward', comment: 'a comment',
    };
    const what = noun[r.kind] as string;
    switch (e.action) {
      case 'create':
        return r.kind === 'message' ? 'posted a message' : r.kind === 'upload' ? 'uploaded a file' : r.kind === 'todo' ? 'added a to-do'
          : r.kind === 'calendar_event' ? 'added an event' : r.kind === 'forward' ? 'forwarded an email' : `created ${what}`;
      case 'complete': return 'completed a to-do';
      case 'trash': return `deleted ${what}`;
      default: return `edited ${what}`;
    }
  }
  /** /events.json items (accountWide: with bucket), /projects/P/events.json (no bucket), /people/ID/events.json (no creator, with bucket). */
  event(e: BEvent, form: 'account' | 'project' | 'person' = 'account'): Obj {
    const r = e.eventable;
    const p = e.bucket;
    const target = r ? this.title(r, e.rev) : this.bucketName(p);
    const verb = this.verb(e);
    const isComment = e.comment !== null && e.action !== 'trash';
    const ref = r ? this.reference(r) : { id: p.id, type: p.bucketType, url: `${this.api}/${this.bucketPath(p)}.json`, app_url: `${this.app}/${this.bucketPath(p)}` };
    const o: Obj = {
      id: e.id, created_at: ts(e.created), updated_at: ts(e.created), private: r ? V.isPrivate(r) : false,
      action: isComment ? verb : `${verb}<span>:</span>`, target, eventable: ref,
    };
    if (form !== 'person') o.creator = this.creator(e.creator);
    if (isComment && e.comment) {
      const text = escapeHtml(this.commentText(e.comment));
      o.attachments = this.files(e.comment);
      o.excerpt = text;
      o.raw_excerpt = text;
    }
    o.summary = isComment ? `${verb} ${target}` : `${verb}<span>:</span> ${target}`;
    o.url = ref.url;
    o.html_url = ref.app_url;
    if (form !== 'project') o.bucket = this.bucket(p);
    return o;
  }
}
