/**
 * The Basecamp 2 ("bcx") stream schemas (schemas/bcx/<stream>.json) against the API docs'
 * example payloads (../shared/fixtures/bcx-api, beside the repository): every example record of
 * a stream, transformed the way the tap writes it (embedded comments split off into comments
 * records, a list's todos dropped, project_id / calendar_id / person_id / commentable_* added),
 * validates under the strict ajv setup, and every key it carries is declared by the schema.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadStreamSchema, makeStrictAjv, undeclaredFields, validatorFor } from '../helpers/strict-ajv';
import { BCX_STREAM_NAMES, BcxStreamName } from '../../src/streams/names';
import { BCX_COMMENTABLE, BCX_STREAMS } from '../../src/streams/bcx';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type SchemaNode = { [key: string]: any };

const SCHEMAS_DIR = path.join(__dirname, '../../schemas/bcx');
const FIXTURES = path.join(__dirname, '../../../shared/fixtures/bcx-api');
const HAVE_FIXTURES = fs.existsSync(path.join(FIXTURES, 'examples'));

const STREAMS = BCX_STREAM_NAMES;
type StreamName = BcxStreamName;

/** Streams whose records never carry project_id. */
const ACCOUNT_WIDE = new Set<StreamName>(['projects', 'people', 'groups', 'calendars']);

/** commentable_type of the comments embedded in each stream's shows. */
const COMMENTABLE_TYPE: Partial<Record<StreamName, string>> = BCX_COMMENTABLE;

const schemaName = (stream: string): string => `bcx/${stream}`;

// ------------------------------------------------------------------ example files -> streams

/**
 * Where a payload was read: inside a project (records get project_id), a standalone calendar
 * (calendar events get calendar_id), or account-wide (nothing added).
 */
type Scope = 'project' | 'calendar' | 'account';

interface Source {
  stream: StreamName;
  scope: Scope;
  /** The fragment holds only the embedded comments of a record of this stream and id. */
  commentsOf?: number;
}

const PROJECT_ID = 605816632;
const CALENDAR_ID = 567469885;

/** Every example and fragment file: the stream whose records it holds. */
const SOURCES: Record<string, Source> = {
  'examples/GET_projects.json': { stream: 'projects', scope: 'account' },
  'examples/GET_projects_1.json': { stream: 'projects', scope: 'account' },
  'examples/GET_projects_1_2.json': { stream: 'projects', scope: 'account' },
  'examples/GET_project_templates.json': { stream: 'projects', scope: 'account' },
  'examples/GET_people_1_projects.json': { stream: 'projects', scope: 'account' },
  'examples/GET_people.json': { stream: 'people', scope: 'account' },
  'examples/GET_people_1.json': { stream: 'people', scope: 'account' },
  'examples/GET_groups.json': { stream: 'groups', scope: 'account' },
  'examples/GET_groups_1.json': { stream: 'groups', scope: 'account' },
  'examples/GET_projects_1_accesses.json': { stream: 'accesses', scope: 'project' },
  'examples/GET_projects_1_topics.json': { stream: 'topics', scope: 'project' },
  'examples/GET_projects_1_messages_1.json': { stream: 'messages', scope: 'project' },
  'fragments/message_comments.json': { stream: 'messages', scope: 'project', commentsOf: 936075699 },
  'examples/GET_projects_1_todolists.json': { stream: 'todolists', scope: 'project' },
  'examples/GET_projects_1_todolists_1.json': { stream: 'todolists', scope: 'project' },
  'examples/GET_people_1_assigned_todos.json': { stream: 'todolists', scope: 'project' },
  'examples/GET_projects_1_todos.json': { stream: 'todos', scope: 'project' },
  'examples/GET_projects_1_todos_1.json': { stream: 'todos', scope: 'project' },
  'examples/GET_projects_1_documents.json': { stream: 'documents', scope: 'project' },
  'examples/GET_projects_1_documents_1.json': { stream: 'documents', scope: 'project' },
  'examples/GET_projects_1_attachments.json': { stream: 'attachments', scope: 'project' },
  'examples/GET_projects_1_attachments_1.json': { stream: 'attachments', scope: 'project' },
  'examples/GET_projects_1_attachments_2.json': { stream: 'attachments', scope: 'project' },
  'examples/GET_projects_1_uploads_2.json': { stream: 'uploads', scope: 'project' },
  'examples/GET_calendars.json': { stream: 'calendars', scope: 'account' },
  'examples/GET_calendars_1.json': { stream: 'calendars', scope: 'account' },
  'examples/GET_projects_1_calendar_events.json': { stream: 'calendar_events', scope: 'project' },
  'examples/GET_projects_1_calendar_events_1.json': { stream: 'calendar_events', scope: 'project' },
  // The same event shapes as read through a standalone calendar (/calendars/:id/calendar_events...).
  'examples/GET_calendar_events.json': { stream: 'calendar_events', scope: 'calendar' },
  'fragments/calendar_event_recurring.json': { stream: 'calendar_events', scope: 'calendar' },
  'fragments/calendar_event_recurrence.json': { stream: 'calendar_events', scope: 'calendar' },
  'examples/GET_projects_1_forwards.json': { stream: 'forwards', scope: 'project' },
  'examples/GET_projects_1_forwards_1.json': { stream: 'forwards', scope: 'project' },
  'examples/GET_projects_1_events.json': { stream: 'events', scope: 'project' },
};

/** Files that hold no record of a stream, and why. */
const NOT_RECORDS: Record<string, string> = {
  'examples/GET_stars.json': 'stars are not a stream',
  // Checked against groups.json's subgroups[] items instead (below).
  'examples/GET_groups_1_subgroups_2.json': 'a subgroup, embedded in its group',
};

function readFixture(file: string): Json {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as Json;
}

function asObjects(payload: Json): JsonObject[] {
  const items = Array.isArray(payload) ? payload : [payload];
  return items.filter((x): x is JsonObject => x !== null && typeof x === 'object' && !Array.isArray(x));
}

interface Case {
  stream: StreamName;
  file: string;
  index: number;
  record: JsonObject;
}

/** The bucket of the account-wide /events.json form (the example is the project form, without one). */
const EVENT_BUCKET: JsonObject = {
  id: PROJECT_ID,
  name: 'BCX',
  type: 'Project',
  url: `https://basecamp.com/999999999/api/v1/projects/${PROJECT_ID}.json`,
  app_url: `https://basecamp.com/999999999/projects/${PROJECT_ID}`,
};

/** Stand-in ids for comments the docs show without one (the simulator always gives one). */
let syntheticCommentId = 900_000_000;

/** The records the tap writes for one API record of `stream`: the record itself, then its comments. */
function tapRecords(stream: StreamName, scope: Scope, raw: JsonObject): Array<{ stream: StreamName; record: JsonObject }> {
  const record: JsonObject = { ...raw };
  const out: Array<{ stream: StreamName; record: JsonObject }> = [];
  const comments = asObjects(record.comments ?? null);
  delete record.comments;
  if (stream === 'todolists') delete record.todos;

  if (stream === 'events' && record.bucket === undefined) record.bucket = EVENT_BUCKET;
  if (stream === 'events') {
    const bucket = record.bucket as JsonObject | null;
    if (bucket && bucket.type === 'Project') record.project_id = bucket.id;
  } else if (!ACCOUNT_WIDE.has(stream) && scope === 'project') {
    record.project_id = PROJECT_ID;
  }
  if (stream === 'calendar_events' && scope === 'calendar') record.calendar_id = CALENDAR_ID;
  if (stream === 'accesses') record.person_id = record.id;
  // The stream's own step: fields Basecamp sends in two types are written in one.
  BCX_STREAMS.find((s) => s.name === stream)!.decorate(record);
  out.push({ stream, record });

  for (const c of comments) {
    const comment: JsonObject = { ...c };
    if (comment.id === undefined) comment.id = syntheticCommentId++;
    if (scope === 'project') comment.project_id = PROJECT_ID;
    comment.commentable_id = record.id;
    comment.commentable_type = COMMENTABLE_TYPE[stream] ?? null;
    out.push({ stream: 'comments', record: comment });
  }
  return out;
}

function allCases(): Case[] {
  const cases: Case[] = [];
  const counters = new Map<string, number>();
  for (const [file, source] of Object.entries(SOURCES)) {
    const payload = readFixture(file);
    const parents = source.commentsOf !== undefined ? [{ id: source.commentsOf, comments: (payload as JsonObject).comments }] : asObjects(payload);
    for (const parent of parents) {
      for (const { stream, record } of tapRecords(source.stream, source.scope, parent)) {
        // A comments-only fragment: its parent is not an example record.
        if (source.commentsOf !== undefined && stream !== 'comments') continue;
        const key = `${stream} ${file}`;
        const index = counters.get(key) ?? 0;
        counters.set(key, index + 1);
        cases.push({ stream, file, index, record });
      }
    }
  }
  return cases;
}

// ------------------------------------------------------------------ schema helpers

function typesOf(node: SchemaNode): string[] {
  const t = node.type;
  if (Array.isArray(t)) return t as string[];
  return typeof t === 'string' ? [t] : [];
}

/** Every object node of a schema without described properties, and every array without items. */
function undescribedNodes(node: SchemaNode, where: string, out: string[]): void {
  const types = typesOf(node);
  if (types.includes('object')) {
    const props = node.properties as Record<string, SchemaNode> | undefined;
    if (!props || Object.keys(props).length === 0) out.push(`${where}: object without properties`);
  }
  if (types.includes('array') && (!node.items || typeof node.items !== 'object')) out.push(`${where}: array without items`);
  for (const [name, child] of Object.entries((node.properties ?? {}) as Record<string, SchemaNode>)) {
    undescribedNodes(child, `${where}.${name}`, out);
  }
  if (node.items && typeof node.items === 'object') undescribedNodes(node.items as SchemaNode, `${where}[]`, out);
}

function failures(stream: string, record: JsonObject): string | null {
  const validate = validatorFor(schemaName(stream));
  if (validate(record)) return null;
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('\n  ');
}

// ------------------------------------------------------------------ tests

describe('bcx schema files', () => {
  it('has exactly one schema per bcx stream, and no other files', () => {
    expect(fs.readdirSync(SCHEMAS_DIR).sort()).toEqual(STREAMS.map((s) => `${s}.json`).sort());
  });

  it.each(STREAMS)('bcx/%s.json is a draft-07 object schema with the tap-added fields', (stream) => {
    const schema = loadStreamSchema(schemaName(stream)) as SchemaNode;
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.type).toBe('object');
    expect(typeof schema.description).toBe('string');
    expect(schema.required).toBeUndefined();
    expect(schema.additionalProperties).not.toBe(false);

    const props = schema.properties as Record<string, SchemaNode>;
    expect(props.id).toEqual({ type: 'integer' });
    const added: string[] = [];
    if (!ACCOUNT_WIDE.has(stream)) added.push('project_id');
    if (stream === 'accesses') added.push('person_id');
    if (stream === 'comments') added.push('commentable_id');
    if (stream === 'calendar_events') added.push('calendar_id');
    for (const key of added) {
      expect(props[key]).toMatchObject({ type: 'integer' });
      expect(typeof props[key].description).toBe('string');
    }
    if (stream === 'comments') expect(props.commentable_type).toMatchObject({ type: 'string' });
    if (ACCOUNT_WIDE.has(stream)) expect(props.project_id).toBeUndefined();

    // Emitted as streams of their own, so never part of the parent record.
    expect(props.comments).toBeUndefined();
    if (stream === 'todolists') expect(props.todos).toBeUndefined();

    const problems: string[] = [];
    undescribedNodes(schema, '$', problems);
    expect(problems).toEqual([]);
  });

  it.each(STREAMS)('bcx/%s.json compiles with the strict ajv', (stream) => {
    expect(typeof validatorFor(schemaName(stream))).toBe('function');
  });

  it('declares one type for the fields Basecamp sends in two (the written form)', () => {
    expect(
      failures('calendar_events', { id: 1, starts_at: null, starts_on: '2014-07-10', ends_at: '2014-07-10T09:40:33.000-05:00', ends_on: '2014-07-10' }),
    ).toBeNull();
    expect(failures('calendar_events', { id: 1, starts_at: '2014-07-10' })).not.toBeNull();
    expect(failures('calendar_events', { id: 1, starts_on: '2014-07-10T09:40:33-05:00' })).not.toBeNull();
    for (const completed_at of [null, '2012-03-24T09:59:35-05:00']) expect(failures('todos', { id: 1, completed_at })).toBeNull();
    for (const completed_at of [false, '2012-03-24']) expect(failures('todos', { id: 1, completed_at })).not.toBeNull();
    for (const due of [null, '2012-03-30']) expect(failures('todos', { id: 1, due_at: due, due_on: due })).toBeNull();
    expect(failures('todos', { id: 1, due_at: '2012-03-30T10:00:00-05:00' })).not.toBeNull();
  });
});

if (!HAVE_FIXTURES) {
  process.stderr.write(`bcx-schemas.test.ts: ${FIXTURES} is absent; skipping the checks against the bcx API docs' examples\n`);
  describe('bcx example records validate against their stream schema', () => {
    it.skip(`skipped: ${FIXTURES} is absent (the API docs' example payloads live beside the repository)`, () => undefined);
  });
} else {
  describe('bcx example records validate against their stream schema', () => {
    const cases = allCases();

    it('classifies every example and fragment file', () => {
      const files = ['examples', 'fragments'].flatMap((dir) =>
        fs
          .readdirSync(path.join(FIXTURES, dir))
          .filter((f) => f.endsWith('.json'))
          .map((f) => `${dir}/${f}`),
      );
      const classified = new Set([...Object.keys(SOURCES), ...Object.keys(NOT_RECORDS)]);
      expect(files.filter((f) => !classified.has(f))).toEqual([]);
      expect([...classified].filter((f) => !files.includes(f))).toEqual([]);
    });

    it('has example records for every stream', () => {
      const seen = new Set(cases.map((c) => c.stream));
      expect(STREAMS.filter((s) => !seen.has(s))).toEqual([]);
    });

    it.each(cases.map((c) => [c.stream, c.file, c.index, c] as const))('%s: %s #%i validates', (stream, file, index, c) => {
      const errors = failures(stream, c.record);
      if (errors) throw new Error(`stream ${stream}, file ${file}, record #${index} fails bcx/${stream}.json:\n  ${errors}`);
    });

    it.each(cases.map((c) => [c.stream, c.file, c.index, c] as const))('%s: %s #%i declares every field it sends', (stream, file, index, c) => {
      const missing: string[] = [];
      undeclaredFields(loadStreamSchema(schemaName(stream)) as SchemaNode, c.record, '$', missing);
      if (missing.length > 0) {
        throw new Error(
          `stream ${stream}, file ${file}, record #${index}: fields not declared in bcx/${stream}.json:\n  ${[...new Set(missing)].join('\n  ')}`,
        );
      }
    });

    it.each(STREAMS)('bcx/%s.json declares every top-level key of its examples', (stream) => {
      const keys = new Set(cases.filter((c) => c.stream === stream).flatMap((c) => Object.keys(c.record)));
      const props = (loadStreamSchema(schemaName(stream)) as SchemaNode).properties as Record<string, SchemaNode>;
      expect([...keys].filter((k) => !(k in props)).sort()).toEqual([]);
    });

    it("the subgroup show fits groups.json's subgroups[] items", () => {
      const groups = loadStreamSchema(schemaName('groups')) as SchemaNode;
      const items = groups.properties.subgroups.items as SchemaNode;
      const subgroup = readFixture('examples/GET_groups_1_subgroups_2.json');
      const validate = makeStrictAjv().compile(items);
      expect(validate(subgroup)).toBe(true);
      const missing: string[] = [];
      undeclaredFields(items, subgroup, '$', missing);
      expect(missing).toEqual([]);
    });

    it('an event in a standalone calendar carries no project_id and still validates', () => {
      const event = asObjects(readFixture('examples/GET_projects_1_events.json'))[0];
      const [{ record }] = tapRecords('events', 'account', {
        ...event,
        bucket: { ...EVENT_BUCKET, id: CALENDAR_ID, type: 'Calendar' },
      });
      expect(record.project_id).toBeUndefined();
      expect(failures('events', record)).toBeNull();
    });
  });
}
