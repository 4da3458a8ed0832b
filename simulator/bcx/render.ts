/**
 * Payload builders for the Basecamp 2 account, key for key (and in the key order of) the docs'
 * examples. List forms and single forms differ as the examples do: project list items have no
 * tool summaries, document list items no content, the single to-do list embeds its to-dos in
 * short form, and so on. Every url and app_url points back at the simulator:
 * `{baseUrl}/{accountId}/api/v1/...json` and `{baseUrl}/{accountId}/...`.
 */
import { BEvent, BF, BProject, BRec } from './model';
import { day, edited, escapeHtml, slug, ts } from './render-format';
import { BcxRowRenderer } from './render-rows';
import { eventVerb } from './render-verbs';
import * as V from './views';
import { hash32, hexDigest } from '../rng';
import * as T from '../text';

type Obj = Record<string, unknown>;

/** The payloads of the account's content rows (and its people, groups and buckets: BcxAccountRenderer). */
export class BcxRenderer extends BcxRowRenderer {
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
      completed: V.listState(l) === 'completed',
      position: l.pos,
      private: V.isPrivate(l),
      trashed: l.trashed,
      completed_count: c.completed,
      remaining_count: c.remaining,
      creator: this.creator(l.creator),
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
      id: t.id,
      content: this.title(t),
      due_at: t.t2 ? day(t.t2) : null,
      comments_count: t.live('comment').length,
      created_at: ts(t.created),
      updated_at: ts(t.updated),
      url: this.url(t),
      app_url: this.appUrl(t),
      position: t.pos,
    }));
    o.bucket = this.bucket(l.bucket);
    return o;
  }
  /** /projects/P/todolists/ID.json: to-dos in short form (unless excluded), comments, subscribers. */
  todolist(l: BRec, embedTodos = this.readings.listShowEmbedsTodos): Obj {
    const o = this.listHead(l, false);
    if (embedTodos) {
      const t = V.listTodos(l);
      o.todos = {
        remaining: t.remaining.map((x) => this.todoShort(x)),
        completed: t.completed.map((x) => this.todoShort(x)),
        trashed: t.trashed.map((x) => this.todoShort(x)),
      };
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
    const head: Obj = {
      id: t.id,
      content: this.title(t),
      due_at: t.t2 ? day(t.t2) : null,
      comments_count: t.live('comment').length,
      created_at: ts(t.created),
      updated_at: ts(t.updated),
    };
    if (!t.has(BF.completed)) {
      return Object.assign(head, { assignee: this.assignee(t), position: t.pos, url: this.url(t), app_url: this.appUrl(t) });
    }
    return Object.assign(head, {
      completed_at: ts(t.t1),
      url: this.url(t),
      app_url: this.appUrl(t),
      assignee: this.assignee(t),
      position: t.pos,
      completer: this.ref(t.completer ?? t.creator),
    });
  }
  private todoHead(t: BRec): Obj {
    const done = t.has(BF.completed);
    const due = t.t2 ? day(t.t2) : null;
    return {
      id: t.id,
      todolist_id: t.parent?.id ?? null,
      position: t.pos,
      content: this.title(t),
      due_at: due,
      due_on: due,
      created_at: ts(t.created),
      updated_at: ts(t.updated),
      completed_at: done ? ts(t.t1) : false,
      comments_count: t.live('comment').length,
      private: V.isPrivate(t),
      trashed: t.trashed,
      creator: this.creator(t.creator),
      assignee: this.assignee(t),
      completed: done,
      url: this.url(t),
      app_url: this.appUrl(t),
    };
  }
  /** /projects/P/todos.json and the list's to-do lists: the full form with its list embedded. */
  todoItem(t: BRec): Obj {
    const o = this.todoHead(t);
    const l = t.parent as BRec;
    const c = V.listCounts(l);
    o.todolist = {
      completed: V.listState(l) === 'completed',
      completed_count: c.completed,
      created_at: ts(l.created),
      creator: this.creator(l.creator),
      description: this.listDescription(l),
      id: l.id,
      name: this.title(l),
      position: l.pos,
      private: V.isPrivate(l),
      remaining_count: c.remaining,
      trashed: l.trashed,
      url: this.url(l),
      app_url: this.appUrl(l),
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
    const o: Obj = {
      id: d.id,
      title: this.title(d),
      created_at: ts(d.created),
      updated_at: ts(d.updated),
      url: this.url(d),
      app_url: this.appUrl(d),
      private: V.isPrivate(d),
      trashed: d.trashed,
    };
    if (accountWide || this.readings.projectListsCarryBucket) {
      const b = this.bucket(d.bucket);
      o.bucket = { type: b.type, id: b.id, name: b.name, color: d.bucket instanceof BProject ? d.bucket.color : '3185c5', url: b.url, app_url: b.app_url };
    }
    return o;
  }
  document(d: BRec): Obj {
    return {
      id: d.id,
      title: this.title(d),
      content: T.richText(d.seed, d.rev),
      created_at: ts(d.created),
      updated_at: ts(d.updated),
      private: V.isPrivate(d),
      trashed: d.trashed,
      last_updater: this.ref(d.who ?? d.creator),
      creator: this.creator(d.creator),
      comments: this.comments(d),
      subscribers: this.subscribers(d),
    };
  }
  upload(u: BRec): Obj {
    return {
      id: u.id,
      created_at: ts(u.created),
      updated_at: ts(u.updated),
      content: edited(T.sentence(u.seed, 92), u.rev),
      trashed: u.trashed,
      attachments: this.files(u),
      comments: this.comments(u),
      subscribers: this.subscribers(u),
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
      id: f.id,
      subject: this.title(f),
      from: this.forwardFrom(f),
      created_at: ts(f.created, true),
      updated_at: ts(f.updated, true),
      private: V.isPrivate(f),
      trashed: f.trashed,
      url: this.url(f),
      app_url: this.appUrl(f),
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
        key,
        name,
        byte_size: 1_000 + (s % 900_000),
        content_type: type,
        created_at: ts(f.created),
        url: `${this.api}/projects/${f.bucket.id}/attachments/${1_000_000 + (s % 9_000_000)}/${key}/original/${encodeURIComponent(name)}`,
        creator: this.creator(f.creator),
      });
    }
    const b = this.bucket(f.bucket);
    return {
      id: f.id,
      subject: this.title(f),
      from: this.forwardFrom(f),
      created_at: ts(f.created, true),
      updated_at: ts(f.updated, true),
      private: V.isPrivate(f),
      trashed: f.trashed,
      content: text,
      content_html: `<html><body><h1>${escapeHtml(this.title(f))}</h1><p>${escapeHtml(text)}</p></body></html>`,
      creator: this.creator(f.creator),
      attachments,
      comments: this.comments(f),
      subscribers: this.subscribers(f),
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
    const o: Obj = {
      id: e.id,
      summary: this.title(e),
      description: this.eventDescription(e),
      created_at: ts(e.created, ms),
      updated_at: ts(e.updated, ms),
      all_day: e.has(BF.allDay),
      ...this.when(e, e.t1),
    };
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
      summary: this.title(e),
      description: this.eventDescription(e),
      all_day: e.has(BF.allDay),
      ...this.when(e, start),
      comments_count: e.live('comment').length,
      private: V.isPrivate(e),
      trashed: e.trashed,
      creator: this.creator(e.creator),
      recurrence: { number: n, master: { id: e.id, url: this.url(e), app_url: this.appUrl(e) } },
    };
  }

  // ---------- events ----------
  /** /events.json items (accountWide: with bucket), /projects/P/events.json (no bucket), /people/ID/events.json (no creator, with bucket). */
  event(e: BEvent, form: 'account' | 'project' | 'person' = 'account'): Obj {
    const r = e.eventable;
    const p = e.bucket;
    const target = r ? this.title(r, e.rev) : this.bucketName(p);
    const verb = eventVerb(e);
    const isComment = e.comment !== null && e.action !== 'trash';
    const ref = r
      ? this.reference(r)
      : { id: p.id, type: p.bucketType, url: `${this.api}/${this.bucketPath(p)}.json`, app_url: `${this.app}/${this.bucketPath(p)}` };
    const o: Obj = {
      id: e.id,
      created_at: ts(e.created),
      updated_at: ts(e.created),
      private: r ? V.isPrivate(r) : false,
      action: isComment ? verb : `${verb}<span>:</span>`,
      target,
      eventable: ref,
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
