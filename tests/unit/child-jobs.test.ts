/**
 * Which jobs one record leads to, as values (src/sync/children.ts): the context its children are
 * read in, and each child job with the path, cursor key and flags the engine runs it with.
 */
import { StreamSelection, defaultSelection } from '../../src/catalog';
import { Context, ReadPlan } from '../../src/plan';
import { PRODUCTS } from '../../src/products';
import { ChildRules, ScopeRules, childJobs, childScope, fanOut, namedChildJobs } from '../../src/sync/children';
import { Job } from '../../src/sync/job';
import { prepare } from '../../src/sync/record';
import { Json } from '../../src/streams/stream';

const bc3 = PRODUCTS.bc3.byName;
const bcx = PRODUCTS.bcx.byName;
const T = '2026-01-01T00:00:00.000Z';
const noWalkListed: ChildRules = { walkLists: () => false };
const known: ScopeRules = {
  newToReplica: () => false,
  projectRead: () => 'all',
  archivedPlan: () => ({ projectId: 0, updatedAt: T, emit: new Set(), traverse: new Set() }),
};
const bc3Plan = () => new ReadPlan(PRODUCTS.bc3.streams, defaultSelection());
const bcxAll = (): Map<string, StreamSelection> => new Map(PRODUCTS.bcx.streams.map((s) => [s.name, { incremental: s.replicationKey !== undefined }]));
/** A job as the table shows it: stream, path (or embedded count) and the flags set. */
const show = (j: Job) => {
  const flags = (['shown', 'force', 'fromFeed', 'once'] as const).filter((f) => j[f]);
  const key = j.cursorKey === undefined ? [] : [`cursor ${j.cursorKey}`];
  const held = j.heldFor === undefined ? [] : [`held for ${j.heldFor}`];
  return [j.stream.name, j.path ?? `${j.embedded!.length} embedded`, ...key, ...held, ...flags].join(' | ');
};

describe('the context a record’s children are read in', () => {
  const project = (status: string): Json => ({ id: 7, status, updated_at: T, dock: [] });
  const plan = bc3Plan();
  const rules: ScopeRules = { newToReplica: () => false, projectRead: () => 'all', archivedPlan: (p) => plan.archivedPlan(p, () => undefined) };
  it.each([
    ['an active project: its own context', project('active'), rules, { ctx: { projectId: 7 } }],
    ['a trashed project: nothing below it is read', project('trashed'), rules, {}],
    [
      'a project new to the replica in a run that reads only changes: walked whole',
      project('active'),
      { ...rules, newToReplica: () => true },
      { ctx: { projectId: 7, fullWalk: true } },
    ],
  ])('%s', (_row, record, scopeRules, expected) => {
    expect(childScope(bc3.get('projects')!, record, {}, scopeRules)).toEqual(expected);
  });
  it('an archived project: its walk’s plan, in the context and to be remembered', () => {
    const scope = childScope(bc3.get('projects')!, project('archived'), {}, rules);
    expect(scope.ctx?.archived).toBe(scope.archived);
    expect(scope.archived?.traverse.has('todolists')).toBe(true);
  });
  it('an archived project whose walk has nothing to read: nothing below it is read', () => {
    expect(childScope(bc3.get('projects')!, project('archived'), {}, known)).toEqual({});
  });
  it('an account-level record: the project of its bucket', () => {
    expect(childScope(bc3.get('campfires')!, { id: 3, bucket: { id: 9 } }, {}, known)).toEqual({ ctx: { projectId: 9 } });
    const inProject: Context = { projectId: 4 };
    expect(childScope(bc3.get('todolists')!, { id: 3, bucket: { id: 9 } }, inProject, known).ctx).toBe(inProject);
  });
});

describe('the jobs one Basecamp 3 record leads to', () => {
  const plan = bc3Plan();
  const active: Context = { projectId: 1 };
  it('an active project: its per-project lists and enabled dock tools; recordings come from the walks', () => {
    const project = {
      id: 1,
      status: 'active',
      timesheet_enabled: false,
      dock: [
        { id: 10, name: 'todoset', enabled: true },
        { id: 11, name: 'inbox', enabled: false },
      ],
    };
    expect(childJobs(plan, bc3.get('projects')!, project, active, 0, noWalkListed).map(show)).toEqual([
      'project_people | /projects/1/people.json',
      'gauge_needles | /projects/1/gauge/needles.json',
      'message_types | /buckets/1/categories.json',
      'todosets | /todosets/10.json',
    ]);
  });
  it('a to-do list: its groups in every status, held until the Todolist walk shows whether it lists them', () => {
    expect(childJobs(plan, bc3.get('todolists')!, { id: 5 }, active, 1, noWalkListed).map(show)).toEqual([
      'todolist_groups | /todolists/5/groups.json | held for todolist_groups',
      'todolist_groups | /todolists/5/groups.json?status=archived | held for todolist_groups',
      'todolist_groups | /todolists/5/groups.json?status=trashed | held for todolist_groups',
    ]);
  });
  it('a to-do list once the walk is known to list groups: nothing per list', () => {
    expect(childJobs(plan, bc3.get('todolists')!, { id: 5 }, active, 1, { walkLists: () => true })).toEqual([]);
  });
  it('a campfire: its lines, newest first, with a cursor per campfire', () => {
    const [lines] = childJobs(plan, bc3.get('campfires')!, { id: 3 }, active, 1, noWalkListed);
    expect(show(lines!)).toBe('campfire_lines | /chats/3/lines.json?sort=created_at&direction=desc | cursor 3');
    expect([lines!.newestFirst, lines!.depth]).toEqual([true, 2]);
  });
  it('a card table: its columns embedded in it, each knowing where it was found', () => {
    const [columns] = childJobs(plan, bc3.get('card_tables')!, { id: 4, lists: [{ id: 1 }, { id: 2 }] }, active, 2, noWalkListed);
    expect(show(columns!)).toBe('card_table_columns | 2 embedded');
    expect(columns!.foundIn).toEqual({ stream: 'card_tables', record: { id: 4 } });
  });
  it('a leaf stream leads nowhere', () => {
    expect(childJobs(plan, bc3.get('people')!, { id: 1 }, {}, 0, noWalkListed)).toEqual([]);
  });
  it.each([
    ['written (new, or its updated_at moved): its file history', true, ['upload_versions | /uploads/8/versions.json']],
    ['passed unchanged by a walk: nothing (its history changes only with it)', false, []],
  ])('an upload %s', (_row, written, expected) => {
    expect(childJobs(plan, bc3.get('uploads')!, { id: 8 }, active, 1, noWalkListed, written).map(show)).toEqual(expected);
    expect(fanOut(plan, bc3.get('uploads')!, { id: 8, bucket: { id: 1 } }, {}, 1, false, { ...noWalkListed, ...known }, written).jobs.map(show)).toEqual(
      expected,
    );
  });
  it('a to-do set: its hill chart, knowing which set it belongs to (the payload does not say)', () => {
    const [hill] = childJobs(plan, bc3.get('todosets')!, { id: 10 }, active, 1, noWalkListed, false);
    expect(show(hill!)).toBe('hill_charts | /todosets/10/hill.json');
    expect(hill!.foundIn).toEqual({ stream: 'todosets', record: { id: 10 } });
    expect(prepare(bc3.get('hill_charts')!, { enabled: true, dots: [] }, active, hill!.foundIn)).toEqual({
      enabled: true,
      dots: [],
      project_id: 1,
      todoset_id: 10,
    });
  });
});

describe('the jobs one Basecamp 2 record leads to', () => {
  const event = {
    id: 1,
    bucket: { id: 7, type: 'Project' },
    creator: { id: 3 },
    eventable: { type: 'Todo', url: 'https://basecamp.com/1/api/v1/projects/7/todos/9.json' },
  };
  it('a feed run, an event: what it names, read once a run, the shows written whatever their cursor', () => {
    const plan = new ReadPlan(PRODUCTS.bcx.streams, bcxAll(), true);
    expect(childJobs(plan, bcx.get('events')!, event, { projectId: 7 }, 0, noWalkListed).map(show)).toEqual([
      'projects | /projects/7.json | shown | force | fromFeed | once',
      'people | /people/3.json | shown | force | fromFeed | once',
      'topics | /projects/7/topics.json | fromFeed | once',
      'topics | /projects/7/topics/archived.json | fromFeed | once',
      'todos | /projects/7/todos/9.json | shown | force | fromFeed | once',
      'attachments | /projects/7/attachments.json | fromFeed | once',
    ]);
  });
  it('a walk run, a to-do list show: its embedded to-dos and comments, no per-list to-do reads', () => {
    const plan = new ReadPlan(PRODUCTS.bcx.streams, bcxAll(), false);
    const list = { id: 2, project_id: 7, comments: [{ id: 1 }], todos: { remaining: [{ id: 5 }], completed: [], trashed: [] } };
    expect(childJobs(plan, bcx.get('todolists')!, list, { projectId: 7 }, 1, noWalkListed).map(show)).toEqual(['comments | 1 embedded', 'todos | 1 embedded']);
  });
  it('a feed run, a to-do the feed named: its comments, its list and its assignee, nothing it contains', () => {
    const plan = new ReadPlan(PRODUCTS.bcx.streams, bcxAll(), true);
    const todo = { id: 9, project_id: 7, todolist_id: 2, assignee: { id: 4 }, comments: [{ id: 1 }] };
    expect(namedChildJobs(plan, bcx.get('todos')!, todo, { projectId: 7 }, 1).map(show)).toEqual([
      'people | /people/4.json | shown | fromFeed | once',
      'comments | 1 embedded',
      'todolists | /projects/7/todolists/2.json | shown | fromFeed | once',
    ]);
  });
});

describe('everything one record leads to, and what is remembered once it is written', () => {
  const plan = bc3Plan();
  const rules = {
    ...noWalkListed,
    newToReplica: () => false,
    projectRead: () => 'all' as const,
    archivedPlan: (p: Json) => plan.archivedPlan(p, () => undefined),
  };
  const project = (status: string) => ({ id: 7, status, updated_at: T, dock: [] });
  const summary = (record: Json, stream = 'projects', ctx: Context = {}, named = false) => {
    const out = fanOut(plan, bc3.get(stream)!, record, ctx, 0, named, rules);
    return { jobs: out.jobs.length, subtree: out.subtree, archived: out.archived !== undefined };
  };
  it.each([
    [
      'an active project: its jobs; its subtree remembered as walked',
      project('active'),
      { jobs: 3, subtree: { stream: 'projects', id: 7, updatedAt: T, project: 'walked' }, archived: false },
    ],
    [
      'a trashed project: no jobs; remembered as seen trashed',
      project('trashed'),
      { jobs: 0, subtree: { stream: 'projects', id: 7, updatedAt: T, project: 'trashed' }, archived: false },
    ],
    [
      'an archived project: its tools walked, the walk remembered',
      project('archived'),
      // Its memberships, needles and message types, and its links in each status.
      { jobs: 6, subtree: { stream: 'projects', id: 7, updatedAt: T, project: 'walked' }, archived: true },
    ],
  ])('%s', (_row, record, expected) => {
    expect(summary(record)).toEqual(expected);
  });
  it('an archived project’s links: the Door walk scoped to it, in each status; an active project’s come from the account-wide walk', () => {
    const doors = (status: string) =>
      fanOut(plan, bc3.get('projects')!, project(status), {}, 0, false, rules)
        .jobs.filter((j) => j.stream.name === 'external_links')
        .map((j) => j.path);
    expect(doors('archived')).toEqual(
      ['active', 'archived', 'trashed'].map((s) => `/projects/recordings.json?type=Door&bucket=7&sort=updated_at&direction=desc&status=${s}`),
    );
    expect(doors('active')).toEqual([]);
  });
  it('inside an archived project’s walk a subtree is not remembered (the walk is, whole)', () => {
    const archived = plan.archivedPlan(project('archived'), () => undefined);
    expect(summary({ id: 5, updated_at: T }, 'todolists', { projectId: 7, archived }).subtree).toBeUndefined();
    expect(summary({ id: 5, updated_at: T }, 'todolists', { projectId: 7 }).subtree).toEqual({ stream: 'todolists', id: 5, updatedAt: T });
  });
  it('a leaf stream leads nowhere and remembers nothing', () => {
    expect(summary({ id: 1 }, 'people')).toEqual({ jobs: 0, subtree: undefined, archived: false });
  });
});
