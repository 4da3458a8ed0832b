/**
 * Basecamp 5's account event feed, GET /events.json, as basecamp/bc-api sections/event_feed.md
 * documents it: an envelope of thin pointers oldest first, signed opaque positions bound to the
 * account and the filter set, a walk that ends at the head frozen when it started, scan windows
 * that can leave a page empty while `next` still says more is to come, and an epoch below which
 * positions answer 410. Mutations record events here (mutations.ts) for the cataloged changes only.
 */
import { createHash, createHmac } from 'node:crypto';

/** The documented catalog: the only types served, and the domain of the `types` filter. */
export const FEED_CATALOG = [
  'comment.created',
  'comment.content_changed',
  'message.created',
  'message.content_changed',
  'message.subject_changed',
  'todo.created',
  'todo.completed',
  'todo.moved',
  'todo.content_changed',
  'todo.description_changed',
  'todo.scheduled',
  'todo.rescheduled',
  'todo.unscheduled',
  'todo.assignment_changed',
  'card.created',
  'card.completed',
  'card.moved',
  'card.content_changed',
  'card.title_changed',
  'card.due_on_changed',
  'card.assignment_changed',
  'chat.line.created',
  'boost.created',
  'question.created',
  'question.answer.created',
] as const;
export type FeedEventType = (typeof FEED_CATALOG)[number];

/** Feed event ids: their own id space, far from recordings' (and below 2^53). */
export const FEED_ID_BASE = 1_371_000_000;

export interface FeedEvent {
  id: number;
  type: FeedEventType;
  created: number;
  bucketId: number;
  creatorId: number;
  recordingId: number;
  /** Only card.moved and boost.created publish one. */
  details?: Record<string, unknown>;
}

export interface FeedOptions {
  /** Events a page holds at most (the docs: 100). */
  pageSize?: number;
  /** Event ids one page scans at most (the walk's bounded scan window). */
  scanWindow?: number;
}

/** The account's feed: its events in id order, the id counter and the epoch. */
export class EventFeed {
  readonly events: FeedEvent[] = [];
  /** Positions below this id answer 410; events at or below it are never served. */
  epoch = FEED_ID_BASE - 1;
  pageSize: number;
  scanWindow: number;
  private nextId = FEED_ID_BASE;

  constructor(opts: FeedOptions = {}) {
    this.pageSize = opts.pageSize ?? 100;
    this.scanWindow = opts.scanWindow ?? 10_000;
  }

  record(e: Omit<FeedEvent, 'id'>): number {
    const id = this.nextId++;
    this.events.push({ id, ...e });
    return id;
  }

  /**
   * Event ids are drawn account-wide in Basecamp, so other activity leaves gaps in an account's
   * ids: `n` ids go by with no event here (a walk crosses them in empty pages).
   */
  skipIds(n: number): void {
    this.nextId += Math.max(0, Math.floor(n));
  }

  /** The present: the last id handed out (what since=now enters at). */
  head(): number {
    return this.nextId - 1;
  }

  /** Raise the fence (as after a rollback): to `afterId`, by default the present. */
  raiseEpoch(afterId = this.head()): number {
    this.epoch = Math.max(this.epoch, afterId);
    return this.epoch;
  }
}

export interface FeedContext {
  /** `{baseUrl}/{accountId}`: continuation and resume URLs are absolute. */
  base: string;
  accountId: number;
  /** The key positions are signed with. */
  secret: string;
}

type Obj = Record<string, unknown>;
export type FeedAnswer = { status: 200; body: Obj; headers: Record<string, string> } | { status: 400 | 409 | 410; body: Obj };

const invalidPosition = (): FeedAnswer => ({
  status: 400,
  body: { error: 'Unrecognized position. Resume with since=<id> or since=now.', reason: 'invalid_position' },
});

/** srv2: SHA-256 of the canonical JSON of the present filter dimensions, first 16 hex characters. */
export function filtersDigest(types: string[] | null): string {
  const canonical = types ? JSON.stringify({ types: [...new Set(types)].sort() }) : '{}';
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

interface Position {
  id: number;
  /** The walk's frozen head, carried by continuation URLs only. */
  head?: number;
  digest: string;
}

function sign(ctx: FeedContext, payload: string): string {
  return createHmac('sha256', ctx.secret).update(`${ctx.accountId}|${payload}`).digest('hex').slice(0, 16);
}

export function encodePosition(ctx: FeedContext, p: Position): string {
  const payload = `${p.id}.${p.head ?? ''}.${p.digest}`;
  return Buffer.from(`${payload}.${sign(ctx, payload)}`).toString('base64url');
}

/** A position this account signed, or null (malformed, tampered, another account's). */
export function decodePosition(ctx: FeedContext, token: string): Position | null {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const m = /^(\d+)\.(\d*)\.([0-9a-f]{16})\.([0-9a-f]{16})$/.exec(Buffer.from(token, 'base64url').toString('latin1'));
  if (!m) return null;
  const [, id, head, digest, mac] = m as unknown as [string, string, string, string, string];
  if (sign(ctx, `${id}.${head}.${digest}`) !== mac) return null;
  return { id: Number(id), head: head === '' ? undefined : Number(head), digest };
}

/** The `types` filter: null when absent, or the unknown names it carries. */
function parseTypes(q: URLSearchParams): { types: string[] | null } | { unknown: string[] } {
  const raw = q.get('types');
  if (raw === null) return { types: null };
  const types = raw
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const unknown = types.filter((t) => !(FEED_CATALOG as readonly string[]).includes(t));
  return unknown.length ? { unknown } : { types };
}

/** Where a walk starts (after which id) and its frozen head, or the error answer. */
function entry(feed: EventFeed, ctx: FeedContext, q: URLSearchParams, digest: string, filterQuery: string): { after: number; head: number } | FeedAnswer {
  const gone = (): FeedAnswer => ({
    status: 410,
    body: { error: 'Position predates the feed epoch.', epoch_after_id: feed.epoch, resume: `${ctx.base}/events.json?since=${feed.epoch}${filterQuery}` },
  });
  const token = q.get('position');
  if (token !== null) {
    const p = decodePosition(ctx, token);
    if (!p) return invalidPosition();
    if (p.digest !== digest)
      return { status: 409, body: { error: 'Position was minted for other filters.', position_digest: p.digest, filters_digest: digest } };
    if (p.id < feed.epoch) return gone();
    return { after: p.id, head: Math.min(p.head ?? feed.head(), feed.head()) };
  }
  const since = q.get('since') ?? 'now';
  if (since === 'now') return { after: feed.head(), head: feed.head() };
  if (!/^\d{1,18}$/.test(since)) return invalidPosition();
  const n = Number(since);
  if (n === 0) return { after: feed.epoch, head: feed.head() };
  if (n < feed.epoch) return gone();
  return { after: n, head: feed.head() };
}

/** One page of a walk: the events served and the position it reached. */
function scan(feed: EventFeed, after: number, head: number, types: string[] | null): { events: FeedEvent[]; position: number } {
  const windowEnd = Math.min(head, after + feed.scanWindow);
  const out: FeedEvent[] = [];
  for (const e of feed.events) {
    if (e.id <= after || e.id <= feed.epoch) continue;
    if (e.id > windowEnd) break;
    if (types && !types.includes(e.type)) continue;
    out.push(e);
    if (out.length === feed.pageSize) return { events: out, position: e.id };
  }
  return { events: out, position: Math.max(after, windowEnd) };
}

export function renderFeedEvent(e: FeedEvent): Obj {
  const dot = e.type.lastIndexOf('.');
  const out: Obj = {
    id: e.id,
    kind: e.type.replace(/\./g, '_'),
    action: e.type.slice(dot + 1),
    created_at: new Date(e.created).toISOString(),
    event_type: e.type,
    bucket_id: e.bucketId,
    creator_id: e.creatorId,
    performed_by_id: null,
    recording_id: e.recordingId,
  };
  if (e.details) out.details = e.details;
  return out;
}

/** GET /events.json: the envelope with its headers, or the documented error shapes. */
export function serveFeed(feed: EventFeed, ctx: FeedContext, q: URLSearchParams): FeedAnswer {
  const parsed = parseTypes(q);
  if ('unknown' in parsed) {
    return {
      status: 400,
      body: { error: `Unknown event types: ${parsed.unknown.join(', ')}. Fix the filters; a position reset won't help.`, reason: 'invalid_filter' },
    };
  }
  const types = parsed.types;
  const digest = filtersDigest(types);
  const filterQuery = types ? `&types=${encodeURIComponent([...new Set(types)].sort().join(','))}` : '';
  const at = entry(feed, ctx, q, digest, filterQuery);
  if ('status' in at) return at;
  const page = scan(feed, at.after, at.head, types);
  const position = encodePosition(ctx, { id: page.position, digest });
  const body: Obj = { events: page.events.map(renderFeedEvent), position };
  const headers: Record<string, string> = { 'X-Feed-Position': position };
  if (page.position < at.head) {
    const next = `${ctx.base}/events.json?position=${encodePosition(ctx, { id: page.position, head: at.head, digest })}${filterQuery}`;
    body.next = next;
    headers.Link = `<${next}>; rel="next"`;
  }
  return { status: 200, body, headers };
}
