/**
 * Basecamp 2's pure pieces: its paging, which product an account is, and the read plan of a
 * feed run (which streams come from /events.json and which are walked).
 */
import { BASECAMP_2, BASECAMP_3 } from '../../src/api';
import { StreamSelection } from '../../src/catalog';
import { ReadPlan } from '../../src/plan';
import { PRODUCTS, productOf } from '../../src/products';
import { BookmarkManager, parseState } from '../../src/state';
import { apiPath, eventProject } from '../../src/streams/bcx';

const page = (url: string, count: number) => {
  const next = BASECAMP_2.paging.next({ url, headers: {}, count });
  return next.kind === 'next' ? next.url : next.kind;
};
const ROOT = 'https://basecamp.com/999/api/v1';

describe('Basecamp 2 paging (?page=N, 50 a page, no Link)', () => {
  it('a full page asks for the next one by number, keeping the query', () => {
    expect(page(`${ROOT}/projects/1/topics.json`, 50)).toBe(`${ROOT}/projects/1/topics.json?page=2`);
    expect(page(`${ROOT}/events.json?since=2024-01-01T00%3A00%3A00Z&page=2`, 50)).toBe(`${ROOT}/events.json?since=2024-01-01T00%3A00%3A00Z&page=3`);
  });
  it('fewer than 50 is the last page; more than 50 is a list that does not page', () => {
    expect(page(`${ROOT}/projects/1/topics.json?page=3`, 49)).toBe('last');
    expect(page(`${ROOT}/projects/1/topics.json`, 0)).toBe('last');
    expect(page(`${ROOT}/projects/1/todolists.json`, 51)).toBe('last');
  });
  it('/projects.json and /people.json are never paged (they answer everything on every page)', () => {
    expect(page(`${ROOT}/projects.json`, 50)).toBe('last');
    expect(page(`${ROOT}/people.json`, 50)).toBe('last');
    expect(page(`${ROOT}/projects/archived.json`, 50)).toBe(`${ROOT}/projects/archived.json?page=2`);
    expect(page(`${ROOT}/people/trashed.json`, 50)).toBe(`${ROOT}/people/trashed.json?page=2`);
  });
  it('a page that repeats the last ends the walk (a list ignoring page)', () => {
    expect(BASECAMP_2.paging.repeatsEnd).toBe(true);
    expect(BASECAMP_3.paging.repeatsEnd).toBeFalsy();
  });
  it('the API roots and default rates', () => {
    expect(BASECAMP_2.accountBase({ api_url: 'https://basecamp.com', account_id: 7 })).toBe('https://basecamp.com/7/api/v1');
    expect(BASECAMP_3.accountBase({ api_url: 'https://3.basecampapi.com', account_id: 7 })).toBe('https://3.basecampapi.com/7');
    expect([BASECAMP_3.requestsPer10s, BASECAMP_2.requestsPer10s]).toEqual([50, 500]);
  });
});

describe('which product an account is', () => {
  const accounts = [
    { id: 1, product: 'bc3', name: 'New' },
    { id: 2, product: 'bcx', name: 'Old' },
    { id: 3, product: 'basecamp', name: 'Classic' },
  ];
  it('the listed product', () => {
    expect(productOf(1, accounts)).toBe(PRODUCTS.bc3);
    expect(productOf(2, accounts)).toBe(PRODUCTS.bcx);
  });
  it('an account not listed is one line naming those that are', () => {
    expect(() => productOf(9, accounts)).toThrow(
      'account 9 is not among the accounts this token can see: 1 (bc3, New), 2 (bcx, Old), 3 (basecamp, Classic); check account_id, or set basecamp_product',
    );
  });
  it('a product the tap does not read says so', () => {
    expect(() => productOf(3, accounts)).toThrow('account 3 is a "basecamp" account');
  });
});

describe('payload urls', () => {
  it('apiPath takes the account-relative path of an API url', () => {
    expect(apiPath('https://basecamp.com/999/api/v1/projects/605816632/todos/223304243.json')).toBe('/projects/605816632/todos/223304243.json');
    expect(apiPath('https://basecamp.com/999/api/v1/people/149087659-jason-fried.json')).toBe('/people/149087659-jason-fried.json');
    expect(apiPath('https://basecamp.com/999/projects/1')).toBeUndefined();
    expect(apiPath(undefined)).toBeUndefined();
  });
  it('an event concerns the project of its bucket, or of its eventable url', () => {
    expect(eventProject({ bucket: { id: 5, type: 'Project' } })).toBe(5);
    expect(eventProject({ bucket: { id: 6, type: 'Calendar' } })).toBeUndefined();
    expect(eventProject({ eventable: { url: `${ROOT}/projects/7/todos/1.json` } })).toBe(7);
  });
});

describe('when a Basecamp 2 record changed, as its cursor sees it', () => {
  const by = (name: string) => PRODUCTS.bcx.byName.get(name)!;
  it("a project's tool summaries and a person's activity count move it; an event's correction does", () => {
    const project = {
      updated_at: '2024-01-01T00:00:00-05:00',
      topics: { count: 3, updated_at: '2024-02-01T00:00:00-05:00' },
      documents: { count: 0, updated_at: null },
    };
    expect(by('projects').changedAt(project, 'updated_at')).toBe('2024-02-01T00:00:00-05:00');
    expect(by('people').changedAt({ updated_at: '2024-01-01T00:00:00Z', events: { updated_at: '2023-01-01T00:00:00Z' } }, 'updated_at')).toBe(
      '2024-01-01T00:00:00Z',
    );
    expect(by('events').changedAt({ created_at: '2024-01-01T10:00:00-05:00', updated_at: '2024-01-01T10:05:00-05:00' }, 'created_at')).toBe(
      '2024-01-01T10:05:00-05:00',
    );
    expect(by('todos').changedAt({ updated_at: '2024-01-01T00:00:00Z', todolist: { updated_at: '2025-01-01T00:00:00Z' } }, 'updated_at')).toBe(
      '2024-01-01T00:00:00Z',
    );
  });
});

describe('the read plan of a Basecamp 2 run', () => {
  const all = (): Map<string, StreamSelection> => new Map(PRODUCTS.bcx.streams.map((s) => [s.name, { incremental: s.replicationKey !== undefined }]));
  const by = (name: string) => PRODUCTS.bcx.byName.get(name)!;

  it('a walk run walks every tool and reads /events.json only when it is selected', () => {
    const plan = new ReadPlan(PRODUCTS.bcx.streams, all(), false);
    expect(plan.traverses(by('todolists'), { projectId: 1 }, 'projects')).toBe(true);
    expect(plan.traverses(by('todolists'), {}, 'events')).toBe(false);
    expect(plan.traverses(by('messages'), { projectId: 1 }, 'topics')).toBe(true);
    const noEvents = all();
    noEvents.delete('events');
    expect(new ReadPlan(PRODUCTS.bcx.streams, noEvents, false).readsActive(by('events'))).toBe(false);
  });

  it('a feed run reads changed records from the events, and walks only what the feed cannot tell', () => {
    const plan = new ReadPlan(PRODUCTS.bcx.streams, all(), true);
    expect(plan.traverses(by('todolists'), { projectId: 1 }, 'projects')).toBe(false);
    expect(plan.traverses(by('todolists'), { projectId: 1 }, 'events')).toBe(true);
    expect(plan.traverses(by('messages'), { projectId: 1 }, 'topics')).toBe(false);
    // Full-table accesses have no feed: walked every run.
    expect(plan.traverses(by('accesses'), { projectId: 1 }, 'projects')).toBe(true);
    // Comments come with the shows that are read, however they were found.
    expect(plan.traverses(by('comments'), { projectId: 1 }, 'messages')).toBe(true);
    // A project no earlier run walked is walked whole.
    expect(plan.traverses(by('todolists'), { projectId: 1, fullWalk: true }, 'projects')).toBe(true);
    expect(plan.traverses(by('todolists'), { projectId: 1, fullWalk: true }, 'events')).toBe(false);
    // What the feed names leads to what changed with it: a to-do's list, its assignee.
    expect(plan.traverses(by('todolists'), { projectId: 1 }, 'todos')).toBe(true);
    expect(plan.traverses(by('people'), { projectId: 1 }, 'todos')).toBe(true);
    // Only a project walked whole reads its own events (the account-wide feed hid them while trashed).
    expect(plan.traverses(by('events'), { projectId: 1, fullWalk: true }, 'projects')).toBe(true);
    expect(plan.traverses(by('events'), { projectId: 1 }, 'projects')).toBe(false);
    // A listed record's show is needed for what it embeds: a list's comments (and, walked, its to-dos).
    expect(plan.readsAnyEmbedded(by('todolists'), { projectId: 1 })).toBe(true);
    expect(plan.readsAnyEmbedded(by('people'), {})).toBe(false);
  });

  it('a walk run reads no feed edge and no project-own events', () => {
    const plan = new ReadPlan(PRODUCTS.bcx.streams, all(), false);
    expect(plan.traverses(by('todolists'), { projectId: 1 }, 'todos')).toBe(false);
    expect(plan.traverses(by('events'), { projectId: 1 }, 'projects')).toBe(false);
    expect(plan.readsAnyEmbedded(by('todolists'), { projectId: 1 })).toBe(true);
  });

  it('a stream kept FULL_TABLE is walked in a feed run too', () => {
    const selection = all();
    selection.set('todos', { incremental: false });
    const plan = new ReadPlan(PRODUCTS.bcx.streams, selection, true);
    expect(plan.traverses(by('todos'), { projectId: 1 }, 'todolists')).toBe(true);
    expect(plan.traverses(by('todos'), { projectId: 1 }, 'events')).toBe(false);
  });
});

describe('the feed bookmark', () => {
  it('a completed run records its start and the projects it walked; a later one adds to them', () => {
    const first = new BookmarkManager({ bookmarks: {} });
    expect(first.feedSince()).toBeUndefined();
    first.setSignpost('2026-01-02T03:04:05.000Z');
    first.completeFeed([3, 1], [], ['todos', 'messages']);
    const saved = parseState(JSON.parse(JSON.stringify(first.value())), 'saved');
    expect(saved.feed).toEqual({ since: '2026-01-02T03:04:05.000Z', projects: [1, 3], trashed: [], streams: ['messages', 'todos'] });
    const second = new BookmarkManager(saved);
    expect([second.feedKnows(1, false), second.feedKnows(2, false)]).toEqual([true, false]);
    expect([second.feedCovers('todos'), second.feedCovers('topics')]).toEqual([true, false]);
    second.setSignpost('2026-01-03T00:00:00.000Z');
    second.completeFeed([2], [7], ['todos']);
    expect(second.value().feed).toEqual({ since: '2026-01-03T00:00:00.000Z', projects: [1, 2, 3], trashed: [7], streams: ['todos'] });
    // A project seen trashed is known while it stays trashed; restored, it is walked whole.
    const third = new BookmarkManager(parseState(second.value(), 's'));
    expect([third.feedKnows(7, true), third.feedKnows(7, false)]).toEqual([true, false]);
  });
  it('a malformed feed bookmark is refused in one line', () => {
    expect(() => parseState({ feed: { since: 'yesterday' } }, 's.json')).toThrow(/state s\.json is malformed: feed\.since must be an RFC 3339 date-time/);
  });
});
