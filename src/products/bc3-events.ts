/**
 * Basecamp 5's account event feed (GET /events.json; basecamp/bc-api sections/event_feed.md), read
 * once at the start of a Basecamp 3 run as change hints: which projects, recordings and campfires
 * saw activity since the stored position. The feed is not complete (only cataloged changes are
 * served, and delivery is best-effort), so hints add reads; they never stand in for the walks.
 *
 * The contract followed: an envelope `{events, position, next?}` oldest first; `next` followed
 * through empty pages too until absent; the last page's position handed back for the caller to
 * store only once the run has written what it names; on 400 `invalid_position` or 409 re-entry with
 * `since=<the last event id seen>` (or at the present, as a restart); on 410 the body's `resume`
 * URL, same-origin only, as a restart; 403 / 404: the account does not serve the feed.
 */
import type { Answer, BasecampClient } from '../client';
import { describeUrl } from '../described';
import { ApiError, TapError } from '../errors';
import { Logger } from '../log';

/** What the feed named since the stored position. */
export interface FeedHints {
  /** Projects (buckets) of every event. */
  buckets: Set<number>;
  /** Recordings every event points at. */
  recordings: Set<number>;
  /** Projects where a campfire line was posted (chat.line.created). */
  chatBuckets: Set<number>;
  /** Per such project, the newest line event's created_at (ms): what accounts for the project's move. */
  chatAt: Map<number, number>;
  /** To-dos moved to another list or group (todo.moved): what they left is not accounted for by them. */
  moved: Set<number>;
  /**
   * Projects with an event the recordings walks do not show (a check-in question created): what
   * is below them is read again. Events on to-dos, messages, comments, cards and answers are
   * left to the walks, which list every such record that changed, and to the parents they name.
   */
  otherBuckets: Set<number>;
  /** Events per event_type. */
  types: Map<string, number>;
}

/**
 * What the tap keeps between runs: the feed's opaque position, and the id of the last event it saw,
 * from which it can re-enter with `since=` when the position is refused (400 invalid_position, 409).
 */
export interface FeedBookmark {
  position: string;
  last_id?: number;
}

export type FeedOutcome =
  | { kind: 'read'; hints: FeedHints; bookmark: FeedBookmark; events: number; pages: number }
  /** Re-entered at the epoch (410) or at the present: history may be missing, so refresh everything. */
  | { kind: 'restart'; hints: FeedHints; bookmark: FeedBookmark; events: number; pages: number; why: string }
  /** The account does not serve the feed (403 or 404): the run goes on without it. */
  | { kind: 'unavailable'; status: number };

export const FEED_PATH = '/events.json';
/** A walk longer than this is a feed that never ends: stop rather than loop. */
export const MAX_FEED_PAGES = 10_000;
/** The feed's error statuses whose bodies say what to do; every other status is the usual error. */
const ANSWERED = [400, 409, 410] as const;

/** How a feed refusal is answered: re-enter with `since=`, follow `resume` (410), or fail. */
export type Refusal = { kind: 'reenter'; why: string } | { kind: 'gone'; resume: string; why: string } | { kind: 'error'; message: string };

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isId = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

/** A bookmark as kept in the STATE (JSON from a file), or undefined when it is not one (read as a first run). */
export function parseFeedBookmark(value: unknown): FeedBookmark | undefined {
  if (!isObj(value) || typeof value.position !== 'string' || value.position === '') return undefined;
  return isId(value.last_id) ? { position: value.position, last_id: value.last_id } : { position: value.position };
}

/** The feed's own error prose, on one line and short: it names the offending filter. */
function prose(body: Obj): string {
  const error = typeof body.error === 'string' ? body.error.replace(/\s+/g, ' ').trim() : '';
  return error ? `: ${error.slice(0, 200)}` : '';
}

/**
 * What a 400, 409 or 410 from the feed means. The docs: branch on a 400's `reason`, never on its
 * `error`; a 400 without a `reason` never reached the feed (and its body may not be JSON at all).
 */
export function classifyRefusal(status: number, body: unknown, path: string): Refusal {
  const b = isObj(body) ? body : {};
  if (status === 409) return { kind: 'reenter', why: 'the stored position was minted for other filters (409 Conflict)' };
  if (status === 410) {
    if (typeof b.resume !== 'string') return { kind: 'error', message: `GET ${path} answered 410 without a resume URL` };
    const epoch = isId(b.epoch_after_id) ? ` (${b.epoch_after_id})` : '';
    return { kind: 'gone', resume: b.resume, why: `the event feed's epoch${epoch} was raised past the stored position (410 Gone): re-entered at the epoch` };
  }
  switch (b.reason) {
    case 'invalid_position':
      return { kind: 'reenter', why: 'the event feed did not recognise the stored position (400 invalid_position)' };
    case 'invalid_filter':
      return { kind: 'error', message: `GET ${path} answered 400 invalid_filter${prose(b)}` };
    case undefined:
      return { kind: 'error', message: `GET ${path} answered 400 without a reason: the request was malformed before the event feed saw it` };
    default:
      return { kind: 'error', message: `GET ${path} answered 400 with an unknown reason (${String(b.reason).slice(0, 50)})` };
  }
}

interface Tally {
  hints: FeedHints;
  events: number;
  pages: number;
  lastId?: number;
}

/** Event types whose records the recordings walks list (to-dos, messages, comments, cards, answers). */
const WALKED = ['todo.', 'message.', 'comment.', 'card.', 'question.answer.'];

export function emptyHints(): FeedHints {
  return { buckets: new Set(), recordings: new Set(), chatBuckets: new Set(), chatAt: new Map(), moved: new Set(), otherBuckets: new Set(), types: new Map() };
}

/** What one event says of its project (bucket): a campfire line posted there (and when), or something no walk shows. */
function noteBucket(hints: FeedHints, bucket: number, type: string | undefined, createdAt: unknown): void {
  hints.buckets.add(bucket);
  if (type === 'chat.line.created') {
    hints.chatBuckets.add(bucket);
    const at = typeof createdAt === 'string' ? Date.parse(createdAt) : NaN;
    if (at > (hints.chatAt.get(bucket) ?? -Infinity)) hints.chatAt.set(bucket, at);
  } else if (type === undefined || !WALKED.some((prefix) => type.startsWith(prefix))) hints.otherBuckets.add(bucket);
}

/** Adds one event's hints; a field that is not an id is left out (the feed's pointers are thin). */
export function noteEvent(hints: FeedHints, event: unknown): number | undefined {
  if (!isObj(event)) return undefined;
  const type = typeof event.event_type === 'string' ? event.event_type : undefined;
  if (isId(event.bucket_id)) noteBucket(hints, event.bucket_id, type, event.created_at);
  if (isId(event.recording_id)) hints.recordings.add(event.recording_id);
  if (type === 'todo.moved' && isId(event.recording_id)) hints.moved.add(event.recording_id);
  if (type !== undefined) hints.types.set(type, (hints.types.get(type) ?? 0) + 1);
  return isId(event.id) ? event.id : undefined;
}

/** A 200's envelope, or an error naming what is missing. */
function envelopeOf(answer: Answer): { events: unknown[]; position: string; next?: string } {
  const b = answer.body;
  if (isObj(b) && Array.isArray(b.events) && typeof b.position === 'string' && b.position !== '' && (b.next === undefined || typeof b.next === 'string')) {
    return { events: b.events, position: b.position, next: b.next };
  }
  const path = describeUrl(answer.url);
  throw new ApiError(`GET ${path} answered ${answer.status} without the event feed's envelope (events, position)`, 'bad_response', answer.status, path);
}

/** An absolute URL the feed handed out (`next`, `resume`), refused when on another origin than the API's. */
function sameOrigin(client: BasecampClient, url: string, from: string, what: string): string {
  const target = new URL(url, from);
  const api = new URL(client.url('/')).origin;
  if (target.origin !== api) {
    const path = describeUrl(from);
    throw new ApiError(`refusing to follow the event feed's ${what} from ${path} to another origin (${target.origin})`, 'bad_response', undefined, path);
  }
  return target.toString();
}

type WalkEnd = { kind: 'done'; position: string } | Exclude<Refusal, { kind: 'error' }>;

/** Follows one walk from `start` until `next` is absent (or the feed refuses it), counting hints. */
async function walk(client: BasecampClient, start: string, tally: Tally, onEvent?: OnEvent): Promise<WalkEnd> {
  let url = client.url(start);
  for (let page = 0; page < MAX_FEED_PAGES; page++) {
    const answer = await client.getAnswer(url, ANSWERED);
    if ((ANSWERED as readonly number[]).includes(answer.status)) {
      const path = describeUrl(answer.url);
      const refusal = classifyRefusal(answer.status, answer.body, path);
      if (refusal.kind === 'error') throw new ApiError(refusal.message, answer.status === 410 ? 'bad_response' : 'bad_request', answer.status, path);
      return refusal;
    }
    const envelope = envelopeOf(answer);
    tally.pages++;
    for (const event of envelope.events) {
      tally.events++;
      const id = noteEvent(tally.hints, event);
      // Ids only grow: one at or below the last taken was written already (a re-entry's overlap).
      if (onEvent && isObj(event) && (id === undefined || tally.lastId === undefined || id > tally.lastId)) await onEvent(event);
      if (id !== undefined) tally.lastId = Math.max(tally.lastId ?? id, id);
    }
    if (envelope.next === undefined) return { kind: 'done', position: envelope.position };
    url = sameOrigin(client, envelope.next, answer.url, 'next page');
  }
  const path = describeUrl(url);
  throw new ApiError(`gave up on GET ${path} after ${MAX_FEED_PAGES} pages (the event feed's next never ends)`, 'bad_response', undefined, path);
}

function outcome(tally: Tally, position: string, restart: string | undefined): FeedOutcome {
  const bookmark: FeedBookmark = tally.lastId === undefined ? { position } : { position, last_id: tally.lastId };
  const read = { hints: tally.hints, bookmark, events: tally.events, pages: tally.pages };
  return restart === undefined ? { kind: 'read', ...read } : { kind: 'restart', ...read, why: restart };
}

const since = (at: number | 'now') => `${FEED_PATH}?since=${at}`;

/** Takes each event read, in id order, once (the events stream writes it). */
export type OnEvent = (event: Record<string, unknown>) => void | Promise<void>;
export interface FeedReadOptions {
  /** Each event as it is read; with it a first run replays the feed's served history (since=0) instead of entering at the present. */
  onEvent?: OnEvent;
}

/** The walks of one read: from the stored position, re-entering or resuming as the feed says. */
async function read(client: BasecampClient, stored: FeedBookmark | undefined, opts: FeedReadOptions): Promise<FeedOutcome> {
  const tally: Tally = { hints: emptyHints(), events: 0, pages: 0, lastId: stored?.last_id };
  let start = stored ? `${FEED_PATH}?position=${encodeURIComponent(stored.position)}` : since(opts.onEvent ? 0 : 'now');
  let restart: string | undefined;
  let reentered = false;
  let resumed = false;
  // At most: the stored position, a re-entry with since=<id>, a resume, and the present.
  for (let step = 0; step < 4; step++) {
    const end = await walk(client, start, tally, opts.onEvent);
    if (end.kind === 'done') return outcome(tally, end.position, restart);
    if (end.kind === 'gone' && !resumed) {
      resumed = true;
      restart = end.why;
      start = sameOrigin(client, end.resume, client.url(FEED_PATH), 'resume URL');
    } else if (end.kind === 'reenter' && !reentered && tally.lastId !== undefined) {
      reentered = true;
      start = since(tally.lastId);
    } else if (end.kind === 'reenter' && start !== since('now')) {
      restart = `${end.why}; no event id to re-enter from, so re-entered at the present`;
      start = since('now');
    } else {
      break;
    }
  }
  throw new TapError(`the event feed (GET ${FEED_PATH}) kept refusing to be entered (re-entered with since= and resumed without success)`);
}

/**
 * Reads the event feed from `stored` (undefined on a first run: enter at the present and read
 * nothing older). Never fails the run over an account that does not serve the feed (403, 404).
 */
export async function readEventFeed(client: BasecampClient, stored: FeedBookmark | undefined, log: Logger, opts: FeedReadOptions = {}): Promise<FeedOutcome> {
  try {
    return await read(client, stored, opts);
  } catch (err) {
    if (err instanceof ApiError && (err.kind === 'forbidden' || err.kind === 'not_found')) {
      const status = err.status ?? (err.kind === 'forbidden' ? 403 : 404);
      log.info(`the account does not serve the event feed (GET ${FEED_PATH} answered ${status}); the run goes on without it`);
      return { kind: 'unavailable', status };
    }
    throw err;
  }
}
