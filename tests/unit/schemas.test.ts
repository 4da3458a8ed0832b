import * as fs from 'fs';
import * as path from 'path';
import { isStrictDate, isStrictDateTime, loadStreamSchema, makeStrictAjv, undeclaredFields, validatorFor } from '../helpers/strict-ajv';
import { STREAM_NAMES } from '../../src/streams/names';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type SchemaNode = { [key: string]: unknown };

const SCHEMAS_DIR = path.join(__dirname, '../../schemas');
// The API documentation's example payloads live in ../shared, beside the repository; without
// them the tests that read the examples are skipped.
const EXAMPLES_DIR = path.join(__dirname, '..', '..', '..', 'shared', 'fixtures', 'bc3-api', 'examples');
const HAVE_EXAMPLES = fs.existsSync(EXAMPLES_DIR);

const STREAMS = STREAM_NAMES;

/** Streams whose records carry no project_id (account-wide data). */
const ACCOUNT_WIDE = new Set(['account', 'projects', 'people', 'templates', 'lineup_markers', 'timeline_events', 'events']);

// ------------------------------------------------------------------ example records

/** A list response gives every item, a single-object response gives the object. */
function asRecords(payload: Json): JsonObject[] {
  const items = Array.isArray(payload) ? payload : [payload];
  return items.filter((x): x is JsonObject => x !== null && typeof x === 'object' && !Array.isArray(x));
}

function field(obj: Json, key: string): Json {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return null;
  return obj[key] ?? null;
}

const whole = (payload: Json): JsonObject[] => asRecords(payload);
const cardTableLists = (payload: Json): JsonObject[] => asRecords(field(payload, 'lists'));
const cardSteps = (payload: Json): JsonObject[] => asRecords(payload).flatMap((card) => asRecords(field(card, 'steps')));
const eventsOf = (payload: Json): JsonObject[] => asRecords(field(payload, 'events'));
const todosOf = (payload: Json): JsonObject[] => asRecords(field(payload, 'todos'));
/** The embedded files of every record, as the attachments stream writes them (the tap adds project_id below). */
const attachmentsIn = (payload: Json): JsonObject[] =>
  asRecords(payload).flatMap((r) =>
    [...asRecords(field(r, 'content_attachments')), ...asRecords(field(r, 'description_attachments'))].map((a) => ({
      ...a,
      recording_id: r.id,
      recording_type: r.type,
    })),
  );

type Source = { file: string; pick: (payload: Json) => JsonObject[] };
const src = (file: string, pick: (payload: Json) => JsonObject[] = whole): Source => ({ file, pick });

/** Example files (the API docs' example responses) holding each stream's records. */
const EXAMPLES: Record<string, Source[]> = {
  account: [src('GET_account.json')],
  projects: [src('GET_projects.json'), src('GET_projects_1.json')],
  people: [src('GET_people.json'), src('GET_people_2.json')],
  project_people: [src('GET_people.json')],
  templates: [src('GET_templates.json'), src('GET_templates_1.json')],
  campfires: [src('GET_chats.json'), src('GET_chats_2.json')],
  campfire_lines: [src('GET_chats_2_lines.json'), src('GET_chats_2_lines_3.json'), src('GET_chats_2_uploads.json')],
  timeline_events: [src('GET_reports_progress.json'), src('GET_projects_1_timeline.json'), src('GET_reports_users_progress_1.json', eventsOf)],
  timesheet_entries: [
    src('GET_projects_1_timesheet.json'),
    src('GET_timesheet_entries_2.json'),
    src('GET_recordings_2_timesheet.json'),
    src('GET_reports_timesheet.json'),
  ],
  gauge_needles: [src('GET_projects_1_gauge_needles.json'), src('GET_gauge_needles_2.json')],
  lineup_markers: [src('GET_lineup_markers.json')],
  message_boards: [src('GET_message_boards_2.json')],
  message_types: [src('GET_buckets_1_categories.json'), src('GET_buckets_1_categories_2.json')],
  messages: [src('GET_message_boards_3_messages.json'), src('GET_messages_2.json')],
  todosets: [src('GET_todosets_2.json')],
  todolists: [src('GET_todosets_3_todolists.json'), src('GET_todolists_2.json')],
  todolist_groups: [src('GET_todolists_2_groups.json'), src('GET_todolists_3.json')],
  todos: [src('GET_todolists_3_todos.json'), src('GET_todos_2.json'), src('GET_reports_todos_assigned_1.json', todosOf)],
  schedules: [src('GET_schedules_2.json')],
  schedule_entries: [src('GET_schedules_3_entries.json'), src('GET_schedule_entries_2.json')],
  vaults: [src('GET_vaults_2.json'), src('GET_vaults_2_vaults.json')],
  documents: [src('GET_vaults_2_documents.json'), src('GET_documents_2.json')],
  uploads: [src('GET_vaults_2_uploads.json'), src('GET_uploads_2.json')],
  comments: [src('GET_recordings_3_comments.json'), src('GET_comments_2.json')],
  questionnaires: [src('GET_questionnaires_2.json')],
  questions: [src('GET_questionnaires_2_questions.json'), src('GET_questions_2.json')],
  question_answers: [src('GET_questions_2_answers.json'), src('GET_question_answers_2.json')],
  inboxes: [src('GET_inboxes_2.json')],
  inbox_forwards: [src('GET_inboxes_3_inbox_forwards.json'), src('GET_inbox_forwards_2.json')],
  inbox_replies: [src('GET_inbox_forwards_2_replies.json'), src('GET_inbox_forwards_2_replies_3.json')],
  client_approvals: [src('GET_buckets_1_client_approvals.json'), src('GET_client_approvals_2.json')],
  client_correspondences: [src('GET_buckets_1_client_correspondences.json'), src('GET_client_correspondences_2.json')],
  client_replies: [src('GET_buckets_1_client_recordings_2_replies.json'), src('GET_buckets_1_client_recordings_2_replies_3.json')],
  card_tables: [src('GET_card_tables_2.json')],
  card_table_columns: [src('GET_card_tables_2.json', cardTableLists), src('GET_card_tables_columns_2.json')],
  card_table_cards: [src('GET_card_tables_lists_3_cards.json'), src('GET_card_tables_cards_2.json')],
  card_table_steps: [src('GET_card_tables_lists_3_cards.json', cardSteps), src('GET_card_tables_cards_2.json', cardSteps)],
  attachments: [src('GET_comments.json', attachmentsIn), src('GET_message_boards_3_messages.json', attachmentsIn)],
  // A to-do's steps are Kanban::Step recordings like a card's (the to-do examples' are empty).
  todo_steps: [src('GET_card_tables_cards_2.json', cardSteps)],
  external_links: [src('GET_projects_recordings_type_Door.json')],
  google_documents: [src('GET_google_documents_2.json')],
  cloud_files: [src('GET_cloud_files_2.json')],
  upload_versions: [src('GET_uploads_2_versions.json')],
  hill_charts: [src('GET_todosets_1_hill.json')],
  recording_events: [src('GET_recordings_2_events.json')],
  boosts: [src('GET_recordings_2_boosts.json')],
};

function readExample(file: string): Json {
  return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as Json;
}

/** The record as the tap emits it: the API payload plus the fields the tap adds. */
function withTapFields(stream: string, record: JsonObject): JsonObject {
  const out: JsonObject = { ...record };
  if (!ACCOUNT_WIDE.has(stream)) {
    const bucketId = field(record.bucket ?? null, 'id');
    out.project_id = typeof bucketId === 'number' ? bucketId : 1;
  }
  if (stream === 'project_people') out.person_id = record.id;
  if (stream === 'hill_charts') out.todoset_id = 1;
  if (stream === 'boosts') out.recording_id = 2;
  return out;
}

type Case = { stream: string; file: string; index: number; record: JsonObject };

function casesFor(stream: string): Case[] {
  return EXAMPLES[stream].flatMap(({ file, pick }) =>
    pick(readExample(file)).map((record, index) => ({
      stream,
      file,
      index,
      record: withTapFields(stream, record),
    })),
  );
}

// ------------------------------------------------------------------ schema walking

function typesOf(node: SchemaNode): string[] {
  const t = node.type;
  if (Array.isArray(t)) return t as string[];
  return typeof t === 'string' ? [t] : [];
}

type Visit = (node: SchemaNode, where: string, propName: string | null) => void;

/** Visits every schema node: the root, each property and each array `items`. */
function walkSchema(node: SchemaNode, visit: Visit, where = '$', propName: string | null = null): void {
  visit(node, where, propName);
  const props = node.properties as Record<string, SchemaNode> | undefined;
  if (props && typeof props === 'object') {
    for (const [name, child] of Object.entries(props)) walkSchema(child, visit, `${where}.${name}`, name);
  }
  const items = node.items as SchemaNode | undefined;
  if (items && typeof items === 'object' && !Array.isArray(items)) walkSchema(items, visit, `${where}[]`, null);
}

/** Every rule from the schema conventions that a node breaks. */
function ruleViolations(stream: string, schema: SchemaNode): string[] {
  const problems: string[] = [];
  const JSON_TYPES = new Set(['null', 'boolean', 'integer', 'number', 'string', 'object', 'array']);
  walkSchema(schema, (node, where, propName) => {
    for (const banned of ['anyOf', 'oneOf', 'allOf', '$ref']) {
      if (banned in node) problems.push(`${where}: uses ${banned}`);
    }
    if (node.additionalProperties === false) problems.push(`${where}: additionalProperties is false`);
    if (node.format === 'password') problems.push(`${where}: format password`);
    const types = typesOf(node);
    if (types.length === 0) problems.push(`${where}: no type`);
    for (const t of types) if (!JSON_TYPES.has(t)) problems.push(`${where}: unknown type ${t}`);
    if (types.filter((t) => t !== 'null').length > 1) problems.push(`${where}: more than one non-null type`);
    if (types.includes('object')) {
      const props = node.properties;
      if (!props || typeof props !== 'object' || Object.keys(props).length === 0) {
        problems.push(`${where}: object without described properties`);
      }
    }
    if (types.includes('array') && (!node.items || typeof node.items !== 'object')) {
      problems.push(`${where}: array without items`);
    }
    if (propName !== null) {
      if ((propName === 'id' || propName.endsWith('_id')) && !types.includes('integer')) {
        problems.push(`${where}: ids must be integer, got ${JSON.stringify(node.type)}`);
      }
      if ((propName === 'id' || propName.endsWith('_id')) && types.some((t) => t !== 'integer' && t !== 'null')) {
        problems.push(`${where}: ids must be integer only, got ${JSON.stringify(node.type)}`);
      }
      if (propName.endsWith('_at') && node.format !== 'date-time') {
        problems.push(`${where}: *_at must have format date-time`);
      }
      if (/(^|_)(on|date)$/.test(propName) && types.includes('string') && node.format !== 'date') {
        problems.push(`${where}: date-only field must have format date`);
      }
    }
    if ((node.format === 'date-time' || node.format === 'date') && !types.includes('string')) {
      problems.push(`${where}: format ${String(node.format)} on a non-string`);
    }
  });

  if (schema.type !== 'object') problems.push('$: top level must be type "object"');
  if (typeof schema.description !== 'string' || schema.description.length === 0) {
    problems.push('$: missing top-level description');
  }
  if ('$schema' in schema && schema.$schema !== 'http://json-schema.org/draft-07/schema#') {
    problems.push(`$: $schema is not draft-07`);
  }
  const props = (schema.properties ?? {}) as Record<string, SchemaNode>;
  // A hill chart has no id of its own: its key is the to-do set's.
  const keys = [stream === 'hill_charts' ? 'todoset_id' : 'id', ...(ACCOUNT_WIDE.has(stream) ? [] : ['project_id'])];
  if (stream === 'project_people') keys.push('person_id');
  for (const key of keys) {
    const prop = props[key];
    if (!prop) {
      problems.push(`$.${key}: missing`);
      continue;
    }
    const types = typesOf(prop);
    if (types.length !== 1 || types[0] !== 'integer') {
      problems.push(`$.${key}: key field must be a non-nullable integer, got ${JSON.stringify(prop.type)}`);
    }
  }
  for (const [name, prop] of Object.entries(props)) {
    if ((name === 'project_id' || name === 'person_id' || name === 'card_table_id') && typeof prop.description !== 'string') {
      problems.push(`$.${name}: tap-added field needs a description`);
    }
  }
  if (ACCOUNT_WIDE.has(stream) && 'project_id' in props) problems.push('$.project_id: account-wide stream');
  return problems;
}

// ------------------------------------------------------------------ tests

describe('strict ajv formats', () => {
  const ajv = makeStrictAjv();
  const dateTime = ajv.compile({ type: 'string', format: 'date-time' });
  const date = ajv.compile({ type: 'string', format: 'date' });

  it.each(['2026-02-12T06:08:49.342Z', '2026-02-12T00:09:34.613-06:00', '2025-10-30T10:00:00+05:30', '2024-02-29T23:59:59Z'])('accepts date-time %s', (v) => {
    expect(dateTime(v)).toBe(true);
    expect(isStrictDateTime(v)).toBe(true);
  });

  it.each([
    '',
    '2026-02-12',
    '2026-02-12T06:08:49',
    '2026-02-12T06:08:49.342',
    '2026-02-12 06:08:49Z',
    '2026-02-12T06:08Z',
    '2026-02-12T06:08:49+0100',
    '2026-02-30T06:08:49Z',
    '2026-13-01T00:00:00Z',
    '2026-02-12T24:00:00Z',
    'yesterday',
  ])('rejects date-time %p', (v) => {
    expect(dateTime(v)).toBe(false);
    expect(isStrictDateTime(v)).toBe(false);
  });

  it.each(['2026-02-12', '2024-02-29', '2021-01-01'])('accepts date %s', (v) => {
    expect(date(v)).toBe(true);
    expect(isStrictDate(v)).toBe(true);
  });

  it.each(['', '2026-02-12T06:08:49.342Z', '2026-02-12T00:00:00', '2026-2-12', '2025-02-29', '20260212'])('rejects date %p', (v) => {
    expect(date(v)).toBe(false);
    expect(isStrictDate(v)).toBe(false);
  });
});

describe('schema files', () => {
  it('has exactly one schema per stream, and no other files', () => {
    const files = fs
      .readdirSync(SCHEMAS_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(files).toEqual(STREAMS.map((s) => `${s}.json`).sort());
    expect(STREAMS).toHaveLength(47);
  });

  it.each(STREAMS)('%s.json parses and follows the schema rules', (stream) => {
    const text = fs.readFileSync(path.join(SCHEMAS_DIR, `${stream}.json`), 'utf8');
    let parsed: unknown;
    expect(() => {
      parsed = JSON.parse(text);
    }).not.toThrow();
    expect(parsed).toEqual(loadStreamSchema(stream));
    const problems = ruleViolations(stream, parsed as SchemaNode);
    if (problems.length > 0) throw new Error(`${stream}.json breaks schema rules:\n  ${problems.join('\n  ')}`);
  });

  it.each(STREAMS)('%s.json compiles with the strict ajv', (stream) => {
    expect(typeof validatorFor(stream)).toBe('function');
  });
});

if (!HAVE_EXAMPLES) {
  process.stderr.write(`schemas.test.ts: ${EXAMPLES_DIR} is absent; skipping the checks against the API docs' examples\n`);
  describe('example records validate against their stream schema', () => {
    it.skip(`skipped: ${EXAMPLES_DIR} is absent (the API docs' example payloads live beside the repository)`, () => undefined);
  });
} else
  describe('example records validate against their stream schema', () => {
    it('maps every stream to example records (events: their example is in the feed section, see below)', () => {
      expect(Object.keys(EXAMPLES).sort()).toEqual(STREAMS.filter((s) => s !== 'events').sort());
      for (const stream of STREAMS) if (stream !== 'events') expect(casesFor(stream).length).toBeGreaterThan(0);
    });

    const cases = STREAMS.filter((s) => s !== 'events').flatMap(casesFor);

    it.each(cases.map((c) => [c.stream, c.file, c.index, c] as const))('%s: %s #%i', (stream, file, index, c) => {
      const validate = validatorFor(stream);
      if (!validate(c.record)) {
        const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('\n  ');
        throw new Error(`stream ${stream}, file ${file}, record #${index} fails its schema:\n  ${errors}`);
      }
    });

    it.each(cases.map((c) => [c.stream, c.file, c.index, c] as const))('%s: %s #%i declares every field it sends', (stream, file, index, c) => {
      const missing: string[] = [];
      undeclaredFields(loadStreamSchema(stream) as SchemaNode, c.record, '$', missing);
      if (missing.length > 0) {
        throw new Error(`stream ${stream}, file ${file}, record #${index}: fields not declared in ${stream}.json:\n  ${[...new Set(missing)].join('\n  ')}`);
      }
    });
  });

// The event feed's example response is in basecamp/bc-api sections/event_feed.md, not in the
// fixtures: events shaped as it documents them (a thin pointer; `details` only on some types).
describe('events as the feed section documents them validate against the events schema', () => {
  const base = {
    id: 5,
    kind: 'todo_created',
    action: 'created',
    created_at: '2026-07-01T10:00:00.000Z',
    event_type: 'todo.created',
    bucket_id: 7,
    creator_id: 9,
  };
  it.each([
    ['a plain event', { ...base, performed_by_id: null, recording_id: 11 }],
    ['a delegated one', { ...base, performed_by_id: 12, recording_id: 11 }],
    [
      'card.moved with its columns',
      { ...base, event_type: 'card.moved', recording_id: 11, performed_by_id: null, details: { column_id: 1, previous_column_id: 2 } },
    ],
    [
      'boost.created on a recording',
      {
        ...base,
        event_type: 'boost.created',
        recording_id: 11,
        performed_by_id: null,
        details: { boost_id: 3, boosted_event_id: null, boosted_event_type: null },
      },
    ],
  ])('%s', (_name, event) => {
    const validate = validatorFor('events');
    expect(validate(event) ? [] : validate.errors).toEqual([]);
  });
});
