/**
 * The Basecamp 2 ("bcx") account's compact rows. As on the bc3 side, payloads are never
 * stored: each row keeps a few numbers and references, render.ts builds the JSON on request,
 * and text comes from per-row seeds.
 */

export type ProjectKind = 'project' | 'draft' | 'template';
export type ProjectState = 'active' | 'archived' | 'trashed';
export const PROJECT_STATES: readonly ProjectState[] = ['active', 'archived', 'trashed'];

/** Kinds of content rows (everything below a project or a standalone calendar). */
export type RecKind = 'message' | 'todolist' | 'todo' | 'document' | 'upload' | 'calendar_event' | 'forward' | 'comment';

/** Rows that carry comments and show them embedded in their single payload. */
export const COMMENTABLE_KINDS: readonly RecKind[] = ['message', 'todolist', 'todo', 'document', 'upload', 'calendar_event', 'forward'];

/** The `type` of eventable, topicable and attachable references. */
export const REC_TYPE: Record<RecKind, string> = {
  message: 'Message',
  todolist: 'Todolist',
  todo: 'Todo',
  document: 'Document',
  upload: 'Upload',
  calendar_event: 'CalendarEvent',
  forward: 'Forward',
  comment: 'Comment',
};

/** Bits of BRec.flags. */
export const BF = {
  trashed: 1,
  private: 2,
  completed: 4, // to-do
  allDay: 8, // calendar event
  archived: 16, // the row's topic is archived
  linked: 32, // attachment: a linked (Google Docs) file
} as const;

/** Id ranges, one per kind of row; every id is unique across the account. */
export const BID = {
  person: 149_000_000,
  identity: 982_000_000,
  group: 261_000_000,
  calendar: 336_000_000,
  project: 605_000_000,
  rec: 883_000_000, // content rows are looked up by (id - base) in a dense array
  attachment: 999_000_000,
  topic: 1_028_000_000,
  event: 1_054_000_000,
};

export class BPerson {
  rev = 0;
  trashed = false;
  updated: number;
  /** Events this person created: the show's events summary. */
  eventCount = 0;
  lastEvent = 0;
  constructor(
    public id: number,
    public identityId: number,
    public seed: number,
    public name: string,
    public email: string,
    public admin: boolean,
    public client: boolean,
    public created: number,
  ) {
    this.updated = created;
  }
}

export class Access {
  constructor(
    public person: BPerson,
    public granted: number,
  ) {}
}

/** What projects and standalone calendars share: both are buckets holding content. */
abstract class BucketBase {
  rev = 0;
  updated: number;
  accesses: Access[] = [];
  /** Accesses at generation: subscribers are drawn from these so later grants never change old payloads. */
  baseAccesses = 0;
  /** Top-level content in creation order (to-dos live under their lists, comments under their commentables). */
  recs: BRec[] = [];
  constructor(
    public id: number,
    public seed: number,
    public created: number,
    public creator: BPerson,
  ) {
    this.updated = created;
  }
  hasAccess(p: BPerson): boolean {
    return this.accesses.some((a) => a.person === p);
  }
}

export class BProject extends BucketBase {
  readonly bucketType = 'Project';
  attachments: BAttachment[] = [];
  constructor(
    id: number,
    public idx: number,
    seed: number,
    public kind: ProjectKind,
    public state: ProjectState,
    created: number,
    creator: BPerson,
    public starred: boolean,
    public clientProject: boolean,
    public color: string,
    public hasDescription: boolean,
  ) {
    super(id, seed, created, creator);
  }
}

export class BCalendar extends BucketBase {
  readonly bucketType = 'Calendar';
  constructor(
    id: number,
    seed: number,
    public nameIdx: number,
    created: number,
    creator: BPerson,
    public color: string,
  ) {
    super(id, seed, created, creator);
  }
}

export type Bucket = BProject | BCalendar;

export class BGroup {
  rev = 0;
  subgroups: BGroup[] = [];
  members: BPerson[] = [];
  constructor(
    public id: number,
    public name: string,
    public parent: BGroup | null,
    public created: number,
    public updated: number,
  ) {}
}

/** A calendar event's `recurring` rule. until is a date (ms, local midnight) or 0. */
export interface Recurring {
  frequency: 'daily' | 'weekly' | 'monthly' | 'yearly';
  count: number | null;
  until: number;
  excluding: number[];
}

/** One content row. */
export class BRec {
  rev = 0;
  children: BRec[] | null = null;
  /** Attachments whose attachable is this row (uploads have exactly one). */
  attachments: BAttachment[] | null = null;
  /** The row's topic id (0: no topic yet; a topic appears with a message or a first comment). */
  topicId = 0;
  /** to-do: assignee; document: last updater. */
  who: BPerson | null = null;
  /** to-do: completer. */
  completer: BPerson | null = null;
  /** to-do: completion time; calendar event: starts_at. */
  t1 = 0;
  /** to-do: due date (local midnight) or 0; calendar event: ends_at. */
  t2 = 0;
  recurring: Recurring | null = null;
  constructor(
    public id: number,
    public kind: RecKind,
    public bucket: Bucket,
    public parent: BRec | null,
    public creator: BPerson,
    public created: number,
    public updated: number,
    public seed: number,
    public pos: number,
    public flags: number,
  ) {}
  has(flag: number): boolean {
    return (this.flags & flag) !== 0;
  }
  get trashed(): boolean {
    return this.has(BF.trashed);
  }
  addChild(r: BRec): void {
    (this.children ??= []).push(r);
  }
  /** Children of one kind that are not trashed. */
  live(kind: RecKind): BRec[] {
    const out: BRec[] = [];
    if (this.children) for (const c of this.children) if (c.kind === kind && !c.trashed) out.push(c);
    return out;
  }
}

export class BAttachment {
  rev = 0;
  updated: number;
  trashed = false;
  constructor(
    public id: number,
    public project: BProject,
    public attachable: BRec,
    public creator: BPerson,
    public created: number,
    public seed: number,
    public linked: boolean,
  ) {
    this.updated = created;
  }
}

/** What an event says happened. */
export type EventAction = 'create' | 'update' | 'trash' | 'complete' | 'comment' | 'edit_comment' | 'project_state' | 'project_update';

export class BEvent {
  constructor(
    public id: number,
    public created: number,
    public creator: BPerson,
    public bucket: Bucket,
    public action: EventAction,
    /** The record the event is about (the commentable for comment events; null: the project itself). */
    public eventable: BRec | null,
    /** The comment of a comment event. */
    public comment: BRec | null,
    /** project_state: the state the project moved to. */
    public state: ProjectState | null = null,
  ) {
    // An event is a log line: it names the record as it was then, not as it is now.
    this.rev = eventable ? (eventable.kind === 'comment' && eventable.parent ? eventable.parent.rev : eventable.rev) : 0;
  }
  /** The eventable's revision when the event was logged (its title then). */
  readonly rev: number;
}

/**
 * Readings of what the Basecamp 2 docs leave open. Each switch picks one reading; the tap must
 * be right under every combination.
 */
export interface BcxReadings {
  /** Lists the docs neither call paginated nor complete answer 50 a page (true) or everything on every page (false). */
  unknownListsPaginate: boolean;
  /** A change inside a project (content, access) moves the project's updated_at. */
  changesTouchProject: boolean;
  /** The single to-do list embeds `todos` (true); false: it never does, as with ?exclude_todos=true. */
  listShowEmbedsTodos: boolean;
  /** A new, edited or trashed comment moves its commentable's updated_at. */
  commentsTouchCommentable: boolean;
  /** A to-do change moves its to-do list's updated_at (the list embeds its to-dos). */
  todoChangesTouchList: boolean;
  /**
   * Project-scoped lists (topics, to-do lists, documents, forwards) carry `bucket` as the docs'
   * examples do (true); false: they omit it, as the docs' prose says project-scoped lists do.
   */
  projectListsCarryBucket: boolean;
}

export const DEFAULT_BCX_READINGS: BcxReadings = {
  unknownListsPaginate: true,
  changesTouchProject: true,
  listShowEmbedsTodos: true,
  commentsTouchCommentable: true,
  todoChangesTouchList: true,
  projectListsCarryBucket: true,
};
