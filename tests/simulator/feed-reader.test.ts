/**
 * The tap's event feed reader (src/products/bc3-events.ts) against the simulator's feed, over
 * real HTTP with the tap's own client: a first run enters at the present; after changes the next
 * read returns their hints and a position beyond them; empty pages that carry `next` are followed;
 * a raised epoch (410) is a restart through `resume`; an account that answers 403 or 404 is
 * `unavailable` with one info line.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Simulator, SimulatorOptions, startSimulator } from '../../simulator';
import { BasecampClient } from '../../src/client';
import { loadConfig } from '../../src/config';
import { Logger } from '../../src/log';
import { FeedBookmark, FeedOutcome, readEventFeed } from '../../src/products/bc3-events';

jest.setTimeout(60_000);

type Json = Record<string, any>;

interface Harness {
  sim: Simulator;
  read(stored: FeedBookmark | undefined): Promise<FeedOutcome>;
  lines: string[];
}

async function withReader(opts: SimulatorOptions, f: (h: Harness) => Promise<void>): Promise<void> {
  const sim = await startSimulator({ records: 300, ...opts });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feed-reader-'));
  try {
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, JSON.stringify(sim.config({ max_requests_per_10s: 1000 })));
    const lines: string[] = [];
    const log = new Logger('info', (l) => lines.push(l));
    const client = new BasecampClient(
      loadConfig([file], {}, () => undefined),
      log,
    );
    await f({ sim, lines, read: (stored) => readEventFeed(client, stored, log) });
  } finally {
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const feedPaths = (sim: Simulator) => sim.requests.filter((r) => r.path.includes('/events.json')).map((r) => r.path.replace(/^\/\d+/, ''));

function projectWith(sim: Simulator, tools: string[]): Json {
  const p = (sim.expectedRecords('projects') as Json[]).find((x) => {
    const on = new Set((x.dock as Json[]).filter((t) => t.enabled).map((t) => t.name));
    return x.status === 'active' && tools.every((n) => on.has(n));
  });
  if (!p) throw new Error(`no project with ${tools.join(', ')}`);
  return p;
}

function bookmarkOf(o: FeedOutcome): FeedBookmark {
  if (o.kind === 'unavailable') throw new Error('feed unavailable');
  return o.bookmark;
}

describe('readEventFeed against the simulator', () => {
  it('enters at the present on a first run, then reads the hints of what changed since, across pages', () =>
    withReader({ feed: { pageSize: 2 } }, async ({ sim, read }) => {
      const p = projectWith(sim, ['message_board', 'chat', 'todoset']);
      sim.create('messages', { projectId: p.id }); // before the first run: never read
      const first = await read(undefined);
      expect(first).toMatchObject({ kind: 'read', events: 0, pages: 1 });
      expect(feedPaths(sim)).toEqual(['/events.json?since=now']);

      const message = sim.create('messages', { projectId: p.id });
      const line = sim.create('campfire_lines', { projectId: p.id });
      const todo = sim.create('todos', { projectId: p.id });
      sim.create('documents', { projectId: p.id }); // not cataloged: no hint
      sim.resetRequests();
      const second = await read(bookmarkOf(first));
      expect(second.kind).toBe('read');
      if (second.kind !== 'read') return;
      expect([second.events, second.pages]).toEqual([3, 2]);
      expect(second.hints.buckets).toEqual(new Set([p.id]));
      expect(second.hints.chatBuckets).toEqual(new Set([p.id]));
      expect(second.hints.recordings).toEqual(new Set([message, line, todo]));
      expect(second.hints.types).toEqual(
        new Map([
          ['message.created', 1],
          ['chat.line.created', 1],
          ['todo.created', 1],
        ]),
      );
      expect(second.bookmark.last_id).toBe(sim.feed.head());

      // Nothing changed: one page, no hints.
      const third = await read(second.bookmark);
      expect(third).toMatchObject({ kind: 'read', events: 0, pages: 1 });
    }));

  it('follows empty pages that still carry next across excluded history', () =>
    withReader({ feed: { scanWindow: 50 } }, async ({ sim, read }) => {
      const p = projectWith(sim, ['todoset']);
      const first = bookmarkOf(await read(undefined));
      sim.feed.skipIds(120);
      const todo = sim.create('todos', { projectId: p.id });
      sim.resetRequests();
      const next = await read(first);
      expect(next).toMatchObject({ kind: 'read', events: 1, pages: 3 });
      expect(next.kind === 'read' && [...next.hints.recordings]).toEqual([todo]);
      expect(feedPaths(sim)).toHaveLength(3);
    }));

  it('re-enters with since=<last id> when the position is not recognised', () =>
    withReader({}, async ({ sim, read }) => {
      const p = projectWith(sim, ['message_board']);
      const first = bookmarkOf(await read(undefined));
      sim.create('messages', { projectId: p.id });
      const known = bookmarkOf(await read(first));
      const message = sim.create('messages', { projectId: p.id });
      sim.resetRequests();
      const again = await read({ position: 'bm90LWEtcG9zaXRpb24', last_id: known.last_id });
      expect(again).toMatchObject({ kind: 'read', events: 1 });
      expect(again.kind === 'read' && [...again.hints.recordings]).toEqual([message]);
      expect(feedPaths(sim)[1]).toBe(`/events.json?since=${known.last_id}`);
    }));

  it('answers a raised epoch (410) with a restart through resume', () =>
    withReader({}, async ({ sim, read }) => {
      const p = projectWith(sim, ['message_board']);
      const first = bookmarkOf(await read(undefined));
      sim.create('messages', { projectId: p.id });
      sim.feed.raiseEpoch();
      const kept = sim.create('messages', { projectId: p.id });
      sim.resetRequests();
      const after = await read(first);
      expect(after.kind).toBe('restart');
      if (after.kind !== 'restart') return;
      expect(after.why).toMatch(/410/);
      expect([...after.hints.recordings]).toEqual([kept]);
      expect(sim.requests.map((r) => r.status)).toEqual([410, 200]);
      // The position handed back reads on from there.
      expect(await read(after.bookmark)).toMatchObject({ kind: 'read', events: 0 });
    }));

  it.each(['forbidden', 'missing'] as const)('an account whose feed is %s: unavailable, one info line, the run goes on', (eventFeed) =>
    withReader({ readings: { eventFeed } }, async ({ read, lines }) => {
      for (const stored of [undefined, { position: 'x' }]) {
        lines.length = 0;
        expect(await read(stored)).toEqual({ kind: 'unavailable', status: eventFeed === 'forbidden' ? 403 : 404 });
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/INFO .*does not serve the event feed/);
      }
    }),
  );
});
