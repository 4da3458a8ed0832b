/**
 * Payload builders: turn compact rows into the JSON objects Basecamp sends, with the
 * keys in the order of the documented examples. Every endpoint that shows a record
 * uses the same builder, so a record renders identically wherever it appears.
 */
import { Category, COLUMN_TYPES, F, Marker, Person, Project, Rec, TimelineEvent, toolTitles, ToolKind } from './model';
import { hash32, hexDigest, pickH } from './rng';
import { ID_BASE, Store } from './store';
import * as T from './text';

type Obj = Record<string, unknown>;

export interface RenderOptions {
  /**
   * Card-list items (GET /card_tables/lists/:id/cards.json) carry steps, boosts and
   * description_attachments, as in the newest docs (default). false renders them as the older
   * docs showed them, without those keys; the single card always carries them.
   */
  cardListSteps?: boolean;
}
/** Ids of files embedded in rich text: one per embedding recording, in a range of their own. */
const ATTACHMENT_ID_BASE = 1_046_000_000;
const DAY = 86_400_000;
const TODO_COLORS = ['white', 'red', 'orange', 'yellow', 'green', 'blue', 'aqua', 'purple', 'gray', 'pink', 'brown'];
const COLUMN_COLORS = ['purple', 'orange', 'blue', 'green', 'red', 'yellow'];
const TOOL_PATH: Record<ToolKind, string> = {
  message_board: 'message_boards', todoset: 'todosets', vault: 'vaults', chat: 'chats', schedule: 'schedules',
  questionnaire: 'questionnaires', inbox: 'inboxes', kanban_board: 'card_tables',
};
const TYPE: Record<string, string> = {
  message_board: 'Message::Board', todoset: 'Todoset', vault: 'Vault', chat: 'Chat::Transcript', schedule: 'Schedule',
  questionnaire: 'Questionnaire', inbox: 'Inbox', kanban_board: 'Kanban::Board', message: 'Message', todolist: 'Todolist',
  group: 'Todolist', todo: 'Todo', schedule_entry: 'Schedule::Entry', document: 'Document', upload: 'Upload',
  comment: 'Comment', question: 'Question', answer: 'Question::Answer', forward: 'Inbox::Forward',
  inbox_reply: 'Inbox::Reply', client_board: 'Client::Board', approval: 'Client::Approval',
  correspondence: 'Client::Correspondence', client_reply: 'Client::Reply', card: 'Kanban::Card', step: 'Kanban::Step',
  gauge: 'Gauge', needle: 'Gauge::Needle', timesheet_entry: 'Timesheet::Entry', line: 'Chat::Lines::RichText',
};

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
function b64(s: string): string {
  return Buffer.from(s).toString('base64');
}
/** A signed global id in the style of Basecamp's bookmark and attachable sgids. */
function sgid(model: string, id: number, purpose: string): string {
  return `${b64(`{"_rails":{"data":"gid://bc3/${model}/${id}","purpose":"${purpose}"}}`)}--${hexDigest(id)}`;
}
/** Hours as Basecamp writes them: a decimal string such as "2.0" or "0.25". */
function hours(quarters: number): string {
  const h = quarters / 4;
  return Number.isInteger(h) ? h.toFixed(1) : String(h);
}
function excerpt(html: string): string {
  const t = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  return t.length > 100 ? `${t.slice(0, 99)}…` : t;
}
function active(children: Rec[] | null, kind: string): Rec[] {
  const out: Rec[] = [];
  if (children) for (const c of children) if (c.kind === kind && c.status === 'active') out.push(c);
  return out;
}
function countActive(children: Rec[] | null, kind: string): number {
  let n = 0;
  if (children) for (const c of children) if (c.kind === kind && c.status === 'active') n++;
  return n;
}

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
  constructor(private st: Store, readonly baseUrl: string, readonly accountId: number, private personRefs = false, opts: RenderOptions = {}) {
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

  // ---------- shared pieces ----------
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
    const b = `buckets/${r.project.id}`;
    switch (r.kind) {
      case 'message_board': case 'todoset': case 'vault': case 'chat': case 'schedule':
      case 'questionnaire': case 'inbox': case 'kanban_board':
        return `${b}/${TOOL_PATH[r.kind]}/${r.id}`;
      case 'message': return `${b}/messages/${r.id}`;
      case 'todolist': case 'group': return `${b}/todolists/${r.id}`;
      case 'todo': return `${b}/todos/${r.id}`;
      case 'schedule_entry': return `${b}/schedule_entries/${r.id}`;
      case 'document': return `${b}/documents/${r.id}`;
      case 'upload': return `${b}/uploads/${r.id}`;
      case 'comment': return `${b}/comments/${r.id}`;
      case 'question': return `${b}/questions/${r.id}`;
      case 'answer': return `${b}/question_answers/${r.id}`;
      case 'forward': return `${b}/inbox_forwards/${r.id}`;
      case 'inbox_reply': return `${b}/inbox_replies/${r.id}`;
      case 'client_board': return `${b}/client/board`;
      case 'approval': return `${b}/client/approvals/${r.id}`;
      case 'correspondence': return `${b}/client/correspondences/${r.id}`;
      case 'client_reply': return `${b}/client/replies/${r.id}`;
      case 'column': return `${b}/card_tables/columns/${r.id}`;
      case 'card': return `${b}/card_tables/cards/${r.id}`;
      case 'step': return `${b}/card_tables/steps/${r.id}`;
      case 'gauge': return `projects/${r.project.id}/gauge`;
      case 'needle': return `projects/${r.project.id}/gauge/needles/${r.id}`;
      case 'timesheet_entry': return `projects/${r.project.id}/timesheet/entries/${r.id}`;
      case 'line': return `${b}/chats/${r.parent?.id}/lines/${r.id}`;
    }
  }
  url(r: Rec): string {
    return `${this.base}/${this.path(r)}.json`;
  }
  appUrl(r: Rec): string {
    const b = `${this.base}/buckets/${r.project.id}`;
    switch (r.kind) {
      case 'comment': case 'inbox_reply': case 'client_reply': case 'step':
        return `${r.parent ? this.appUrl(r.parent) : b}#__recording_${r.id}`;
      case 'line': return `${b}/chats/${r.parent?.id}@${r.id}`;
      case 'client_board': return `${b}/client/board.${r.id}`;
      default: return `${this.base}/${this.path(r)}`;
    }
  }
  type(r: Rec): string {
    return r.kind === 'column' ? (COLUMN_TYPES[r.extra] as string) : (TYPE[r.kind] as string);
  }
  /** Title as shown in the record and in its children's parent stubs. */
  title(r: Rec): string {
    const s = r.seed;
    switch (r.kind) {
      case 'message_board': case 'todoset': case 'vault': case 'chat': case 'schedule':
      case 'questionnaire': case 'inbox': case 'kanban_board': {
        const t = r.parent ? T.vaultTitle(s, r.rev) : (toolTitles.get(r) ?? 'Tool');
        return r.parent || r.rev === 0 || r.kind === 'chat' ? t : `${t} (edit ${r.rev})`;
      }
      case 'message': return T.subject(s, 0);
      case 'todolist': return T.listTitle(s, 0);
      case 'group': return T.groupTitle(s, 0);
      case 'todo': return T.taskTitle(s, 0);
      case 'schedule_entry': return T.scheduleTitle(s, 0);
      case 'document': return T.docTitle(s, 0);
      case 'upload': return T.file(s)[0];
      case 'comment': case 'inbox_reply': case 'client_reply': return `Re: ${r.parent ? this.title(r.parent) : ''}`;
      case 'question': return T.questionTitle(s, r.rev);
      case 'answer': return `Answer to “${r.parent ? this.title(r.parent) : ''}”`;
      case 'forward': return T.forwardSubject(s, 0);
      case 'client_board': return 'The Clientside';
      case 'approval': case 'correspondence': return T.subject(s, 0);
      case 'column': return r.extra === 0 ? 'Triage' : r.extra === 1 ? 'Not now' : r.extra === 3 ? 'Done' : T.columnTitle(s, 0);
      case 'card': return T.cardTitle(s, 0);
      case 'step': return T.stepTitle(s, r.rev);
      case 'gauge': return 'How far along are we?';
      case 'needle': return T.needleText(s, 0);
      case 'timesheet_entry': return 'Timesheet entry';
      case 'line': return T.plainLine(s, r.rev);
    }
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
  private rurl(r: Rec, what: string): string {
    return `${this.base}/buckets/${r.project.id}/recordings/${r.id}/${what}`;
  }
  private subscription(o: Obj, r: Rec): void {
    o.subscription_url = this.rurl(r, 'subscription.json');
  }
  private comments(o: Obj, r: Rec): void {
    o.comments_count = countActive(r.children, 'comment');
    o.comments_url = this.rurl(r, 'comments.json');
  }
  private boosts(o: Obj, r: Rec): void {
    const h = hash32(r.seed, 77);
    o.boosts_count = h % 4 === 0 ? h % 6 : 0;
    o.boosts_url = this.rurl(r, 'boosts.json');
  }
  private tail(o: Obj, r: Rec): void {
    if (r.parent) o.parent = this.parentStub(r.parent);
    o.bucket = this.bucket(r.project);
    o.creator = this.person(r.creator);
  }
  /** Members drawn from the project's original members (stable under later joins). */
  private people(r: Rec, salt: number, max: number, first?: Person): unknown[] {
    const p = r.project;
    const n = hash32(r.seed, salt) % (max + 1);
    const picked: Person[] = first ? [first] : [];
    for (let i = 0; i < n && p.baseMembers > 0; i++) {
      const m = p.members[hash32(r.seed, salt + 1 + i) % p.baseMembers] as Person;
      if (!picked.includes(m)) picked.push(m);
    }
    return picked.map((m) => this.person(m));
  }
  /** Some messages and comments embed an image: its content_attachments entry, or null. */
  private embedded(r: Rec): Obj | null {
    if (hash32(r.seed, 121) % 6 !== 0) return null;
    const id = ATTACHMENT_ID_BASE + (r.id - ID_BASE.recording);
    const sg = sgid('Attachment', id, 'attachable');
    const key = hexDigest(id);
    const h = hash32(r.seed, 122);
    const filename = `screenshot-${1 + (h % 40)}.png`;
    const blob = `${this.base}/blobs/${key}`;
    return {
      id,
      attachable_sgid: sg,
      sgid: sg,
      status_url: `${this.base}/attachments/${sg}.json`,
      caption: null,
      byte_size: 2_000 + (h % 500_000),
      content_type: 'image/png',
      width: 320 + (h % 1280),
      height: 240 + ((h >>> 12) % 960),
      key,
      filename,
      download_url: `${blob}/download/${filename}`,
      previewable: true,
      preview_url: `${blob}/previews/full`,
      thumbnail_url: `${blob}/previews/card`,
    };
  }
  /** Rich text with its embedded file (if any) as a <bc-attachment>, and the matching attachments array. */
  private richContent(o: Obj, r: Rec, html: string): void {
    const a = this.embedded(r);
    o.content = a ? `${html}${T.attachmentTag(a)}` : html;
    o.content_attachments = a ? [a] : [];
  }
  private richOrEmpty(r: Rec, salt: number, rev: number): string {
    return hash32(r.seed, salt) % 3 === 0 && rev === 0 ? '' : T.richText(r.seed + salt, rev);
  }
  private dueOn(r: Rec): string | null {
    return r.has(F.hasDue) ? isoDate(r.created + (1 + (hash32(r.seed, 50) % 45)) * DAY) : null;
  }
  private ratio(r: Rec): [number, number] {
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
    const base = this.base;
    const pid = r.project.id;
    switch (r.kind) {
      case 'message_board':
        o.position = r.pos || null;
        this.tail(o, r);
        o.messages_count = countActive(r.children, 'message');
        o.messages_url = `${base}/buckets/${pid}/message_boards/${r.id}/messages.json`;
        o.app_messages_url = `${base}/buckets/${pid}/message_boards/${r.id}/messages`;
        break;
      case 'todoset': {
        this.subscription(o, r);
        o.position = r.pos || null;
        this.tail(o, r);
        const [done, total] = this.ratio(r);
        o.completed = total > 0 && done === total;
        o.completed_ratio = `${done}/${total}`;
        o.name = o.title;
        const lists = active(r.children, 'todolist');
        // Loose to-dos: filed straight under the set, outside any list.
        const loose = active(r.children, 'todo');
        o.todos_count = loose.length;
        o.todolists_count = lists.length;
        let looseDone = 0;
        for (const t of loose) if (t.has(F.completed)) looseDone++;
        o.completed_loose_todos_count = looseDone;
        o.todolists = lists.map((l) => {
          const [d, t] = this.ratio(l);
          const desc = this.richOrEmpty(l, 51, l.rev);
          return { id: l.id, title: this.title(l), description: desc || null, completed: t > 0 && d === t, completed_ratio: `${d}/${t}`, url: this.url(l), app_url: this.appUrl(l) };
        });
        o.todos_url = `${base}/buckets/${pid}/todosets/${r.id}/todos.json`;
        o.app_todos_url = `${base}/buckets/${pid}/todosets/${r.id}/todos`;
        o.hill_chart_url = `${base}/buckets/${pid}/todosets/${r.id}/hill.json`;
        o.todolists_url = `${base}/buckets/${pid}/todosets/${r.id}/todolists.json`;
        o.app_todoslists_url = `${base}/buckets/${pid}/todosets/${r.id}/todolists`;
        break;
      }
      case 'vault':
        o.position = r.pos || null;
        this.tail(o, r);
        o.documents_count = countActive(r.children, 'document');
        o.documents_url = `${base}/vaults/${r.id}/documents.json`;
        o.uploads_count = countActive(r.children, 'upload');
        o.uploads_url = `${base}/vaults/${r.id}/uploads.json`;
        o.vaults_count = countActive(r.children, 'vault');
        o.vaults_url = `${base}/vaults/${r.id}/vaults.json`;
        break;
      case 'chat':
        this.subscription(o, r);
        o.position = r.pos || null;
        this.tail(o, r);
        o.topic = r.rev ? `${o.title} — topic ${r.rev}` : o.title;
        o.lines_url = `${base}/buckets/${pid}/chats/${r.id}/lines.json`;
        o.files_url = `${base}/buckets/${pid}/chats/${r.id}/uploads.json`;
        break;
      case 'schedule':
        o.position = r.pos || null;
        this.tail(o, r);
        o.include_due_assignments = hash32(r.seed, 52) % 4 !== 0;
        o.entries_count = countActive(r.children, 'schedule_entry');
        o.entries_url = `${base}/schedules/${r.id}/entries.json`;
        break;
      case 'questionnaire':
        o.position = r.pos || null;
        this.tail(o, r);
        o.name = o.title;
        o.questions_count = countActive(r.children, 'question');
        o.questions_url = `${base}/questionnaires/${r.id}/questions.json`;
        break;
      case 'inbox':
        o.position = r.pos || null;
        this.tail(o, r);
        o.forwards_count = countActive(r.children, 'forward');
        o.forwards_url = `${base}/buckets/${pid}/inboxes/${r.id}/forwards.json`;
        break;
      case 'kanban_board':
        this.subscription(o, r);
        o.position = r.pos || null;
        this.tail(o, r);
        o.subscribers = this.people(r, 53, 2, r.creator);
        o.public_link_url = `${this.rurl(r, 'publication')}`;
        o.lists = (r.children ?? []).filter((c) => c.kind === 'column').map((c) => this.rec(c));
        o.wormholes = []; // links to other card tables: the generated account has none
        break;
      case 'message':
        this.subscription(o, r);
        this.comments(o, r);
        this.boosts(o, r);
        this.tail(o, r);
        this.richContent(
          o,
          r,
          r.has(F.nul) ? `<div>Pasted from a Word document:\u0000 see the notes below.</div>${T.richText(r.seed, r.rev)}` : T.richText(r.seed, r.rev),
        );
        o.subject = o.title;
        break;
      case 'todolist':
      case 'group': {
        this.subscription(o, r);
        this.comments(o, r);
        this.boosts(o, r);
        o.position = r.pos || null;
        this.tail(o, r);
        o.description = this.richOrEmpty(r, 51, r.rev);
        o.description_attachments = [];
        const [done, total] = this.ratio(r);
        o.completed = total > 0 && done === total;
        o.completed_ratio = `${done}/${total}`;
        o.name = o.title;
        o.color = r.extra > 0 ? TODO_COLORS[(r.extra - 1) % TODO_COLORS.length] : null;
        if (r.kind === 'todolist') o.groups_url = `${base}/buckets/${pid}/todolists/${r.id}/groups.json`;
        else o.group_position_url = `${base}/buckets/${pid}/todolists/groups/${r.id}/position.json`;
        o.todos_url = `${base}/buckets/${pid}/todolists/${r.id}/todos.json`;
        o.app_todos_url = `${base}/buckets/${pid}/todolists/${r.id}/todos`;
        o.comments_app_url = `${base}/buckets/${pid}/recordings/${r.id}/comments`;
        break;
      }
      case 'todo': {
        this.subscription(o, r);
        this.comments(o, r);
        this.boosts(o, r);
        if (!r.has(F.completed)) o.position = r.pos || null; // a completed to-do has left the ordering
        this.tail(o, r);
        o.description = this.richOrEmpty(r, 54, r.rev);
        o.description_attachments = [];
        o.completed = r.has(F.completed);
        if (r.has(F.completed)) o.completion = { created_at: iso(r.extra2), creator: this.person(this.st.people[r.extra] ?? r.creator) };
        o.content = o.title;
        const due = this.dueOn(r);
        o.starts_on = due && r.has(F.hasStart) ? isoDate(Date.parse(due) - (1 + (hash32(r.seed, 55) % 5)) * DAY) : null;
        o.due_on = due;
        o.assignees = this.people(r, 56, 2);
        o.completion_subscribers = this.people(r, 60, 1);
        o.completion_url = `${base}/todos/${r.id}/completion.json`;
        o.steps = [];
        break;
      }
      case 'schedule_entry': {
        this.subscription(o, r);
        this.comments(o, r);
        this.boosts(o, r);
        this.tail(o, r);
        o.description = this.richOrEmpty(r, 57, r.rev);
        o.description_attachments = [];
        o.summary = o.title;
        const allDay = r.has(F.allDay);
        o.all_day = allDay;
        o.highlighted = hash32(r.seed, 123) % 5 === 0;
        o.starts_at = iso(r.extra2);
        o.ends_at = iso(allDay ? r.extra2 + (hash32(r.seed, 58) % 3) * DAY + DAY - 1000 : r.extra2 + (1 + (hash32(r.seed, 58) % 4)) * 3_600_000);
        o.join_url = !allDay && hash32(r.seed, 124) % 4 === 0 ? `https://meet.example.com/${hexDigest(r.id).slice(0, 12)}` : null;
        o.participants = this.people(r, 62, 3);
        if (r.has(F.recurring)) {
          const h = hash32(r.seed, 59);
          const frequency = pickH(['every_day', 'every_week', 'every_month', 'every_year'], r.seed, 63);
          o.recurrence_schedule = {
            frequency,
            days: frequency === 'every_week' ? [1 + (h % 5)] : frequency === 'every_month' ? [1 + (h % 28)] : [],
            hour: new Date(r.extra2).getUTCHours(),
            minute: new Date(r.extra2).getUTCMinutes(),
            week_instance: frequency === 'every_month' && h % 2 === 0 ? 1 + (h % 4) : null,
            start_date: isoDate(r.extra2),
            end_date: h % 3 === 0 ? null : isoDate(r.extra2 + (30 + (h % 200)) * DAY),
          };
        }
        break;
      }
      case 'document':
        this.subscription(o, r);
        this.comments(o, r);
        this.boosts(o, r);
        o.position = r.pos || null;
        this.tail(o, r);
        o.content = T.richText(r.seed, r.rev);
        o.content_attachments = [];
        break;
      case 'upload': {
        this.subscription(o, r);
        this.comments(o, r);
        this.boosts(o, r);
        o.position = r.pos || null;
        this.tail(o, r);
        const [filename, contentType] = T.file(r.seed);
        const h = hash32(r.seed, 64);
        o.description = this.richOrEmpty(r, 65, r.rev);
        o.description_attachments = [];
        o.content_type = contentType;
        o.byte_size = 800 + (h % 4_000_000);
        o.filename = filename;
        o.download_url = `${base}/buckets/${pid}/uploads/${r.id}/download/${encodeURIComponent(filename)}`;
        o.app_download_url = o.download_url;
        o.width = 64 + (h % 1900);
        o.height = 48 + ((h >>> 11) % 1200);
        break;
      }
      case 'comment':
        this.boosts(o, r);
        this.tail(o, r);
        this.richContent(o, r, T.richText(r.seed, r.rev));
        break;
      case 'inbox_reply':
        this.boosts(o, r);
        this.tail(o, r);
        o.content = T.richText(r.seed, r.rev);
        o.content_attachments = [];
        break;
      case 'line':
        this.boosts(o, r);
        this.tail(o, r);
        o.content = o.title;
        break;
      case 'client_reply':
        this.tail(o, r);
        o.content = T.richText(r.seed, r.rev);
        o.content_attachments = [];
        break;
      case 'question': {
        this.subscription(o, r);
        this.tail(o, r);
        o.paused = r.has(F.paused);
        const weekly = hash32(r.seed, 66) % 3 === 0;
        o.schedule = {
          frequency: weekly ? 'every_week' : 'every_day',
          days: weekly ? [1 + (hash32(r.seed, 67) % 5)] : [1, 2, 3, 4, 5],
          hour: 9 + (hash32(r.seed, 68) % 8),
          minute: hash32(r.seed, 69) % 2 === 0 ? 0 : 30,
          week_instance: null,
          week_interval: null,
          month_interval: null,
          start_date: isoDate(r.created),
          duration: null,
          end_date: null,
        };
        o.answers_count = countActive(r.children, 'answer');
        o.answers_url = `${base}/questions/${r.id}/answers.json`;
        break;
      }
      case 'answer':
        this.subscription(o, r);
        this.comments(o, r);
        this.boosts(o, r);
        this.tail(o, r);
        o.content = T.richText(r.seed, r.rev);
        o.content_attachments = [];
        o.group_on = isoDate(r.created);
        break;
      case 'forward': {
        this.subscription(o, r);
        this.tail(o, r);
        const from = r.project.members[hash32(r.seed, 70) % Math.max(1, r.project.baseMembers)] ?? r.creator;
        o.content = `<div>---------- Forwarded message ---------<br>From: ${from.name}<br>Subject: ${o.title}</div>${T.richText(r.seed, r.rev)}`;
        o.content_attachments = [];
        o.subject = o.title;
        o.from = r.has(F.hasFrom) ? `${from.name} <${from.email ?? 'someone@example.com'}>` : null;
        o.replies_count = countActive(r.children, 'inbox_reply');
        o.replies_url = `${base}/buckets/${pid}/inbox_forwards/${r.id}/replies.json`;
        break;
      }
      case 'approval':
      case 'correspondence':
        this.subscription(o, r);
        this.tail(o, r);
        o.content = r.rev === 0 && hash32(r.seed, 71) % 3 === 0 ? '' : T.richText(r.seed, r.rev);
        o.content_attachments = [];
        o.subject = o.title;
        if (r.kind === 'approval') o.due_on = this.dueOn(r);
        o.replies_count = countActive(r.children, 'client_reply');
        o.replies_url = `${base}/buckets/${pid}/client/recordings/${r.id}/replies.json`;
        if (r.kind === 'approval') {
          o.approval_status = pickH(['pending', 'approved', 'rejected'], r.seed, 72);
          o.approver = this.person(this.st.people[r.extra] ?? r.creator);
        }
        break;
      case 'column': {
        this.subscription(o, r);
        if (r.extra === 2) o.position = r.pos;
        this.tail(o, r);
        o.description = r.rev > 0 ? T.richText(r.seed, r.rev) : null;
        o.subscribers = [this.person(r.creator)];
        o.color = r.extra === 2 ? (COLUMN_COLORS[hash32(r.seed, 73) % COLUMN_COLORS.length] as string) : null;
        o.cards_count = countActive(r.children, 'card');
        o.comment_count = 0;
        o.cards_url = `${base}/buckets/${pid}/card_tables/lists/${r.id}/cards.json`;
        break;
      }
      case 'card': {
        this.subscription(o, r);
        this.comments(o, r);
        if (!olderListItem) this.boosts(o, r);
        const done = r.has(F.completed);
        if (!done) o.position = r.pos || null; // a completed card has left the ordering
        this.tail(o, r);
        const text = hash32(r.seed, 74) % 4 === 0 && r.rev === 0 ? '' : T.richText(r.seed + 3, r.rev);
        o.description = text;
        if (!olderListItem) o.description_attachments = [];
        o.completed = done;
        if (done) o.completion = { created_at: iso(r.extra2 || r.updated), creator: this.person(r.creator) };
        o.content = text;
        o.due_on = this.dueOn(r);
        o.assignees = this.people(r, 75, 2);
        o.completion_subscribers = this.people(r, 80, 1);
        o.completion_url = `${base}/buckets/${pid}/todos/${r.id}/completion.json`;
        o.comment_count = o.comments_count;
        if (!olderListItem) o.steps = (r.children ?? []).filter((c) => c.kind === 'step').map((c) => this.rec(c));
        break;
      }
      case 'step':
        o.position = r.pos || null;
        this.tail(o, r);
        o.completed = r.has(F.completed);
        o.due_on = this.dueOn(r);
        o.assignees = this.people(r, 85, 1);
        o.completion_url = `/${this.accountId}/buckets/${pid}/card_tables/steps/${r.id}/completions.json`;
        break;
      case 'needle': {
        this.subscription(o, r);
        this.comments(o, r);
        this.boosts(o, r);
        this.tail(o, r);
        o.description = `${T.sentence(r.seed, 86)}${r.rev ? ` (edit ${r.rev})` : ''}`;
        o.description_attachments = [];
        o.color = pickH(['green', 'yellow', 'red'], r.seed, 87);
        o.position = r.extra;
        o.comment_count = o.comments_count;
        break;
      }
      case 'timesheet_entry':
        this.tail(o, r);
        o.date = isoDate(r.created - (hash32(r.seed, 88) % 3) * DAY);
        o.description = T.timesheetText(r.seed, r.rev);
        o.hours = hours(r.extra);
        o.person = this.person(this.st.people[r.extra2] ?? r.creator);
        break;
      case 'gauge': {
        this.tail(o, r);
        const n = this.needles(r.project);
        o.description = '';
        o.enabled = true;
        o.last_needle_color = n.lastColor;
        o.last_needle_position = n.last;
        o.previous_needle_position = n.previous;
        break;
      }
      case 'client_board':
        this.tail(o, r);
        break;
    }
    return o;
  }

  /** The project's needle summary: newest active needle first. */
  private needles(p: Project): { lastColor: string | null; last: number | null; previous: number | null } {
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
      subscription: { short_name: 'ClientsV1', proper_name: 'Basecamp With Clients', project_limit: null, teams: true, clients: true, templates: true, logo: true, timesheet: true },
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
      o.summary_excerpt = `${e.subject?.name ?? 'Someone'} was granted access.`;
      o.avatars_sample = [];
      o.bucket = bucket;
      return o;
    }
    const what: Record<string, string> = {
      todo_created: 'added a to-do', todo_completed: 'completed a to-do', message_created: 'posted a message',
      comment_created: 'commented on', document_created: 'added a document', upload_created: 'uploaded a file',
      schedule_entry_created: 'added an event', kanban_card_created: 'added a card', question_answer_created: 'answered',
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
