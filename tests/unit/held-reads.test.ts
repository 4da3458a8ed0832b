/**
 * The engine's gate for per-parent reads a recordings walk may make unnecessary
 * (src/sync/held.ts): to-do list groups read per list, until the Todolist walks show whether
 * they list groups themselves.
 */
import { defaultSelection } from '../../src/catalog';
import { ReadPlan } from '../../src/plan';
import { PRODUCTS } from '../../src/products';
import { HeldReads } from '../../src/sync/held';
import { Job } from '../../src/sync/job';
import { Node } from '../../src/sync/node';

const by = PRODUCTS.bc3.byName;
const todolists = by.get('todolists')!;
const groupsRead: Job = {
  stream: by.get('todolist_groups')!,
  path: '/todolists/5/groups.json',
  ctx: { projectId: 1 },
  depth: 2,
  root: false,
  newestFirst: false,
  heldFor: 'todolist_groups',
};

function gate(listedBefore = false) {
  const ran: Job[] = [];
  const listed: Array<[string, number]> = [];
  const plan = new ReadPlan(PRODUCTS.bc3.streams, defaultSelection());
  const held = new HeldReads(
    plan,
    PRODUCTS.bc3.streams,
    () => listedBefore,
    (job) => ran.push(job),
    (name, dropped) => listed.push([name, dropped]),
  );
  return { held, ran, listed };
}

describe('reads held for what a walk lists', () => {
  it('no walk queued: nothing is held', () => {
    const { held } = gate();
    expect(held.hold(groupsRead, new Node())).toBe(false);
  });

  it('held while walks read; run once every walk has ended without listing one', () => {
    const { held, ran } = gate();
    held.walkQueued(todolists);
    held.walkQueued(todolists);
    expect(held.hold(groupsRead, new Node())).toBe(true);
    held.walkEnded(todolists);
    expect(ran).toEqual([]);
    held.walkEnded(todolists);
    expect(ran).toEqual([groupsRead]);
  });

  it('a walk lists a group: the held reads are dropped (their nodes done), and said once', () => {
    const { held, ran, listed } = gate();
    held.walkQueued(todolists);
    const parent = new Node();
    let done = false;
    parent.then(() => (done = true));
    held.hold(groupsRead, parent);
    parent.finish();
    expect(done).toBe(false);
    expect(held.ownerOf(todolists, { id: 9, parent: { type: 'Todolist' } }).name).toBe('todolist_groups');
    expect(held.ownerOf(todolists, { id: 10, parent: { type: 'Todolist' } }).name).toBe('todolist_groups');
    expect([done, listed, held.listed('todolist_groups')]).toEqual([true, [['todolist_groups', 1]], true]);
    held.walkEnded(todolists);
    expect(ran).toEqual([]);
  });

  it('a to-do list in the walk stays a to-do list', () => {
    const { held, listed } = gate();
    expect(held.ownerOf(todolists, { id: 9, parent: { type: 'Todoset' } })).toBe(todolists);
    expect(listed).toEqual([]);
  });

  it('an earlier run saw the walk list groups: known listed from the start', () => {
    expect(gate(true).held.listed('todolist_groups')).toBe(true);
    expect(gate(false).held.listed('todolist_groups')).toBe(false);
  });
});
