/**
 * Payload builders: turn compact rows into the JSON objects Basecamp sends, with the
 * keys in the order of the documented examples. Every endpoint that shows a record
 * uses the same builder, so a record renders identically wherever it appears.
 */
import { Category, F, Kind, Marker, Person, Project, Rec, TimelineEvent } from './model';
import { boostCount } from './history';
import { POST_BODIES } from './render-posts';
import { TOOL_BODIES } from './render-tools';
import { embeddedFiles, active, b64, countActive, DAY, excerpt, iso, isoDate, Obj, sgid } from './render-util';
import { recordingPath, recordingTitle, recordingType } from './render-names';
import { WORK_BODIES } from './render-work';
import { hash32, hexDigest, pickH } from './rng';
import { ID_BASE, Store } from './store';
import * as T from './text';

export { iso, isoDate } from './render-util';

export interface RenderOptions {
  /**
   * Card-list items (GET /card_tables/lists/:id/cards.json) carry steps, boosts and
   * description_attachments, as in the newest docs (default). false renders them as the older
   * docs showed them, without those keys; the single card always carries them.
   */
  cardListSteps?: boolean;
}

/**
 * What follows a recording's head in its payload, per kind (render-tools, -posts, -work).
 * @param olderListItem a card-list item as the older docs showed it: no steps, boosts or description_attachments.
 */
export type RecordingBody = (x: Renderer, o: Obj, r: Rec, olderListItem: boolean) => void;

const BODIES: Record<Kind, RecordingBody> = { ...TOOL_BODIES, ...POST_BODIES, ...WORK_BODIES };

/** Objects reused across payloads (people, bucket stubs): expected.ts copies them once per call. */
export const SHARED = new WeakSet<object>();

/** Stands in for a person inside a payload until expand() splices in its cached JSON. */
const PERSON_REF = /"\\u0001P(\d+)"/g;

export class Renderer {
  /** `${baseUrl}/${accountId}`: every url, app_url and bookmark_url points back at the simulator. */
  readonly base: string;
  private cardListSteps: boolean;
  /**
   * @param personRefs render people as placeholders (see expand()). The HTTP side uses this:
   * people are embedded in nearly every payload, and splicing in their JSON text once
   * rendered halves the cost of serialising a page.
   */
  constructor(
    readonly st: Store,
    readonly baseUrl: string,
    readonly accountId: number,
    private personRefs = false,
    opts: RenderOptions = {},
  ) {
    this.base = `${baseUrl}/${accountId}`;
    this.cardListSteps = opts.cardListSteps ?? true;
  }

  /** Replace person placeholders in serialised JSON with the people's JSON. */
  expand(json: string): string {
    if (!this.personRefs) return json;
    return json.replace(PERSON_REF, (_m, id: string) => {
      const p = this.st.person(Number(id));
      if (!p) return 'null';
      return (p.json ??= JSON.stringify(this.personObj(p)));
    });
  }

  // ---------- shared pieces (the per-kind bodies build with them too) ----------
  person(p: Person): Obj | string {
    return this.personRefs ? `\u0001P${p.id}` : this.personObj(p);
  }
  personObj(p: Person): Obj {
    if (p.cache) return p.cache as Obj;
    const user = p.personableType === 'User';
    const o: Obj = {
      id: p.id,
      attachable_sgid: sgid('Person', p.id, 'attachable'),
      name: p.name,
      personable_type: p.personableType,
      title: p.hasTitle ? T.jobTitle(p.seed, p.rev) : null,
      tagline: hash32(p.seed, 97) % 3 === 0 ? null : T.tagline(p.seed),
      location: p.hasLocation ? T.location(p.seed) : null,
      created_at: iso(p.created),
      updated_at: iso(p.updated),
      email_address: p.email,
      bio: p.hasBio ? T.bio(p.seed) : null,
      admin: p.admin,
      owner: p.owner,
      client: p.personableType === 'Client',
      employee: p.employee,
      time_zone: p.timeZone,
      avatar_url: `${this.base}/people/${b64(`${p.id}`)}--${hexDigest(p.id + 7)}/avatar${hash32(p.seed, 99) % 3 === 0 ? '?v=1' : ''}`,
    };
    if (p.company) o.company = { id: p.company.id, name: p.company.name };
    o.can_ping = p.personableType !== 'DummyUser' || true;
    o.can_manage_projects = user;
    o.can_manage_people = user;
    o.can_access_timesheet = user && hash32(p.seed, 98) % 5 !== 0;
    o.can_access_hill_charts = user;
    p.cache = o;
    SHARED.add(o);
    return o;
  }
  private bucket(p: Project): Obj {
    SHARED.add(p.bucketStub);
    return p.bucketStub;
  }
  /** API path of a recording below the account, without ".json". */
  path(r: Rec): string {
    return recordingPath(r);
  }
  url(r: Rec): string {
    return `${this.base}/${this.path(r)}.json`;
  }
  appUrl(r: Rec): string {
    const b = `${this.base}/buckets/${r.project.id}`;
    switch (r.kind) {
      case 'comment':
      case 'inbox_reply':
      case 'client_reply':
      case 'step':
        return `${r.parent ? this.appUrl(r.parent) : b}#__recording_${r.id}`;
      case 'line':
        return `${b}/chats/${r.parent?.id}@${r.id}`;
      case 'client_board':
        return `${b}/client/board.${r.id}`;
      default:
        return `${this.base}/${this.path(r)}`;
    }
  }
  type(r: Rec): string {
    return recordingType(r);
  }
  /** Title as shown in the record and in its children's parent stubs. */
  title(r: Rec): string {
    return recordingTitle(r);
  }
  parentStub(r: Rec): Obj {
    if (r.kind === 'gauge') {
      return { id: r.id, title: this.title(r), type: 'Gauge', url: this.url(r), app_url: this.appUrl(r) };
    }
    return { id: r.id, title: this.title(r), type: this.type(r), url: this.url(r), app_url: this.appUrl(r) };
  }
  private head(r: Rec): Obj {
    return {
      id: r.id,
      status: r.status,
      visible_to_clients: r.has(F.visibleToClients),
      created_at: iso(r.created),
      updated_at: iso(r.updated),
      title: this.title(r),
      inherits_status: true,
      type: this.type(r),
      url: this.url(r),
      app_url: this.appUrl(r),
      bookmark_url: `${this.base}/my/bookmarks/${sgid('Recording', r.id, 'readable')}.json`,
    };
  }
  rurl(r: Rec, what: string): string {
    return `${this.base}/buckets/${r.project.id}/recordings/${r.id}/${what}`;
  }
  subscription(o: Obj, r: Rec): void {
    o.subscription_url = this.rurl(r, 'subscription.json');
  }
  comments(o: Obj, r: Rec): void {
    o.comments_count = countActive(r.children, 'comment');
    o.comments_url = this.rurl(r, 'comments.json');
  }
  boosts(o: Obj, r: Rec): void {
    o.boosts_count = boostCount(r);
    o.boosts_url = this.rurl(r, 'boosts.json');
  }
  tail(o: Obj, r: Rec): void {
    if (r.parent) o.parent = this.parentStub(r.parent);
    o.bucket = this.bucket(r.project);
    o.creator = this.person(r.creator);
  }
  /** Members drawn from the project's original members (stable under later joins and removals). */
  people(r: Rec, salt: number, max: number, first?: Person): unknown[] {
    const p = r.project;
    const n = hash32(r.seed, salt) % (max + 1);
    const picked: Person[] = first ? [first] : [];
    for (let i = 0; i < n && p.roster.length > 0; i++) {
      const m = p.roster[hash32(r.seed, salt + 1 + i) % p.roster.length] as Person;
      if (!picked.includes(m)) picked.push(m);
    }
    return picked.map((m) => this.person(m));
  }
  /** The files a recording's rich text embeds (see embeddedFiles). */
  files(r: Rec): Obj[] {
    return embeddedFiles(r.seed, r.id - ID_BASE.recording, this.base);
  }
  /** Rich text with its embedded files (if any) as <bc-attachment>s, and the matching attachments array. */
  richContent(o: Obj, r: Rec, html: string): void {
    const files = this.files(r);
    o.content = html + files.map(T.attachmentTag).join('');
    o.content_attachments = files;
  }
  /** A description the same way: an empty one embeds nothing. */
  richDescription(o: Obj, r: Rec, html: string): void {
    const files = html === '' ? [] : this.files(r);
    o.description = html + files.map(T.attachmentTag).join('');
    o.description_attachments = files;
  }
  richOrEmpty(r: Rec, salt: number, rev: number): string {
    return hash32(r.seed, salt) % 3 === 0 && rev === 0 ? '' : T.richText(r.seed + salt, rev);
  }
  dueOn(r: Rec): string | null {
    return r.has(F.hasDue) ? isoDate(r.created + (1 + (hash32(r.seed, 50) % 45)) * DAY) : null;
  }
  ratio(r: Rec): [number, number] {
    let done = 0;
    let total = 0;
    const walk = (x: Rec) => {
      if (!x.children) return;
      for (const c of x.children) {
        if (c.status !== 'active') continue;
        if (c.kind === 'todo') {
          total++;
          if (c.has(F.completed)) done++;
        } else if (c.kind === 'group' || (c.kind === 'todolist' && x.kind === 'todoset')) walk(c);
      }
    };
    walk(r);
    return [done, total];
  }

  // ---------- recordings ----------
  /** A card as GET /card_tables/lists/:id/cards.json lists it (see RenderOptions.cardListSteps). */
  cardListItem(r: Rec): Obj {
    return this.rec(r, !this.cardListSteps);
  }
  /** @param olderListItem a card-list item as the older docs showed it: no steps, boosts or description_attachments. */
  rec(r: Rec, olderListItem = false): Obj {
    const o = this.head(r);
    BODIES[r.kind](this, o, r, olderListItem);
    return o;
  }

  /** The project's needle summary: newest active needle first. */
  needles(p: Project): { lastColor: string | null; last: number | null; previous: number | null } {
    const list = active(p.gauge?.children ?? null, 'needle').sort((a, b) => b.created - a.created || b.id - a.id);
    const last = list[0];
    const prev = list[1];
    return {
      lastColor: last ? pickH(['green', 'yellow', 'red'], last.seed, 87) : null,
      last: last ? last.extra : null,
      previous: prev ? prev.extra : null,
    };
  }

  // ---------- account-level objects ----------
  dockEntry(t: Rec): Obj {
    return {
      id: t.id,
      title: this.title(t),
      name: t.kind,
      enabled: t.has(F.enabled),
      position: t.has(F.enabled) ? t.pos : null,
      url: this.url(t),
      app_url: this.appUrl(t),
    };
  }
  /** /projects.json items carry `bookmarked`; /projects/:id.json does not (as documented). */
  project(p: Project, inList: boolean): Obj {
    const n = this.needles(p);
    const o: Obj = {
      id: p.id,
      status: p.status,
      created_at: iso(p.created),
      updated_at: iso(p.updated),
      name: p.name,
      description: T.projectDescription(p.seed, p.rev),
      purpose: p.purpose,
      clients_enabled: p.clientsEnabled,
      timesheet_enabled: p.timesheetEnabled,
      color: p.color,
      last_needle_color: n.lastColor,
      last_needle_position: n.last,
      previous_needle_position: n.previous,
      bookmark_url: `${this.base}/my/bookmarks/${sgid('Bucket', p.id, 'readable')}.json`,
      star_url: `${this.base}/buckets/${p.id}/stars.json`,
      url: `${this.base}/projects/${p.id}.json`,
      app_url: `${this.base}/projects/${p.id}`,
    };
    if (p.clientCompany) {
      o.client_company = { id: p.clientCompany.id, name: p.clientCompany.name };
      o.clientside = { url: `${this.base}/buckets/${p.id}/client/board.json`, app_url: `${this.base}/buckets/${p.id}/client/board` };
    }
    o.dock = p.dock.map((t) => this.dockEntry(t));
    o.people = { team: this.team(p) };
    o.all_access = hash32(p.seed, 125) % 6 === 0;
    if (inList) o.bookmarked = hash32(p.seed, 90) % 5 === 0;
    return o;
  }
  /** The project's team (members who are not clients): how many, and the first few. */
  private team(p: Project): Obj {
    let count = 0;
    const sample: Obj[] = [];
    for (const m of p.members) {
      if (m.personableType === 'Client') continue;
      count++;
      if (sample.length < 8) sample.push({ id: m.id, name: m.name, avatar_url: this.personObj(m).avatar_url });
    }
    return { count, sample };
  }
  template(p: Project): Obj {
    return {
      id: p.id,
      status: p.status,
      created_at: iso(p.created),
      updated_at: iso(p.updated),
      name: p.name,
      description: T.projectDescription(p.seed, p.rev),
      url: `${this.base}/templates/${p.id}.json`,
      app_url: `${this.base}/templates/${p.id}`,
      dock: p.dock.map((t) => this.dockEntry(t)),
    };
  }
  category(c: Category): Obj {
    const [name, icon] = T.CATEGORIES[c.idx % T.CATEGORIES.length] as readonly [string, string];
    return { id: c.id, name: c.rev ? `${name} (edit ${c.rev})` : name, icon, created_at: iso(c.created), updated_at: iso(c.updated) };
  }
  marker(m: Marker): Obj {
    return { id: m.id, name: T.markerName(m.seed, m.rev), date: isoDate(m.date), created_at: iso(m.created), updated_at: iso(m.updated) };
  }
  account(): Obj {
    const a = this.st.account;
    return {
      id: a.id,
      name: a.rev ? `${a.name} (edit ${a.rev})` : a.name,
      owner_name: this.st.people[0]?.name ?? '',
      active: true,
      created_at: iso(a.created),
      updated_at: iso(a.updated),
      trial: false,
      trial_ends_on: null,
      frozen: false,
      paused: false,
      limits: { can_create_projects: true, can_pin_projects: true, can_create_users: true, can_upload_files: true },
      subscription: {
        short_name: 'ClientsV1',
        proper_name: 'Basecamp With Clients',
        project_limit: null,
        teams: true,
        clients: true,
        templates: true,
        logo: true,
        timesheet: true,
      },
      settings: { company_hq_enabled: false, teams_enabled: true, projects_enabled: true },
    };
  }
  event(e: TimelineEvent): Obj {
    const who = T.shortName(e.creator.name);
    const p = e.project;
    const bucket = { id: p.id, name: p.name, url: `${this.base}/projects/${p.id}.json`, app_url: `${this.base}/projects/${p.id}` };
    const o: Obj = { id: e.id, created_at: iso(e.created), kind: e.kind };
    const r = e.target;
    if (!r) {
      o.creator = this.person(e.creator);
      o.action = `${who} changed who can access this project`;
      o.target = null;
      o.title = o.action;
      // The docs show only a grant; the wording of a removal is ours.
      o.summary_excerpt = `${e.subject?.name ?? 'Someone'} ${e.access === 'granted' ? 'was granted access' : 'was removed from this project'}.`;
      o.avatars_sample = [];
      o.bucket = bucket;
      return o;
    }
    const what: Record<string, string> = {
      todo_created: 'added a to-do',
      todo_completed: 'completed a to-do',
      message_created: 'posted a message',
      comment_created: 'commented on',
      document_created: 'added a document',
      upload_created: 'uploaded a file',
      schedule_entry_created: 'added an event',
      kanban_card_created: 'added a card',
      question_answer_created: 'answered',
      google_document_created: 'linked a Google document',
      cloud_file_created: 'linked a file',
    };
    const target = r.parent ? this.title(r.parent) : this.title(r);
    o.parent_recording_id = r.parent ? r.parent.id : r.id;
    o.url = this.url(r);
    o.app_url = this.appUrl(r);
    o.creator = this.person(e.creator);
    o.action = `${who} ${what[e.kind] ?? 'changed'}`;
    o.target = target;
    o.title = `On “${target}”, ${who} ${e.kind === 'todo_completed' ? 'completed' : 'added'}`;
    o.summary_excerpt = excerpt(r.kind === 'comment' ? T.richText(r.seed, 0) : this.title(r));
    o.avatars_sample = [];
    o.bucket = bucket;
    o.attachments = [];
    if (e.kind === 'schedule_entry_created') {
      const allDay = r.has(F.allDay);
      o.data = { all_day: allDay, starts_at: iso(r.extra2), ends_at: iso(r.extra2 + (allDay ? DAY - 1000 : 3_600_000)) };
    }
    return o;
  }
}
