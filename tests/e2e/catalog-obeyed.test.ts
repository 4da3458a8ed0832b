/**
 * The catalog is obeyed (issue 21, item 2), as Meltano passes it back: a field deselected at any
 * depth leaves SCHEMA and RECORD alike; a type changed by Meltano's `schema` extra is named in one
 * warning and not written, so every RECORD still validates against the SCHEMA printed.
 */
import { Simulator, startSimulator } from '../../simulator';
import { makeStrictAjv, undeclaredFields } from '../helpers/strict-ajv';
import { Message, logLines, recordsOf, runTap, tmpDir, writeJson } from '../helpers/tap';

let sim: Simulator;
let dir: string;
let config: string;

beforeAll(async () => {
  sim = await startSimulator({ records: 400 });
  dir = tmpDir('tap-basecamp-catalog-');
  config = writeJson(dir, 'config.json', sim.config({ max_requests_per_10s: 100000, basecamp_product: 'bc3' }));
});
afterAll(async () => {
  await sim?.stop();
});

type Json = Record<string, any>;

/** The discovered catalog with todos and people selected, changed as `meltano select` and the `schema` extra would. */
async function meltanoCatalog(): Promise<Json> {
  const discovered = await runTap(['--config', config, '--discover']);
  expect(discovered.code).toBe(0);
  const catalog = JSON.parse(discovered.stdout) as { streams: Json[] };
  catalog.streams = catalog.streams.filter((s) => ['todos', 'people'].includes(s.stream));
  for (const s of catalog.streams) s.metadata[0].metadata.selected = true;
  const todos = catalog.streams.find((s) => s.stream === 'todos')!;
  // meltano select tap-basecamp '!todos.creator.email_address' '!todos.assignees.email_address'
  todos.metadata.push(
    { breadcrumb: ['properties', 'creator', 'properties', 'email_address'], metadata: { selected: false } },
    { breadcrumb: ['properties', 'assignees', 'items', 'properties', 'email_address'], metadata: { selected: false } },
  );
  // schema: { todos: { title: { type: [null, integer] } } } and a nested format
  todos.schema.properties.title = { type: ['null', 'integer'] };
  todos.schema.properties.bucket.properties.name = { type: 'string', format: 'email' };
  return catalog;
}

function schemaOf(messages: Message[], stream: string): Json {
  return messages.find((m) => m.type === 'SCHEMA' && m.stream === stream)!.schema as Json;
}

test('nested deselection and schema overrides, as Meltano passes them', async () => {
  const run = await runTap(['--config', config, '--catalog', writeJson(dir, 'catalog.json', await meltanoCatalog())]);
  expect(run.code).toBe(0);
  const warnings = logLines(run.stderr).filter((l) => / WARN /.test(l));
  expect(warnings).toEqual([
    expect.stringMatching(
      /WARN catalog overrides the schema of todos\.title \(catalog says \{"type":\["null","integer"\]\}, the tap's schema \{"type":"string"\}\): ignored; records are written as Basecamp sends them/,
    ),
    expect.stringMatching(/WARN catalog overrides the schema of todos\.bucket\.name \(catalog says \{"format":"email","type":"string"\}/),
  ]);

  const schema = schemaOf(run.messages, 'todos');
  expect(schema.properties.title.type).toBe('string'); // the tap's type, not the catalog's
  expect(schema.properties.creator.properties.email_address).toBeUndefined();
  expect(schema.properties.creator.properties.name).toBeDefined();
  expect(schema.properties.assignees.items.properties.email_address).toBeUndefined();
  expect(schemaOf(run.messages, 'people').properties.email_address).toBeDefined(); // other streams untouched

  const todos = recordsOf(run.messages, 'todos');
  expect(todos.length).toBeGreaterThan(20);
  expect(todos.every((t) => t.creator && !('email_address' in t.creator) && typeof t.creator.name === 'string')).toBe(true);
  const assignees = todos.flatMap((t) => t.assignees ?? []);
  expect(assignees.length).toBeGreaterThan(0);
  expect(assignees.some((a: Json) => 'email_address' in a)).toBe(false);
  expect(recordsOf(run.messages, 'people').every((p) => 'email_address' in p)).toBe(true);

  // Every record validates against the SCHEMA written and holds no field it does not declare.
  const validate = makeStrictAjv().compile(schema);
  const undeclared: string[] = [];
  for (const t of todos) {
    const id = String(t.id);
    if (!validate(t)) throw new Error(`todo ${id}: ${JSON.stringify(validate.errors)}`);
    undeclaredFields(schema, t, `todos ${id}`, undeclared);
  }
  expect(undeclared).toEqual([]);
});
