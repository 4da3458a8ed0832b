/**
 * One Basecamp 2 project's content: messages (topics), to-do lists and to-dos, documents,
 * uploads, calendar events and forwards, then comments, attachments and a few deleted rows, with
 * the events a project's history logs for each. Draws from the generator's PRNG in a fixed
 * order, so the same seed gives the same account.
 */
import type { Plan } from './generate';
import { BAttachment, BF, BPerson, BProject, BRec, Bucket, EventAction, RecKind } from './model';
import { BcxStore } from './store';
import { DAY, HOUR, localMidnight } from './time';
import { Rng } from '../rng';

export type Log = (t: number, who: BPerson, action: EventAction, r: BRec | null, c?: BRec | null) => void;

/** What the content draws on: the generator's PRNG, store and record makers. */
export interface ContentHost {
  readonly st: BcxStore;
  readonly rng: Rng;
  readonly hi: number;
  time(lo: number, hi: number): number;
  mk(b: Bucket, kind: RecKind, parent: BRec | null, created: number, creator: BPerson, o?: { pos?: number; flags?: number; updated?: number }): BRec;
  event(created: number, creator: BPerson, bucket: Bucket, action: EventAction, eventable: BRec | null, comment?: BRec | null): void;
  trash(r: BRec, log: Log): void;
  calendarEvent(b: Bucket, lo: number, creator: BPerson, force?: 'sample' | 'endless'): BRec;
}

export class ProjectContent {
  private creators: BPerson[];
  private lo: number;
  private all: BRec[] = [];
  private messages: BRec[] = [];
  private todos: BRec[] = [];
  private lists: BRec[] = [];
  private uploads: BRec[] = [];
  private comments: BRec[] = [];
  readonly log: Log;

  constructor(
    private g: ContentHost,
    private p: BProject,
    private plan: Plan,
    logged: boolean,
  ) {
    this.creators = p.accesses.slice(0, p.baseAccesses).map((a) => a.person);
    this.lo = p.created + HOUR;
    this.log = (t, who, action, r, c = null) => {
      if (logged) g.event(t, who, p, action, r, c);
    };
  }

  make(): void {
    this.makeMessages();
    this.makeTodolists();
    this.makeFiles();
    for (const r of this.commented()) this.comment(r);
    const { messages, plan, g } = this;
    for (let k = 0; k < plan.messageComments && messages.length; k++) this.comment(k < messages.length ? (messages[k] as BRec) : g.rng.pick(messages));
    this.attachments();
    this.trashSome();
  }

  private pick(): BPerson {
    return this.g.rng.pick(this.creators);
  }

  /** A made row: its create event, and an update event when it was edited (to-dos log completions instead). */
  private made(r: BRec): void {
    this.all.push(r);
    this.log(r.created, r.creator, 'create', r);
    if (r.updated > r.created && r.kind !== 'todo') this.log(r.updated, r.who ?? r.creator, 'update', r);
  }

  /** Messages (always topics), the first few archived. */
  private makeMessages(): void {
    const { g, p, plan } = this;
    for (let k = 0; k < plan.messages; k++) {
      const m = g.mk(p, 'message', null, g.time(this.lo, g.hi), this.pick());
      g.st.topicFor(m);
      if (k < plan.archivedTopics) m.flags |= BF.archived;
      this.messages.push(m);
      this.made(m);
    }
  }

  /** To-do lists and to-dos: the second list (when there are three or more) is completed, the third trashed. */
  private makeTodolists(): void {
    const { g, p, plan } = this;
    for (let l = 0; l < plan.lists; l++) {
      const list = g.mk(p, 'todolist', null, g.time(this.lo, g.hi - 20 * DAY), this.pick(), { pos: l + 1 });
      this.lists.push(list);
      this.made(list);
      const n = g.rng.int(plan.todosPerList[0], plan.todosPerList[1]);
      const allDone = plan.lists >= 3 && l === 1;
      for (let t = 0; t < n; t++) this.makeTodo(list, t, allDone, t === 0 && l === 0);
      if (plan.lists >= 3 && l === 2) g.trash(list, this.log);
    }
    // A trashed to-do in the first list (completed first, as the docs' example trashed one was).
    const doneTodo = this.lists[0]?.children?.find((t) => t.has(BF.completed));
    if (doneTodo && plan.trashedRows > 0) g.trash(doneTodo, this.log);
  }

  /** The t-th to-do of a list: completed when its whole list is (allDone), at random, or when it opens the project's first list. */
  private makeTodo(list: BRec, t: number, allDone: boolean, first: boolean): void {
    const { g, p } = this;
    const { rng } = g;
    const created = g.time(list.created + 60_000, g.hi);
    const todo = g.mk(p, 'todo', list, created, this.pick(), { pos: t + 1, updated: created });
    if (rng.chance(0.6)) todo.who = this.pick();
    if (rng.chance(0.4)) todo.t2 = localMidnight(created + rng.int(1, 40) * DAY);
    this.all.push(todo);
    this.todos.push(todo);
    this.log(created, todo.creator, 'create', todo);
    if (allDone || rng.chance(0.35) || first) {
      todo.flags |= BF.completed;
      todo.completer = this.pick();
      todo.t1 = g.time(created, g.hi);
      todo.updated = todo.t1;
      this.log(todo.t1, todo.completer, 'complete', todo);
    }
    if (todo.updated > list.updated) list.updated = todo.updated;
  }

  /** Documents, uploads (each with its file), calendar events and forwards. */
  private makeFiles(): void {
    const { g, p, plan } = this;
    for (let k = 0; k < plan.documents; k++) {
      const d = g.mk(p, 'document', null, g.time(this.lo, g.hi), this.pick());
      d.who = d.updated > d.created ? this.pick() : d.creator;
      this.made(d);
    }
    for (let k = 0; k < plan.uploads; k++) {
      const u = g.mk(p, 'upload', null, g.time(this.lo, g.hi), this.pick());
      this.uploads.push(u);
      this.made(u);
      g.st.addAttachment(new BAttachment(g.st.id('attachment'), p, u, u.creator, u.created, g.rng.u32(), false));
    }
    // The first one recurs as the docs' sample does: weekly, five times, the 2nd and 3rd skipped.
    for (let k = 0; k < plan.calendarEvents; k++) this.made(g.calendarEvent(p, this.lo, this.pick(), k === 0 ? 'sample' : undefined));
    for (let k = 0; k < plan.forwards; k++) this.made(g.mk(p, 'forward', null, g.time(this.lo, g.hi), this.pick()));
  }

  /** Commented rows other than messages: one of each kind first ("comments on all commentables"), then at random. */
  private commented(): BRec[] {
    const { rng } = this.g;
    const others = this.all.filter((r) => r.kind !== 'message' && !r.trashed);
    const byKind = new Map<RecKind, BRec[]>();
    for (const r of others) {
      let l = byKind.get(r.kind);
      if (!l) byKind.set(r.kind, (l = []));
      l.push(r);
    }
    const commented: BRec[] = [];
    const wanted = this.plan.commentedOthers;
    for (const l of byKind.values()) if (commented.length < wanted) commented.push(l[0] as BRec);
    const rest = others.filter((r) => !commented.includes(r));
    while (commented.length < wanted && rest.length) commented.push(rest.splice(rng.int(0, rest.length - 1), 1)[0] as BRec);
    return commented;
  }

  private comment(on: BRec): void {
    const { g, p } = this;
    const created = g.time(on.created + 60_000, g.hi);
    const c = g.mk(p, 'comment', on, created, this.pick());
    if (c.updated > on.updated) on.updated = c.updated;
    g.st.topicFor(on);
    this.comments.push(c);
    this.log(c.created, c.creator, 'comment', on, c);
    if (c.updated > c.created) this.log(c.updated, c.creator, 'edit_comment', on, c);
  }

  /** Other attachments: on messages (some linked), comments and to-dos. */
  private attachments(): void {
    const { g, p, plan, messages, comments, todos } = this;
    const attach = (on: BRec, linked = false) => g.st.addAttachment(new BAttachment(g.st.id('attachment'), p, on, on.creator, on.created, g.rng.u32(), linked));
    for (let k = 0; k < plan.messageAttachments && messages.length; k++) attach(messages[k % messages.length] as BRec);
    for (let k = 0; k < plan.linked && messages.length; k++) attach(messages[(k + 1) % messages.length] as BRec, true);
    for (let k = 0; k < plan.commentAttachments && comments.length; k++) attach(comments[k % comments.length] as BRec);
    for (let k = 0; k < plan.todoAttachments && todos.length; k++) attach(todos[k % todos.length] as BRec);
  }

  /** Some rows were deleted: a message, a comment, an upload. */
  private trashSome(): void {
    const { messages, comments, uploads, plan } = this;
    if (plan.trashedRows <= 0) return;
    const trashable = [messages[messages.length - 1], comments[comments.length - 1], uploads[uploads.length - 1]];
    for (let k = 0; k < Math.min(plan.trashedRows, trashable.length); k++) {
      const r = trashable[k];
      if (r && !r.trashed && r !== messages[0]) this.g.trash(r, this.log);
    }
  }
}
