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
import { BCalendar, BProject, BRec, REC_TYPE } from './model';
import { BCX_STREAMS } from './mutations';
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
    for (const [at, on] of [['starts_at', 'starts_on'], ['ends_at', 'ends_on']] as const) {
      const v = o[at] as string;
      o[on] = v.slice(0, 10);
      if (DATE_ONLY.test(v)) o[at] = null;
    }
  }
  return o;
}

export class BcxExpected {
  constructor(private st: BcxStore, private r: BcxRenderer) {}

  /** Projects whose contents a sync reads: all but the trashed ones. */
  private walked(): BProject[] {
    return this.st.projects.filter((p) => p.state !== 'trashed');
  }
  /** Rows of `kind` a full sync reads, each with its bucket. */
  rows(kind: 'message' | 'todolist' | 'todo' | 'document' | 'upload' | 'calendar_event' | 'forward'): BRec[] {
    const out: BRec[] = [];
    for (const p of this.walked()) {
      switch (kind) {
        case 'message':
          for (const archived of [false, true]) for (const t of V.topicables(p, archived)) if (t.kind === 'message') out.push(t);
          break;
        case 'todolist': for (const l of p.recs) if (l.kind === 'todolist') out.push(l); break;
        case 'todo':
          for (const l of p.recs) if (l.kind === 'todolist' && l.children) for (const t of l.children) if (t.kind === 'todo') out.push(t);
          break;
        case 'upload':
          for (const a of V.attachments(p)) if (a.attachable.kind === 'upload' && !out.includes(a.attachable)) out.push(a.attachable);
          break;
        default: out.push(...V.rows(p, kind));
      }
    }
    if (kind === 'calendar_event') for (const c of this.st.calendars) out.push(...V.rows(c, 'calendar_event'));
    return out;
  }

  records(stream: string): Obj[] {
    const st = this.st;
    const r = this.r;
    const inProject = (x: BRec): Obj => (x.bucket instanceof BProject ? { project_id: x.bucket.id } : { calendar_id: x.bucket.id });
    let out: Obj[];
    switch (stream) {
      // A project's and a person's url and app_url, which only their lists carry, are written
      // every time (the tap reads them from the show's summaries where no list item gave them).
      case 'projects': out = st.projects.map((p) => ({ ...r.project(p), url: `${r.api}/projects/${p.id}.json`, app_url: `${r.app}/projects/${p.id}` })); break;
      case 'people': out = st.people.map((p) => ({ ...r.person(p), url: `${r.api}/people/${r.personSlug(p)}.json`, app_url: `${r.app}/people/${r.personSlug(p)}` })); break;
      case 'groups': out = st.groups.map((g) => ({ ...r.groupItem(g), ...r.group(g) })); break;
      case 'calendars': out = st.calendars.map((c) => ({ ...r.calendarItem(c), ...r.calendar(c) })); break;
      case 'accesses':
        out = [];
        for (const p of this.walked()) for (const person of V.accessList(p)) out.push({ ...r.accessItem(person), project_id: p.id, person_id: person.id });
        return out.sort((a, b) => (a.project_id as number) - (b.project_id as number) || (a.person_id as number) - (b.person_id as number));
      case 'topics':
        out = [];
        for (const p of this.walked()) for (const archived of [false, true]) for (const t of V.topicables(p, archived)) out.push({ ...r.topic(t), project_id: p.id });
        break;
      case 'attachments':
        out = [];
        for (const p of this.walked()) for (const a of V.attachments(p)) out.push({ ...r.attachment(a), project_id: p.id });
        break;
      case 'messages': out = this.rows('message').map((x) => ({ ...without(r.message(x), 'comments'), ...inProject(x) })); break;
      case 'todolists': out = this.rows('todolist').map((x) => ({ ...without(r.todolist(x), 'todos', 'comments'), ...inProject(x) })); break;
      case 'todos': out = this.rows('todo').map((x) => written(stream, { ...without(r.todo(x), 'comments'), ...inProject(x) })); break;
      case 'documents': out = this.rows('document').map((x) => ({ ...without(r.document(x), 'comments'), ...inProject(x) })); break;
      case 'uploads': out = this.rows('upload').map((x) => ({ ...without(r.upload(x), 'comments'), ...inProject(x) })); break;
      case 'calendar_events':
        out = this.rows('calendar_event').map((x) => written(stream, { ...without(r.calendarEvent(x), 'comments'), ...inProject(x) }));
        break;
      case 'forwards': out = this.rows('forward').map((x) => ({ ...without(r.forward(x), 'comments'), ...inProject(x) })); break;
      case 'comments':
        out = [];
        for (const kind of ['message', 'todolist', 'todo', 'document', 'upload', 'calendar_event', 'forward'] as const) {
          for (const parent of this.rows(kind)) {
            for (const c of V.comments(parent)) {
              const o: Obj = r.comment(c);
              if (parent.bucket instanceof BProject) o.project_id = parent.bucket.id;
              o.commentable_id = parent.id;
              o.commentable_type = REC_TYPE[parent.kind];
              out.push(o);
            }
          }
        }
        break;
      case 'events':
        out = st.events.filter((e) => st.listed(e.bucket)).map((e) => {
          const o = r.event(e, 'account');
          if (!(e.bucket instanceof BCalendar)) o.project_id = e.bucket.id;
          return o;
        });
        break;
      default:
        throw new Error(`simulator (bcx): unknown stream ${stream} (streams: ${BCX_STREAMS.join(', ')})`);
    }
    return out.sort((a, b) => (a.id as number) - (b.id as number));
  }
}

