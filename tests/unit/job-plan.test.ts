/**
 * The per-job decisions of incremental sync, as a table: for one collection read, its cursor,
 * whether it stops there, its ETag, its resume point and where its cursor is committed
 * (src/sync/job.ts).
 */
import { CursorSource, JobFacts, JobPlan, jobPlan } from '../../src/sync/job';
import { earliest } from '../../src/sync/job-read';

const START = '2020-01-01T00:00:00Z';
const STREAM_CURSOR = '2025-01-01T00:00:00Z';
const PARTITION_CURSOR = '2025-06-01T00:00:00Z';
const RESUME = { newest: '2025-09-01T00:00:00Z', reached: '2025-08-01T00:00:00Z', page: 'https://x/list.json?page=3' };

const bookmarks: CursorSource = {
  startDate: START,
  cursor: (key) => (key === undefined ? STREAM_CURSOR : PARTITION_CURSOR),
  resume: (key) => (key === 'resumed' ? RESUME : undefined),
};

const incremental: JobFacts = {
  writes: true,
  incremental: true,
  archived: false,
  cursorPerParent: false,
  wholeProject: false,
  hasChildren: false,
  signalled: false,
  inActiveProject: false,
  childrenPastWrites: false,
  followsParentWrites: false,
  passesCursor: false,
  hasReplicationKey: true,
  cursorStreams: ['s'],
};
const fullTable: JobFacts = { ...incremental, incremental: false, hasReplicationKey: false };
const list = { newestFirst: false, root: false, path: '/buckets/1/list.json' };
const walk = { newestFirst: true, root: true, path: '/projects/recordings.json', cursorKey: 'active', walk: true };
const lines = { newestFirst: true, root: false, path: '/chats/7/lines.json?sort=created_at&direction=desc', cursorKey: '7' };
const perParent: JobFacts = { ...incremental, cursorPerParent: true };

describe('per job: cursor, stop, ETag, resume and commit', () => {
  const rows: Array<[string, Parameters<typeof jobPlan>[0], JobFacts, Partial<JobPlan>]> = [
    [
      'a whole list, incremental: filtered on the stream cursor, committed at the end of the run',
      list,
      incremental,
      { cursor: STREAM_CURSOR, stopAtCursor: false, commit: 'end-of-run', etag: false, trackWalk: false },
    ],
    ['a whole list, full-table leaf: no cursor, revalidated with its ETag', list, fullTable, { cursor: undefined, etag: true, commit: 'none' }],
    ['a full-table list with children: no ETag (a 304 would hide what it leads to)', list, { ...fullTable, hasChildren: true }, { etag: false }],
    [
      'a full-table list with children, read because a signal says its project changed: its ETag (a 304: no child count moved)',
      list,
      { ...fullTable, hasChildren: true, signalled: true },
      { etag: true },
    ],
    ['a signalled list not written here: no ETag', list, { ...fullTable, hasChildren: true, signalled: true, writes: false }, { etag: false, keepEtag: false }],
    [
      'a full-table list with children in an active project, no signal: its ETag is kept for a later run, not sent',
      list,
      { ...fullTable, hasChildren: true, inActiveProject: true },
      { etag: false, keepEtag: true },
    ],
    ['a full-table list with children in an archived project: no ETag kept', list, { ...fullTable, hasChildren: true }, { etag: false, keepEtag: false }],
    ['a full-table leaf list: its ETag sent and kept', list, fullTable, { etag: true, keepEtag: true }],
    ['a full-table list read on the way, not written: no ETag', list, { ...fullTable, writes: false }, { etag: false }],
    ['a full-table root list: no ETag', { ...list, root: true }, fullTable, { etag: false }],
    ['records embedded in a parent: no ETag', { ...list, path: undefined }, fullTable, { etag: false }],
    [
      'newest-first, its own partition: stops at the partition cursor, committed when its subtree is done',
      walk,
      incremental,
      { cursor: PARTITION_CURSOR, stopAtCursor: true, commit: 'walk', trackWalk: true },
    ],
    [
      'a walk read only for the incremental streams it lists too: from their cursor, with no resume point of its own',
      walk,
      { ...incremental, writes: false, cursorStreams: ['rider'] },
      { cursor: PARTITION_CURSOR, stopAtCursor: true, commit: 'walk', trackWalk: false },
    ],
    [
      'newest-first, whose older records lead somewhere: walks past the cursor',
      walk,
      { ...incremental, passesCursor: true },
      { cursor: PARTITION_CURSOR, stopAtCursor: false },
    ],
    [
      'newest-first, cut short before: resumes from its window and page',
      { ...walk, cursorKey: 'resumed' },
      incremental,
      { resume: RESUME, resumeFromPage: true },
    ],
    [
      'newest-first, cut short before, with children: starts again from the top',
      { ...walk, cursorKey: 'resumed' },
      { ...incremental, hasChildren: true, childrenPastWrites: true },
      { resume: RESUME, resumeFromPage: false, topUpPasses: 3 },
    ],
    [
      'newest-first, cut short before, whose children follow its writes only: from the top, no top-up pass',
      { ...walk, cursorKey: 'resumed' },
      { ...incremental, hasChildren: true },
      { resume: RESUME, resumeFromPage: false, topUpPasses: 0 },
    ],
    [
      'a full-table leaf read below a written parent (an upload’s versions): no ETag',
      list,
      { ...fullTable, followsParentWrites: true },
      { cursor: undefined, etag: false, commit: 'none' },
    ],
    [
      'in an archived project: from start_date, all or nothing, no cursor kept',
      walk,
      { ...incremental, archived: true },
      { cursor: START, resume: undefined, commit: 'none', trackWalk: false },
    ],
    [
      'one cursor per parent (a campfire’s lines): its partition, committed when the walk is done',
      lines,
      perParent,
      { cursor: PARTITION_CURSOR, stopAtCursor: true, commit: 'walk', trackWalk: true },
    ],
    [
      'one cursor per parent, in an archived project: from start_date, all or nothing, yet its parent’s cursor is committed',
      lines,
      { ...perParent, archived: true },
      { cursor: START, resume: undefined, stopAtCursor: true, commit: 'walk', trackWalk: false, resumeFromPage: false },
    ],
    [
      'one cursor per parent, in an archived project, not written there: nothing committed',
      lines,
      { ...perParent, archived: true, writes: false, incremental: false },
      { cursor: undefined, commit: 'none', trackWalk: false },
    ],
    [
      'one cursor per parent, in an archived project, full-table: nothing committed',
      lines,
      { ...perParent, archived: true, incremental: false },
      { cursor: undefined, commit: 'none' },
    ],
    [
      'in a project walked whole: from start_date, cursor still committed',
      walk,
      { ...incremental, wholeProject: true },
      { cursor: START, resume: undefined, commit: 'walk' },
    ],
    [
      'not written here: no cursor, nothing committed',
      walk,
      { ...incremental, writes: false, incremental: false },
      { cursor: undefined, commit: 'none', trackWalk: false },
    ],
    ['a walk with no children to read: no top-up pass', walk, incremental, { topUpPasses: 0 }],
    [
      'a whole list with children: no top-up pass (it is read whole)',
      list,
      { ...incremental, hasChildren: true, childrenPastWrites: true },
      { topUpPasses: 0 },
    ],
  ];
  it.each(rows)('%s', (_row, job, facts, expected) => {
    expect(jobPlan(job, facts, bookmarks)).toMatchObject(expected);
  });
});

describe('the cursor a walk read for several streams starts at', () => {
  it.each([
    ['one stream: its cursor', ['2025-01-01T00:00:00Z'], '2025-01-01T00:00:00Z'],
    ['several: the earliest', ['2025-03-01T00:00:00Z', '2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z'], '2025-01-01T00:00:00Z'],
    ['one without a cursor: none (read from the start)', ['2025-03-01T00:00:00Z', undefined], undefined],
    ['none', [], undefined],
  ])('%s', (_row, cursors, want) => {
    expect(earliest(cursors)).toBe(want);
  });
});
