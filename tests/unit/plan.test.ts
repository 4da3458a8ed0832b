import { defaultSelection } from '../../src/catalog';
import { ReadPlan } from '../../src/plan';
import { STREAMS, STREAMS_BY_NAME } from '../../src/streams';
import { StreamSelection } from '../../src/catalog';
import { Stream } from '../../src/streams/stream';

const s = (name: string): Stream => STREAMS_BY_NAME.get(name)!;
const all = () => new ReadPlan(STREAMS, defaultSelection());
function only(...names: string[]): ReadPlan {
  const full = defaultSelection();
  return new ReadPlan(STREAMS, new Map<string, StreamSelection>(names.map((n) => [n, full.get(n)!])));
}
const project = { id: 7, updated_at: '2026-01-01T00:00:00.000Z', status: 'archived' };

describe('read plan: what is read where', () => {
  it('in active projects the recordings walks serve recording streams; other streams are read per parent', () => {
    const plan = all();
    const active = {};
    expect(plan.traverses(s('todos'), active, 'todolists')).toBe(false);
    expect(plan.traverses(s('comments'), active, 'messages')).toBe(false);
    expect(plan.traverses(s('todolist_groups'), active, 'todolists')).toBe(true);
    expect(plan.traverses(s('project_people'), active, 'projects')).toBe(true);
    // A root vault may be missing from the Vault walk: read from the project; its folders never are.
    expect(plan.traverses(s('vaults'), active, 'projects')).toBe(true);
    expect(plan.traverses(s('vaults'), active, 'vaults')).toBe(false);
  });

  it('a child selected without its parent still has the parent read (not written)', () => {
    const plan = only('todolist_groups');
    expect(plan.readsActive(s('todolist_groups'))).toBe(true);
    expect(plan.readsActive(s('todolists'))).toBe(true);
    expect(plan.readsActive(s('projects'))).toBe(true);
    expect(plan.readsActive(s('messages'))).toBe(false);
  });

  it('nothing under projects selected: projects are not read', () => {
    const plan = only('people');
    expect(plan.readsActive(s('people'))).toBe(true);
    expect(plan.readsActive(s('projects'))).toBe(false);
  });

  it('a walk whose records lead to full-table reads goes past its cursor; others stop at it', () => {
    expect(all().passesCursor(s('todolists'), {})).toBe(true);
    expect(all().passesCursor(s('messages'), {})).toBe(false);
    expect(only('todolists').passesCursor(s('todolists'), {})).toBe(false);
    // Groups selected alone: the Todolist walk still lists (or leads to) every group.
    expect(only('todolist_groups').passesCursor(s('todolists'), {})).toBe(true);
    // An upload's versions are read only below uploads written: older uploads lead nowhere.
    expect(all().passesCursor(s('uploads'), {})).toBe(false);
    expect(all().hasChildrenToRead(s('uploads'), {})).toBe(true);
    expect(all().leadsPastWrites(s('uploads'), {})).toBe(false);
    expect(all().leadsPastWrites(s('todolists'), {})).toBe(true);
  });

  it('leaves and embedded children', () => {
    const plan = all();
    expect(plan.hasChildrenToRead(s('project_people'), {})).toBe(false);
    expect(plan.hasChildrenToRead(s('todolists'), {})).toBe(true);
    const archived = plan.archivedPlan(project, () => undefined);
    expect(plan.readsEmbedded(s('card_table_cards'), 'steps', {})).toBe(false);
    expect(plan.readsEmbedded(s('card_table_cards'), 'steps', { archived })).toBe(true);
  });

  it('the walks that may list other streams’ records', () => {
    const plan = all();
    expect(plan.listedBy('todolists').map((x) => x.name)).toEqual(['todolist_groups']);
    expect(plan.listedBy('vaults').map((x) => x.name)).toEqual(['vaults']);
    expect(plan.listedBy('messages')).toEqual([]);
  });
});

describe('read plan: to-do steps in the Kanban::Step walk, links in the Door walk', () => {
  it('to-do steps come from the step walk in active projects, from each to-do in archived ones', () => {
    const plan = all();
    const archived = plan.archivedPlan(project, () => undefined);
    expect(plan.listedBy('card_table_steps').map((x) => x.name)).toEqual(['todo_steps']);
    expect(plan.traverses(s('todo_steps'), {}, 'todos')).toBe(false);
    expect(plan.readsEmbedded(s('todos'), 'steps', {})).toBe(false);
    expect(plan.readsEmbedded(s('todos'), 'steps', { archived })).toBe(true);
  });

  it('todo_steps selected alone: the step walk is read for it, not the to-dos of active projects', () => {
    const plan = only('todo_steps');
    expect(plan.readsActive(s('card_table_steps'))).toBe(true);
    expect(plan.readsActive(s('todos'))).toBe(false);
    // Archived projects are walked down to their to-dos.
    expect([...plan.archivedPlan(project, () => undefined).traverse].sort()).toEqual(['todo_steps', 'todolist_groups', 'todolists', 'todos', 'todosets']);
  });

  it('a walk writes with a cursor the incremental streams it lists too, full-table ones not', () => {
    expect(
      all()
        .incrementalRiders(s('card_table_steps'))
        .map((x) => x.name),
    ).toEqual(['todo_steps']);
    expect(only('card_table_steps').incrementalRiders(s('card_table_steps'))).toEqual([]);
    expect(all().incrementalRiders(s('todolists'))).toEqual([]); // groups are full-table
    expect(all().incrementalRiders(s('vaults'))).toEqual([]); // its own records
  });

  it('links: the Door walk in active projects, the walk scoped to an archived project in it', () => {
    const plan = all();
    expect(plan.traverses(s('external_links'), {}, 'projects')).toBe(false);
    expect(plan.traverses(s('external_links'), { archived: plan.archivedPlan(project, () => undefined) }, 'projects')).toBe(true);
  });
});

describe('read plan: an archived project', () => {
  it('a project never walked: everything under it is written', () => {
    const plan = all();
    const archived = plan.archivedPlan(project, () => undefined);
    expect(archived.emit.has('todos')).toBe(true);
    expect(archived.emit.has('comments')).toBe(true);
    expect(archived.emit.has('people')).toBe(false); // not under projects
    expect(archived.traverse.has('todolists')).toBe(true);
  });

  it('walked at this updated_at before: only what a project change does not cover is read again', () => {
    const plan = all();
    const archived = plan.archivedPlan(project, () => project.updated_at);
    expect([...archived.emit]).toEqual(['project_people']);
    expect([...archived.traverse]).toEqual(['project_people']);
  });

  it('walked before at another updated_at: written again', () => {
    const archived = all().archivedPlan(project, () => '2025-01-01T00:00:00.000Z');
    expect(archived.emit.has('messages')).toBe(true);
  });

  it('only comments selected: the walk passes through every commentable parent and writes comments alone', () => {
    const archived = only('comments').archivedPlan(project, () => undefined);
    expect([...archived.emit]).toEqual(['comments']);
    for (const on of [
      'message_boards',
      'messages',
      'todosets',
      'todolists',
      'todos',
      'vaults',
      'documents',
      'card_tables',
      'card_table_columns',
      'card_table_cards',
    ]) {
      expect({ on, traversed: archived.traverse.has(on) }).toEqual({ on, traversed: true });
    }
    expect(archived.traverse.has('project_people')).toBe(false);
  });

  it('a FULL_TABLE override re-reads an incremental stream in archived projects walked before', () => {
    const selection = defaultSelection();
    selection.set('todos', { ...selection.get('todos')!, incremental: false });
    const archived = new ReadPlan(STREAMS, selection).archivedPlan(project, () => project.updated_at);
    expect(archived.emit.has('todos')).toBe(true);
    expect(archived.emit.has('messages')).toBe(false);
  });
});

describe('read plan: the tree is declared', () => {
  it('exactly one stream opens projects', () => {
    expect(all().projects.name).toBe('projects');
    expect(
      () =>
        new ReadPlan(
          STREAMS.filter((x) => !x.opensProject),
          defaultSelection(),
        ),
    ).toThrow(/exactly one stream must open projects/);
  });
});
