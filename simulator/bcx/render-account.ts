/**
 * Payload builders for the Basecamp 2 account's people, groups and buckets (projects and
 * standalone calendars), key for key the docs' examples, as render.ts describes;
 * BcxRowRenderer (render-rows.ts) and BcxRenderer (render.ts) add the content rows, their comments and
 * files, and events.
 */
import { BCalendar, BcxReadings, BGroup, BPerson, BProject, Bucket } from './model';
import { CALENDAR_NAMES, DAY } from './generate';
import { edited, slug, ts } from './render-format';
import { BcxStore } from './store';
import * as V from './views';
import { hexDigest } from '../rng';
import * as T from '../text';

type Obj = Record<string, unknown>;

export class BcxAccountRenderer {
  /** `{baseUrl}/{accountId}/api/v1` */
  readonly api: string;
  /** `{baseUrl}/{accountId}` */
  readonly app: string;
  constructor(
    protected st: BcxStore,
    readonly baseUrl: string,
    readonly accountId: number,
    protected readings: BcxReadings,
  ) {
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
    o.events = {
      count: p.eventCount,
      updated_at: p.lastEvent ? ts(p.lastEvent) : null,
      url: `${this.api}/people/${s}/events.json`,
      app_url: `${this.app}/people/${s}/events`,
    };
    const todos = V.assignedOpenTodos(this.st, p);
    let last = 0;
    for (const t of todos) if (t.updated > last) last = t.updated;
    o.assigned_todos = {
      count: todos.length,
      updated_at: last ? ts(last) : null,
      url: `${this.api}/people/${s}/assigned_todos.json`,
      app_url: `${this.app}/people/${s}/assigned_todos`,
    };
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
    return {
      id: b.id,
      name: this.bucketName(b),
      type: b.bucketType,
      url: `${this.api}/${this.bucketPath(b)}.json`,
      app_url: `${this.app}/${this.bucketPath(b)}`,
    };
  }
  /** Project-scoped list items carry the bucket unless the reading says they omit it. */
  protected listBucket(o: Obj, b: Bucket, accountWide: boolean): void {
    if (accountWide || this.readings.projectListsCarryBucket) o.bucket = this.bucket(b);
  }
  private projectDescription(p: BProject): string | null {
    return p.hasDescription ? T.projectDescription(p.seed, p.rev) : null;
  }
  /** /projects.json, archived, drafts and templates items; /people/ID/projects.json items have no app_url. */
  projectItem(p: BProject, withAppUrl = true): Obj {
    const o: Obj = {
      id: p.id,
      name: this.projectName(p),
      description: this.projectDescription(p),
      updated_at: ts(p.updated),
      url: `${this.api}/projects/${p.id}.json`,
    };
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
    o.accesses = this.summary(
      people.length,
      people.reduce((m, a) => Math.max(m, a.granted), 0),
      `${base}/accesses`,
    );
    const atts = V.attachments(p);
    o.attachments = this.summary(atts.length, max(atts), `${base}/attachments`);
    const events = V.rows(p, 'calendar_event');
    o.calendar_events = this.summary(events.length, max(events), `${base}/calendar_events`);
    const docs = V.rows(p, 'document');
    o.documents = this.summary(docs.length, max(docs), `${base}/documents`);
    const topics = V.topicables(p, false);
    o.topics = this.summary(
      topics.length,
      topics.reduce((m, r) => Math.max(m, V.topicUpdated(r)), 0),
      `${base}/topics`,
    );
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
    return {
      id: c.id,
      name: this.calendarName(c),
      updated_at: ts(c.updated),
      color: c.color,
      url: `${this.api}/calendars/${s}.json`,
      app_url: `${this.app}/calendars/${s}`,
    };
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
      accesses: this.summary(
        people.length,
        people.reduce((m, a) => Math.max(m, a.granted), 0),
        `calendars/${s}/accesses`,
      ),
      calendar_events: {
        count: events.length,
        updated_at: events.length ? ts(last) : null,
        urls: { upcoming: `${this.api}/calendars/${s}/calendar_events.json`, past: `${this.api}/calendars/${s}/calendar_events/past.json` },
      },
    };
  }
}
