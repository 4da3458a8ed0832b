/**
 * Unit tests of src/products/bc3-events.ts against nock: each branch of the event feed's contract
 * (bc-api sections/event_feed.md) as the reader answers it, plus its pure decisions as tables.
 */
import { ApiError, TapError } from '../../src/errors';
import { Logger } from '../../src/log';
import { FeedBookmark, FeedOutcome, classifyRefusal, emptyHints, noteEvent, parseFeedBookmark, readEventFeed } from '../../src/products/bc3-events';
import { API_URL, Hit, Reply, guardNock, json, makeClient, mockApi, mockToken, settle } from '../helpers/client-fixtures';

guardNock();

const FEED = `${API_URL}/123/events.json`;
const onFeed = (uri: string) => uri.startsWith('/123/events.json');
/** Answers by path (with query); any other path is a 500 the test sees. */
const pages = (answers: Record<string, Reply>) => (hit: Hit) => answers[hit.path] ?? ([500, { error: `unexpected ${hit.path}` }] as Reply);
const ev = (id: number, event_type: string, bucket_id: number, recording_id: number) => ({
  id,
  kind: event_type.replace(/\./g, '_'),
  action: event_type.slice(event_type.lastIndexOf('.') + 1),
  created_at: '2026-11-01T00:00:00.000Z',
  event_type,
  bucket_id,
  creator_id: 7,
  performed_by_id: null,
  recording_id,
});
const envelope = (events: unknown[], position: string, next?: string): Reply => json(next ? { events, position, next } : { events, position });

async function run(replies: Record<string, Reply>, stored: FeedBookmark | undefined) {
  const { client, lines } = makeClient();
  mockToken(['at-feed']);
  const api = mockApi(onFeed, [pages(replies)]);
  const outcome = await settle(readEventFeed(client, stored, new Logger('info', (l) => lines.push(l))));
  return { outcome: outcome.value as FeedOutcome, error: outcome.error, paths: api.hits.map((h) => h.path), lines };
}

describe('readEventFeed', () => {
  test('a first run enters at the present and reads nothing older', async () => {
    const r = await run({ '/123/events.json?since=now': envelope([], 'P0') }, undefined);
    expect(r.paths).toEqual(['/123/events.json?since=now']);
    expect(r.outcome).toEqual({ kind: 'read', hints: emptyHints(), bookmark: { position: 'P0' }, events: 0, pages: 1 });
  });

  test('a stored position follows next through empty pages to the end; the last page names the position', async () => {
    const r = await run(
      {
        '/123/events.json?position=P1': envelope([ev(11, 'message.created', 1, 101), ev(12, 'chat.line.created', 2, 201)], 'P2', `${FEED}?position=N2`),
        '/123/events.json?position=N2': envelope([], 'P3', `${FEED}?position=N3`),
        '/123/events.json?position=N3': envelope([ev(15, 'todo.moved', 1, 102), ev(16, 'chat.line.created', 3, 301)], 'P4'),
      },
      { position: 'P1', last_id: 9 },
    );
    expect(r.paths).toEqual(['/123/events.json?position=P1', '/123/events.json?position=N2', '/123/events.json?position=N3']);
    expect(r.outcome.kind).toBe('read');
    if (r.outcome.kind !== 'read') return;
    expect(r.outcome.bookmark).toEqual({ position: 'P4', last_id: 16 });
    expect([r.outcome.events, r.outcome.pages]).toEqual([4, 3]);
    expect(r.outcome.hints.buckets).toEqual(new Set([1, 2, 3]));
    expect(r.outcome.hints.recordings).toEqual(new Set([101, 201, 102, 301]));
    expect(r.outcome.hints.chatBuckets).toEqual(new Set([2, 3]));
    expect(r.outcome.hints.types).toEqual(
      new Map([
        ['message.created', 1],
        ['chat.line.created', 2],
        ['todo.moved', 1],
      ]),
    );
  });

  test('a position token is sent escaped', async () => {
    const r = await run({ '/123/events.json?position=a%2Bb%3D': envelope([], 'Q') }, { position: 'a+b=' });
    expect(r.paths).toEqual(['/123/events.json?position=a%2Bb%3D']);
    expect(r.outcome.kind).toBe('read');
  });

  test.each([
    ['400 invalid_position', [400, { error: 'Unrecognized position.', reason: 'invalid_position' }] as Reply],
    ['409', [409, { error: 'x', position_digest: '38b223c13c89dc89', filters_digest: '44136fa355b3678a' }] as Reply],
  ])('%s with a kept event id re-enters with since=<that id>, not a restart', async (_name, refusal) => {
    const r = await run(
      { '/123/events.json?position=P1': refusal, '/123/events.json?since=41': envelope([ev(42, 'comment.created', 5, 501)], 'P5') },
      { position: 'P1', last_id: 41 },
    );
    expect(r.paths).toEqual(['/123/events.json?position=P1', '/123/events.json?since=41']);
    expect(r.outcome).toMatchObject({ kind: 'read', bookmark: { position: 'P5', last_id: 42 }, events: 1 });
  });

  test('400 invalid_position without a kept event id re-enters at the present, as a restart', async () => {
    const r = await run(
      { '/123/events.json?position=P1': [400, { reason: 'invalid_position' }], '/123/events.json?since=now': envelope([], 'P6') },
      { position: 'P1' },
    );
    expect(r.paths).toEqual(['/123/events.json?position=P1', '/123/events.json?since=now']);
    expect(r.outcome).toMatchObject({ kind: 'restart', bookmark: { position: 'P6' } });
    expect(r.outcome.kind === 'restart' && r.outcome.why).toMatch(/invalid_position.*re-entered at the present/);
  });

  test('a position refused again after every re-entry is an error, not a loop', async () => {
    const refused: Reply = [400, { reason: 'invalid_position' }];
    const r = await run(
      { '/123/events.json?position=P1': refused, '/123/events.json?since=3': refused, '/123/events.json?since=now': refused },
      { position: 'P1', last_id: 3 },
    );
    expect(r.error).toBeInstanceOf(TapError);
    expect(r.paths).toEqual(['/123/events.json?position=P1', '/123/events.json?since=3', '/123/events.json?since=now']);
  });

  test.each([
    ['a framework 400 (no reason)', [400, { status: 400, error: 'Bad Request' }] as Reply, /answered 400 without a reason/],
    ['a 400 that is not JSON', [400, 'User-Agent required'] as Reply, /answered 400 without a reason/],
    [
      'invalid_filter',
      [400, { error: 'Unknown event types: nope.created.\nFix the filters.', reason: 'invalid_filter' }] as Reply,
      /invalid_filter: Unknown event types: nope\.created\. Fix/,
    ],
  ])('%s is a one-line error, not a re-entry', async (_name, reply, message) => {
    const r = await run({ '/123/events.json?position=P1': reply }, { position: 'P1', last_id: 3 });
    expect(r.error).toBeInstanceOf(ApiError);
    expect((r.error as ApiError).kind).toBe('bad_request');
    expect(r.error?.message).toMatch(message);
    expect(r.error?.message).not.toContain('\n');
    expect(r.paths).toEqual(['/123/events.json?position=P1']);
  });

  test('410 follows a same-origin resume URL, as a restart', async () => {
    const r = await run(
      {
        '/123/events.json?position=P1': [410, { error: 'gone', epoch_after_id: 50, resume: `${FEED}?since=50` }],
        '/123/events.json?since=50': envelope([ev(51, 'todo.completed', 4, 401)], 'P7'),
      },
      { position: 'P1', last_id: 12 },
    );
    expect(r.paths).toEqual(['/123/events.json?position=P1', '/123/events.json?since=50']);
    expect(r.outcome).toMatchObject({ kind: 'restart', bookmark: { position: 'P7', last_id: 51 }, events: 1 });
    expect(r.outcome.kind === 'restart' && r.outcome.why).toMatch(/epoch \(50\).*410/);
  });

  test.each([
    [
      'a 410 resume',
      { '/123/events.json?position=P1': [410, { epoch_after_id: 50, resume: 'https://elsewhere.example.com/123/events.json?since=50' }] as Reply },
      /resume URL/,
    ],
    ['a next page', { '/123/events.json?position=P1': envelope([], 'P2', 'https://elsewhere.example.com/123/events.json?position=N') }, /next page/],
  ])('%s on another origin is refused, never requested', async (_name, replies, what) => {
    const r = await run(replies, { position: 'P1' });
    expect(r.error).toBeInstanceOf(ApiError);
    expect(r.error?.message).toMatch(what);
    expect(r.error?.message).toContain('another origin (https://elsewhere.example.com)');
    expect(r.paths).toEqual(['/123/events.json?position=P1']);
  });

  test('a 410 after following resume is an error', async () => {
    const gone: Reply = [410, { epoch_after_id: 50, resume: `${FEED}?since=50` }];
    const r = await run({ '/123/events.json?position=P1': gone, '/123/events.json?since=50': gone }, { position: 'P1' });
    expect(r.error).toBeInstanceOf(TapError);
  });

  test.each([403, 404])('%d: the account does not serve the feed; one info line, no error', async (status) => {
    const r = await run({ '/123/events.json?position=P1': [status, { status, error: 'x' }] }, { position: 'P1' });
    expect(r.outcome).toEqual({ kind: 'unavailable', status });
    const said = r.lines.filter((l) => l.includes('event feed'));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(new RegExp(`INFO .*does not serve the event feed .*answered ${status}.*goes on without it`));
  });

  test('an inactive account (404 with Reason: Account Inactive) is still the run-ending error', async () => {
    const r = await run({ '/123/events.json?since=now': [404, { status: 404 }, { reason: 'Account Inactive' }] }, undefined);
    expect((r.error as ApiError).kind).toBe('account_inactive');
  });

  test('a 200 without the envelope is an error', async () => {
    const r = await run({ '/123/events.json?since=now': json([{ id: 1 }]) }, undefined);
    expect(r.error?.message).toMatch(/without the event feed's envelope/);
  });
});

describe('classifyRefusal', () => {
  test.each([
    [400, { reason: 'invalid_position', error: 'whatever prose' }, 'reenter'],
    [400, { reason: 'invalid_filter', error: 'Unknown event types' }, 'error'],
    [400, { status: 400, error: 'Bad Request' }, 'error'],
    [400, 'plain text', 'error'],
    [400, { reason: 'something_new' }, 'error'],
    [409, { position_digest: 'a', filters_digest: 'b' }, 'reenter'],
    [410, { epoch_after_id: 5, resume: 'https://3.basecampapi.com/1/events.json?since=5' }, 'gone'],
    [410, { epoch_after_id: 5 }, 'error'],
  ] as const)('%d %j -> %s', (status, body, kind) => {
    expect(classifyRefusal(status, body, '/1/events.json').kind).toBe(kind);
  });
});

describe('noteEvent', () => {
  test('counts every event, takes only ids that are ids, and marks campfires by their project', () => {
    const hints = emptyHints();
    expect(noteEvent(hints, ev(3, 'chat.line.created', 9, 90))).toBe(3);
    expect(noteEvent(hints, { id: 'x', event_type: 'boost.created', bucket_id: null, recording_id: 2 ** 60 })).toBeUndefined();
    expect(noteEvent(hints, null)).toBeUndefined();
    expect([...hints.buckets, ...hints.chatBuckets, ...hints.recordings]).toEqual([9, 9, 90]);
    expect(hints.types).toEqual(
      new Map([
        ['chat.line.created', 1],
        ['boost.created', 1],
      ]),
    );
  });
});

describe('parseFeedBookmark', () => {
  test.each([
    [
      { position: 'P', last_id: 5 },
      { position: 'P', last_id: 5 },
    ],
    [{ position: 'P' }, { position: 'P' }],
    [{ position: 'P', last_id: '5' }, { position: 'P' }],
    [{ position: 'P', last_id: -1 }, { position: 'P' }],
    [{ position: '' }, undefined],
    ['P', undefined],
    [null, undefined],
    [{ last_id: 5 }, undefined],
  ])('%j -> %j', (value, expected) => {
    expect(parseFeedBookmark(value)).toEqual(expected);
  });
});
