/**
 * What each product reads beyond the declared tree (src/products/bc3.ts, bcx.ts): the jobs a run
 * starts with, whether it reads only what changed, and where a change feed is read from.
 */
import { StreamSelection, defaultSelection } from '../../src/catalog';
import { ReadPlan } from '../../src/plan';
import { PRODUCTS } from '../../src/products';
import { BC3_STRATEGY } from '../../src/products/bc3';
import { BCX_STRATEGY, FEED_OVERLAP_MS } from '../../src/products/bcx';
import { Job } from '../../src/sync/job';
import { RunBookmarks, RunFacts, TREE } from '../../src/sync/strategy';

const bc3 = PRODUCTS.bc3.byName;
const bcx = PRODUCTS.bcx.byName;
const paths = (jobs: Job[]) => jobs.map((j) => [j.path, j.cursorKey ?? '', j.walk === true, j.priority ?? ''].join(' '));

function bookmarks(over: Partial<RunBookmarks> = {}): RunBookmarks {
  return { cursor: () => undefined, feedSince: () => undefined, feedCovers: () => false, feedKnows: () => false, ...over };
}
const bcxAll = (): Map<string, StreamSelection> => new Map(PRODUCTS.bcx.streams.map((s) => [s.name, { incremental: s.replicationKey !== undefined }]));
const bcxRun = (b: RunBookmarks, selection = bcxAll(), startDate?: string): RunFacts => ({ streams: PRODUCTS.bcx.streams, selection, bookmarks: b, startDate });

describe('each stream names its product’s strategy', () => {
  it('Basecamp 3 streams, Basecamp 2 streams', () => {
    expect(PRODUCTS.bc3.streams.every((s) => s.strategy === BC3_STRATEGY)).toBe(true);
    expect(PRODUCTS.bcx.streams.every((s) => s.strategy === BCX_STRATEGY)).toBe(true);
    expect(new ReadPlan(PRODUCTS.bcx.streams, bcxAll()).strategy).toBe(BCX_STRATEGY);
  });
});

describe('Basecamp 3: the recordings walks', () => {
  const plan = new ReadPlan(PRODUCTS.bc3.streams, defaultSelection());
  const run: RunFacts = { streams: PRODUCTS.bc3.streams, selection: defaultSelection(), bookmarks: bookmarks() };
  it.each([
    [
      'a stream with root paths only: one job per path',
      'projects',
      ['/projects.json  false ', '/projects.json?status=archived  false ', '/projects.json?status=trashed  false '],
    ],
    [
      'a recording stream: one walk per status, newest first, each with its own cursor',
      'messages',
      [
        '/projects/recordings.json?type=Message&status=active&sort=updated_at&direction=desc active true ',
        '/projects/recordings.json?type=Message&status=archived&sort=updated_at&direction=desc archived true ',
        '/projects/recordings.json?type=Message&status=trashed&sort=updated_at&direction=desc trashed true ',
      ],
    ],
    [
      'a walk that decides held reads (groups in the Todolist walk) runs first',
      'todolists',
      [
        '/projects/recordings.json?type=Todolist&status=active&sort=updated_at&direction=desc active true 1000',
        '/projects/recordings.json?type=Todolist&status=archived&sort=updated_at&direction=desc archived true 1000',
        '/projects/recordings.json?type=Todolist&status=trashed&sort=updated_at&direction=desc trashed true 1000',
      ],
    ],
  ])('%s', (_row, name, expected) => {
    expect(paths(BC3_STRATEGY.rootJobs(bc3.get(name)!, plan, run))).toEqual(expected);
  });

  it('which walk record is a group, which is a root vault', () => {
    expect(BC3_STRATEGY.listedIn(bc3.get('todolist_groups')!)).toBe('todolists');
    expect(BC3_STRATEGY.isListed(bc3.get('todolist_groups')!, { parent: { type: 'Todolist' } })).toBe(true);
    expect(BC3_STRATEGY.isListed(bc3.get('todolist_groups')!, { parent: { type: 'Todoset' } })).toBe(false);
    expect(BC3_STRATEGY.isListed(bc3.get('vaults')!, { parent: null })).toBe(true);
  });

  it('per-parent reads a walk may make unnecessary are held in active projects only', () => {
    const archived = plan.archivedPlan({ id: 1, updated_at: 'x' }, () => undefined);
    expect(BC3_STRATEGY.holds(bc3.get('todolist_groups')!, 'todolists', { projectId: 1 })).toBe(true);
    expect(BC3_STRATEGY.holds(bc3.get('todolist_groups')!, 'todolists', { projectId: 1, archived })).toBe(false);
    expect(BC3_STRATEGY.holds(bc3.get('todos')!, 'todolists', { projectId: 1 })).toBe(false);
  });

  it('an archived walk is remembered for streams whose changes touch the project', () => {
    expect(BC3_STRATEGY.remembersArchivedWalk(bc3.get('todos')!)).toBe(true);
    expect(BC3_STRATEGY.remembersArchivedWalk(bc3.get('project_people')!)).toBe(false);
  });
});

describe('Basecamp 2: walk run or feed run', () => {
  const covered = bookmarks({ feedSince: () => '2026-01-01T00:00:00.000Z', feedCovers: () => true });
  it.each([
    ['no run completed yet: a walk run', bookmarks(), false],
    ['a completed run covered every stream selected now: a feed run', covered, true],
    [
      'a stream selected since the feed’s bookmark: a walk run',
      bookmarks({ feedSince: () => '2026-01-01T00:00:00.000Z', feedCovers: (s) => s !== 'todos' }),
      false,
    ],
  ])('%s', (_row, b, feedRun) => {
    expect(BCX_STRATEGY.readsChanges(bcxRun(b))).toBe(feedRun);
  });

  it('the streams a feed bookmark covers: the selected incremental ones with feed parents', () => {
    const selection = bcxAll();
    selection.set('todos', { incremental: false });
    expect(BCX_STRATEGY.feedCovers(bcxRun(bookmarks(), selection))).toEqual([
      'projects',
      'people',
      'topics',
      'messages',
      'todolists',
      'documents',
      'attachments',
      'uploads',
      'calendar_events',
      'forwards',
    ]);
    expect(TREE.feedCovers(bcxRun(bookmarks()))).toBeUndefined();
  });

  const since = (job: Job) => decodeURIComponent(job.path!.replace('/events.json?since=', ''));
  const overlap = (at: string) => new Date(Date.parse(at) - FEED_OVERLAP_MS).toISOString();
  it.each([
    ['a feed run reads events from the last run’s start, less the overlap', true, covered, undefined, overlap('2026-01-01T00:00:00.000Z')],
    [
      'a walk run reads events from their own cursor, less the overlap',
      false,
      bookmarks({ cursor: () => '2025-06-01T00:00:00.000Z' }),
      undefined,
      overlap('2025-06-01T00:00:00.000Z'),
    ],
    ['no cursor: from start_date, less the overlap', false, bookmarks(), '2024-01-01T00:00:00Z', overlap('2024-01-01T00:00:00Z')],
    ['nothing at all: from the epoch', false, bookmarks(), undefined, '1970-01-01T00:00:00Z'],
  ])('%s', (_row, feedRun, b, startDate, expected) => {
    const plan = new ReadPlan(PRODUCTS.bcx.streams, bcxAll(), feedRun);
    const [job, ...more] = BCX_STRATEGY.rootJobs(bcx.get('events')!, plan, bcxRun(b, bcxAll(), startDate));
    expect([since(job!), more.length, job!.root]).toEqual([expected, 0, true]);
  });

  it('a project no earlier run walked is new to the replica in a feed run only', () => {
    const b = bookmarks({ feedKnows: (id) => id === 1 });
    const feed = new ReadPlan(PRODUCTS.bcx.streams, bcxAll(), true);
    const walk = new ReadPlan(PRODUCTS.bcx.streams, bcxAll(), false);
    expect([1, 2].map((id) => BCX_STRATEGY.newToReplica(feed, b, id, false))).toEqual([false, true]);
    expect(BCX_STRATEGY.newToReplica(walk, b, 2, false)).toBe(false);
  });

  it('the event log only grows; its other lists may lose records', () => {
    expect(BCX_STRATEGY.onlyGrows(bcx.get('events')!)).toBe(true);
    expect(BCX_STRATEGY.onlyGrows(bcx.get('topics')!)).toBe(false);
  });
});

describe('the statuses a stream’s listings serve (a parent read for its counts is written only in those)', () => {
  const byName = new Map<string, (typeof PRODUCTS.bc3.streams)[number]>(PRODUCTS.bc3.streams.map((s) => [s.name, s]));
  it.each<[string, string, boolean]>([
    ['questions', 'active', true],
    ['questions', 'trashed', false],
    ['todolist_groups', 'archived', true],
    ['todolist_groups', 'trashed', true],
    ['todolists', 'trashed', true],
    ['todos', 'archived', true],
    ['message_boards', 'trashed', false],
  ])('%s in %s: %s', (name, status, expected) => {
    expect(byName.get(name)!.listsStatus(status)).toBe(expected);
  });
});
