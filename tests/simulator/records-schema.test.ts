/**
 * Every record a full sync of the default account must emit validates against its
 * stream's JSON Schema (schemas/<stream>.json) under the strict ajv setup.
 */
import { validatorFor } from '../helpers/strict-ajv';
import { Simulator, startSimulator } from '../../simulator';

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => {
  await sim.stop();
});

describe('expectedRecords validate against schemas/<stream>.json', () => {
  const streams = [
    'account', 'projects', 'people', 'project_people', 'templates', 'campfires', 'campfire_lines', 'timeline_events',
    'timesheet_entries', 'gauge_needles', 'lineup_markers', 'message_boards', 'message_types', 'messages', 'todosets',
    'todolists', 'todolist_groups', 'todos', 'schedules', 'schedule_entries', 'vaults', 'documents', 'uploads', 'comments',
    'questionnaires', 'questions', 'question_answers', 'inboxes', 'inbox_forwards', 'inbox_replies', 'client_approvals',
    'client_correspondences', 'client_replies', 'card_tables', 'card_table_columns', 'card_table_cards', 'card_table_steps',
  ];

  it('covers every stream of the simulator', () => {
    expect([...sim.streamNames()].sort()).toEqual([...streams].sort());
  });

  it.each(streams)('%s', (stream) => {
    const validate = validatorFor(stream);
    const records = sim.expectedRecords(stream) as Array<Record<string, unknown>>;
    expect(records.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const rec of records) {
      const id = String(rec.id);
      if (!validate(rec)) failures.push(`${stream} id=${id}: ${JSON.stringify(validate.errors?.slice(0, 5))}`);
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });
});
