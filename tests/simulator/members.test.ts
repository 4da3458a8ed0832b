/**
 * The simulator's project memberships (sim.addMember / sim.removeMember) and the readings of what
 * the docs leave open about changes and their parents: whether a membership change moves the
 * project and is recorded in the timeline, whether a new campfire line moves its campfire; and
 * that a parent's count of its children follows creations and status changes while its
 * updated_at stays where it was.
 */
import { Simulator, SimulatorOptions, startSimulator } from '../../simulator';
import { tokenFor } from '../helpers/simulator-http';

jest.setTimeout(60_000);

type Json = Record<string, any>;

async function getJson(sim: Simulator, pathOrUrl: string, token: string): Promise<any> {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${sim.baseUrl}/${sim.accountId}${pathOrUrl}`;
  const res = await fetch(url, { headers: { 'User-Agent': 'simulator tests (test@example.com)', Authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

/** Every page of a list, following Link rel="next". */
async function all(sim: Simulator, path: string, token: string): Promise<Json[]> {
  const out: Json[] = [];
  let next: string | null = path;
  while (next) {
    const url: string = next.startsWith('http') ? next : `${sim.baseUrl}/${sim.accountId}${next}`;
    const res = await fetch(url, { headers: { 'User-Agent': 'simulator tests (test@example.com)', Authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
    out.push(...((await res.json()) as Json[]));
    const m = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '');
    next = m ? (m[1] as string) : null;
  }
  return out;
}

let sim: Simulator;
let token: string;
async function start(opts: SimulatorOptions = {}): Promise<void> {
  sim = await startSimulator(opts);
  token = await tokenFor(sim);
}
afterEach(async () => {
  await sim.stop();
});

const records = (stream: string) => sim.expectedRecords(stream) as Json[];
const find = (stream: string, id: number) => records(stream).find((r) => r.id === id) as Json;
const activeProject = () => records('projects').find((p) => p.status === 'active') as Json;
const memberIds = async (projectId: number) => (await all(sim, `/projects/${projectId}/people.json`, token)).map((p) => p.id as number);
/** A User of the account who is not a member of the project (Users count in people.team). */
async function outsiderOf(projectId: number): Promise<Json> {
  const members = new Set(await memberIds(projectId));
  return records('people').find((p) => p.personable_type === 'User' && !members.has(p.id)) as Json;
}

describe('project memberships', () => {
  it('addMember lists the person in /projects/:id/people.json, people.team and project_people', async () => {
    await start();
    const project = activeProject();
    const person = await outsiderOf(project.id);
    const teamBefore = (await getJson(sim, `/projects/${project.id}.json`, token)).people.team.count as number;

    sim.addMember(project.id, person.id);

    expect(await memberIds(project.id)).toContain(person.id);
    const shown = await getJson(sim, `/projects/${project.id}.json`, token);
    expect(shown.people.team.count).toBe(teamBefore + 1);
    const listed = (await all(sim, '/projects.json', token)).find((p) => p.id === project.id) as Json;
    expect(listed.people).toEqual(shown.people);
    expect(records('project_people').some((m) => m.person_id === person.id && m.project_id === project.id)).toBe(true);
  });

  it('removeMember drops the person everywhere and changes no other record than the project', async () => {
    await start();
    const project = activeProject();
    const members = (await all(sim, `/projects/${project.id}/people.json`, token)).filter((p) => p.personable_type === 'User');
    // The last User member: the first is the owner, who creates new recordings.
    const person = members[members.length - 1] as Json;
    const teamBefore = (await getJson(sim, `/projects/${project.id}.json`, token)).people.team.count as number;
    const untouched = sim.streamNames().filter((s) => !['projects', 'project_people', 'timeline_events'].includes(s));
    const before = untouched.map((s) => records(s));

    sim.removeMember(project.id, person.id);

    expect(await memberIds(project.id)).not.toContain(person.id);
    expect((await getJson(sim, `/projects/${project.id}.json`, token)).people.team.count).toBe(teamBefore - 1);
    expect(records('project_people').some((m) => m.person_id === person.id && m.project_id === project.id)).toBe(false);
    // Assignees, subscribers and forwards' senders are drawn from the original roster: old payloads hold.
    untouched.forEach((s, i) => expect({ s, records: records(s) }).toEqual({ s, records: before[i] }));
  });

  it('a person removed can join again', async () => {
    await start();
    const project = activeProject();
    const person = await outsiderOf(project.id);
    sim.addMember(project.id, person.id);
    sim.removeMember(project.id, person.id);
    sim.addMember(project.id, person.id);
    expect((await memberIds(project.id)).filter((id) => id === person.id)).toHaveLength(1);
  });

  it('refuses a change that cannot be made, and changes nothing', async () => {
    await start();
    const project = activeProject();
    const [member] = await memberIds(project.id);
    const outsider = await outsiderOf(project.id);
    const clock = sim.now().toISOString();
    const events = records('timeline_events').length;
    expect(() => sim.addMember(project.id, member as number)).toThrow(/already is a member/);
    expect(() => sim.removeMember(project.id, outsider.id)).toThrow(/not a member/);
    expect(() => sim.addMember(1, outsider.id)).toThrow(/no project/);
    expect(() => sim.addMember(project.id, 1)).toThrow(/no person/);
    expect(() => sim.create('people', { projectId: 1 })).toThrow(/no project/);
    expect(sim.now().toISOString()).toBe(clock);
    expect(records('timeline_events')).toHaveLength(events);
    expect(find('projects', project.id).updated_at).toBe(project.updated_at);
  });

  it('expectedRecords(project_people) is what /projects/:id/people.json lists, after joins and removals', async () => {
    await start();
    const projects = records('projects').filter((p) => p.status !== 'trashed');
    const [a, b] = projects as [Json, Json];
    const newcomer = await outsiderOf(a.id);
    sim.addMember(a.id, newcomer.id);
    const leaving = (await memberIds(b.id)).at(-1) as number;
    sim.removeMember(b.id, leaving);
    sim.create('people', { projectId: b.id });

    const crawled: Json[] = [];
    for (const p of projects) {
      for (const person of await all(sim, `/projects/${p.id}/people.json`, token)) crawled.push({ ...person, person_id: person.id, project_id: p.id });
    }
    crawled.sort((x, y) => x.project_id - y.project_id || x.id - y.id);
    expect(crawled).toEqual(records('project_people'));
  });
});

describe('readings: a membership change moves the project / is in the timeline', () => {
  const cases: [boolean, boolean][] = [
    [true, true],
    [true, false],
    [false, true],
    [false, false],
  ];
  it.each(cases)('membershipTouchesProject %s, membershipInTimeline %s', async (membershipTouchesProject, membershipInTimeline) => {
    await start({ readings: { membershipTouchesProject, membershipInTimeline } });
    const project = activeProject();
    const person = await outsiderOf(project.id);
    const events = records('timeline_events').length;

    const changes: [string, () => void, string][] = [
      ['added', () => sim.addMember(project.id, person.id), `${person.name} was granted access.`],
      ['removed', () => sim.removeMember(project.id, person.id), `${person.name} was removed from this project.`],
      ['created', () => sim.create('people', { projectId: project.id }), 'New Person'],
    ];
    for (const [what, change, summary] of changes) {
      const before = (await getJson(sim, `/projects/${project.id}.json`, token)).updated_at as string;
      change();
      const now = sim.now().toISOString();
      expect(now).not.toBe(before);
      const after = (await getJson(sim, `/projects/${project.id}.json`, token)).updated_at as string;
      expect({ what, moved: after === now }).toEqual({ what, moved: membershipTouchesProject });
      if (!membershipTouchesProject) expect(after).toBe(before);

      const [newest] = await all(sim, '/reports/progress.json', token);
      const [newestInProject] = await all(sim, `/projects/${project.id}/timeline.json`, token);
      const recorded = newest?.created_at === now;
      expect({ what, recorded }).toEqual({ what, recorded: membershipInTimeline });
      if (membershipInTimeline) {
        expect(newestInProject).toEqual(newest);
        expect(newest).toMatchObject({ kind: 'project_access_changed', target: null, bucket: { id: project.id } });
        expect(newest?.summary_excerpt).toContain(summary);
      }
    }
    expect(records('timeline_events')).toHaveLength(events + (membershipInTimeline ? 3 : 0));
  });
});

describe('readings: a new campfire line moves its campfire', () => {
  it.each([true, false])('linesTouchCampfire %s', async (linesTouchCampfire) => {
    await start({ readings: { linesTouchCampfire } });
    const campfire = records('campfires').find((c) => find('projects', c.project_id).status === 'active') as Json;
    const line = sim.create('campfire_lines', { parentId: campfire.id });
    const now = sim.now().toISOString();
    expect(find('campfire_lines', line).created_at).toBe(now);
    const shown = await getJson(sim, campfire.url, token);
    expect(shown.updated_at).toBe(linesTouchCampfire ? now : campfire.updated_at);
    expect((await all(sim, '/chats.json', token)).find((c) => c.id === campfire.id)?.updated_at).toBe(shown.updated_at);
    expect(find('projects', campfire.project_id).updated_at).toBe(now);
    // Trashing the line: the same reading.
    sim.setStatus('campfire_lines', line, 'trashed');
    expect(find('campfires', campfire.id).updated_at).toBe(linesTouchCampfire ? sim.now().toISOString() : campfire.updated_at);
  });

  it('is off by default', async () => {
    await start();
    const campfire = records('campfires')[0] as Json;
    sim.create('campfire_lines', { parentId: campfire.id });
    expect(find('campfires', campfire.id).updated_at).toBe(campfire.updated_at);
  });
});

/**
 * [child stream, parent stream, the parent's count of such children, whether a new child moves
 * the parent's updated_at]. Only a vault is touched by what it holds (as a to-do list by its
 * to-dos); every other parent keeps its updated_at while its count follows.
 */
const COUNTED: [string, string, string, boolean][] = [
  ['inbox_forwards', 'inboxes', 'forwards_count', false],
  ['inbox_replies', 'inbox_forwards', 'replies_count', false],
  ['client_replies', 'client_approvals', 'replies_count', false],
  ['client_replies', 'client_correspondences', 'replies_count', false],
  ['questions', 'questionnaires', 'questions_count', false],
  ['question_answers', 'questions', 'answers_count', false],
  ['card_table_cards', 'card_table_columns', 'cards_count', false],
  ['messages', 'message_boards', 'messages_count', false],
  ['comments', 'messages', 'comments_count', false],
  ['comments', 'todos', 'comments_count', false],
  ['schedule_entries', 'schedules', 'entries_count', false],
  ['documents', 'vaults', 'documents_count', true],
  ['uploads', 'vaults', 'uploads_count', true],
];

describe("a parent's count follows its children; its updated_at moves only where stated", () => {
  beforeEach(() => start());

  it.each(COUNTED)('a new %s under %s: %s', async (child, parentStream, countKey, touched) => {
    const live = new Set(
      records('projects')
        .filter((p) => p.status === 'active')
        .map((p) => p.id),
    );
    const parent = records(parentStream).find((p) => p.status === 'active' && live.has(p.project_id)) as Json;
    const count = parent[countKey] as number;
    expect(typeof count).toBe('number');

    const id = sim.create(child, { parentId: parent.id });
    const created = sim.now().toISOString();
    const after = find(parentStream, parent.id);
    expect(after[countKey]).toBe(count + 1);
    expect(after.updated_at).toBe(touched ? created : parent.updated_at);
    expect((await getJson(sim, parent.url, token))[countKey]).toBe(count + 1);
    expect(find('projects', parent.project_id).updated_at).toBe(created);

    sim.setStatus(child, id, 'trashed');
    expect(find(parentStream, parent.id)[countKey]).toBe(count);
    expect((await getJson(sim, parent.url, token))[countKey]).toBe(count);
    expect(find('projects', parent.project_id).updated_at).toBe(sim.now().toISOString());
  });

  it('a new gauge needle moves the project and its last_needle_* summary', async () => {
    const project = records('projects').find((p) => p.status === 'active' && records('gauge_needles').some((n) => n.project_id === p.id)) as Json;
    const needle = sim.create('gauge_needles', { projectId: project.id });
    const after = find('projects', project.id);
    expect(after.updated_at).toBe(sim.now().toISOString());
    expect(after.last_needle_position).toBe(find('gauge_needles', needle).position);
    expect(after.previous_needle_position).toBe(project.last_needle_position);
  });

  it('a new timesheet entry or message type moves the project only', async () => {
    const todo = records('todos').find((t) => t.status === 'active' && find('projects', t.project_id).status === 'active') as Json;
    sim.create('timesheet_entries', { parentId: todo.id });
    expect(find('todos', todo.id).updated_at).toBe(todo.updated_at);
    expect(find('projects', todo.project_id).updated_at).toBe(sim.now().toISOString());
    const board = records('message_boards').find((b) => b.project_id !== todo.project_id) as Json;
    sim.create('message_types', { projectId: board.project_id });
    expect(find('message_boards', board.id).updated_at).toBe(board.updated_at);
    expect(find('projects', board.project_id).updated_at).toBe(sim.now().toISOString());
  });
});
