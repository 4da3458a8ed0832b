/**
 * MoveGate: reads below a record whose updated_at moved wait for the other walks, then are made
 * only where no changed child (directly, or through a parent read for its counts) accounts for it.
 */
import { MoveGate } from '../../src/sync/moves';
import { Job } from '../../src/sync/job';
import { Node } from '../../src/sync/node';
import { TOUCH_SLACK_MS } from '../../src/sync/refresh';

const SINCE = Date.parse('2026-12-06T10:00:00Z');
const T = SINCE + 30 * 60_000;
const groupsOf = (listId: number, atMs: number): Job =>
  ({ stream: { name: 'todolist_groups' }, path: `/todolists/${listId}/groups.json`, parentMoved: { stream: 'todolists', id: listId, atMs } }) as unknown as Job;

function gate() {
  const ran: string[] = [];
  const g = new MoveGate((job) => ran.push(job.path!), SINCE);
  return { g, ran };
}

describe('MoveGate', () => {
  it('holds a read until every walk but its parent’s own is done, then decides', () => {
    const { g, ran } = gate();
    g.walkQueued('todolists');
    g.walkQueued('todos');
    g.walkQueued('todos');
    const root = new Node(undefined);
    expect(g.hold(groupsOf(1, T), root)).toBe(true);
    g.walkDone('todos');
    expect(ran).toEqual([]);
    g.walkDone('todos'); // the Todolist walk is still going: its own reads do not wait for it
    expect(ran).toEqual(['/todolists/1/groups.json']);
  });

  it('a read with nothing to wait for is decided at once; one without a moved parent is always made', () => {
    const { g } = gate();
    expect(g.hold(groupsOf(1, T), new Node(undefined))).toBe(false);
    expect(g.wanted({ path: '/x' } as Job)).toBe(true);
  });

  it.each<[string, (g: MoveGate) => void, boolean]>([
    ['nothing changed below the list', () => undefined, true],
    ['a to-do in the list changed with it', (g) => g.seen(1, T), false],
    ['a to-do in the list changed within the slack', (g) => g.seen(1, T - TOUCH_SLACK_MS), false],
    ['a to-do in the list changed earlier: something unseen moved it since', (g) => g.seen(1, T - 1_000), true],
    ['a to-do in another list changed', (g) => g.seen(2, T), true],
    [
      'a to-do in one of its groups changed (the group read for its counts sits in the list)',
      (g) => {
        g.seen(10, T);
        g.placed(10, 1);
      },
      false,
    ],
    ['a to-do in a group of another list', (g) => (g.seen(10, T), g.placed(10, 2)), true],
  ])('%s: groups read %s', (_name, note, expected) => {
    const { g } = gate();
    note(g);
    expect(g.wanted(groupsOf(1, T))).toBe(expected);
  });

  it('a list whose stamp is not after the last completed run: that run read its groups', () => {
    const { g } = gate();
    expect(g.wanted(groupsOf(1, SINCE))).toBe(false);
    expect(g.wanted(groupsOf(1, SINCE + 1))).toBe(true);
  });

  it('a held read not made finishes its node, so what waits on it is committed', () => {
    const { g, ran } = gate();
    g.walkQueued('todos');
    let finished = false;
    const root = new Node(undefined, () => (finished = true));
    g.seen(1, T);
    expect(g.hold(groupsOf(1, T), root)).toBe(true);
    root.finish();
    expect(finished).toBe(false);
    g.walkDone('todos');
    expect(ran).toEqual([]);
    expect(finished).toBe(true);
  });
});
