import { discover, selectedSchema, selectionFromCatalog } from '../../src/catalog';
import { STREAMS_BY_NAME } from '../../src/streams';

type Entry = ReturnType<typeof discover>['streams'][number];

/** The discovered todos entry, as Meltano passes it back, changed by `edit`. */
function catalogWith(edit: (todos: Entry) => void): { streams: Entry[] } {
  const todos = JSON.parse(JSON.stringify(discover().streams.find((s) => s.stream === 'todos'))) as Entry;
  todos.metadata[0].metadata.selected = true;
  edit(todos);
  return { streams: [todos] };
}

function select(catalog: unknown, addAccountId = false) {
  const warnings: string[] = [];
  const selection = selectionFromCatalog(catalog, 'c.json', (m) => warnings.push(m), undefined, addAccountId);
  return { sel: selection.get('todos')!, warnings };
}

describe('catalog selection below the top level', () => {
  test('the discovered catalog passed back: every field, nothing dropped, no warning', () => {
    const { sel, warnings } = select(catalogWith(() => undefined));
    expect(sel).toEqual({ fields: undefined, incremental: true });
    expect(warnings).toEqual([]);
  });

  test('a nested breadcrumb deselects that field from the SCHEMA (objects and arrays of objects)', () => {
    const { sel, warnings } = select(
      catalogWith((t) =>
        t.metadata.push(
          { breadcrumb: ['properties', 'creator', 'properties', 'email_address'], metadata: { selected: false } },
          { breadcrumb: ['properties', 'assignees', 'items', 'properties', 'email_address'], metadata: { selected: false } },
          { breadcrumb: ['properties', 'creator', 'properties', 'name'], metadata: { selected: true } },
        ),
      ),
    );
    expect(warnings).toEqual([]);
    const schema = selectedSchema(STREAMS_BY_NAME.get('todos')!, sel.fields, sel.drop) as any;
    expect(schema.properties.creator.properties.email_address).toBeUndefined();
    expect(schema.properties.creator.properties.name).toBeDefined();
    expect(schema.properties.assignees.items.properties.email_address).toBeUndefined();
    expect(schema.properties.assignees.items.properties.id).toBeDefined();
    expect(schema.properties.title).toBeDefined();
  });

  test('a nested field the schema does not have: one warning, nothing dropped', () => {
    const { sel, warnings } = select(
      catalogWith((t) => t.metadata.push({ breadcrumb: ['properties', 'creator', 'properties', 'shoe_size'], metadata: { selected: false } })),
    );
    expect(sel.drop).toBeUndefined();
    expect(warnings).toEqual(['catalog deselects todos.creator.shoe_size, which its schema does not have: ignored']);
  });

  test("the schema extra: one warning per override, naming the field, and the tap's schema is written", () => {
    const { sel, warnings } = select(
      catalogWith((t) => {
        const props = (t.schema as any).properties;
        props.title = { type: ['null', 'integer'] };
        props.creator.properties.email_address = { type: 'string', format: 'email' };
      }),
    );
    expect(warnings).toEqual([
      `catalog overrides the schema of todos.title (catalog says {"type":["null","integer"]}, the tap's schema {"type":"string"}): ignored; records are written as Basecamp sends them, so SCHEMA keeps the tap's own types (deselect the field in metadata to leave it out)`,
      `catalog overrides the schema of todos.creator.email_address (catalog says {"format":"email","type":"string"}, the tap's schema {"type":["null","string"]}): ignored; records are written as Basecamp sends them, so SCHEMA keeps the tap's own types (deselect the field in metadata to leave it out)`,
    ]);
    expect((selectedSchema(STREAMS_BY_NAME.get('todos')!, sel.fields, sel.drop) as any).properties.title.type).toBe('string');
  });

  test('add_account_id: discovery lists account_id as an automatic key; its catalog is no override', () => {
    const entry = discover(undefined, true).streams.find((s) => s.stream === 'todos')!;
    expect(entry.key_properties).toEqual(['account_id', 'id']);
    expect((entry.schema as any).properties.account_id).toMatchObject({ type: 'integer' });
    expect(entry.metadata.find((m) => m.breadcrumb[1] === 'account_id')!.metadata.inclusion).toBe('automatic');
    const catalog = {
      streams: [
        {
          ...entry,
          metadata: [
            { breadcrumb: [], metadata: { selected: true } },
            { breadcrumb: ['properties', 'account_id'], metadata: { selected: false } },
          ],
        },
      ],
    };
    expect(select(catalog, true)).toEqual({ sel: { fields: undefined, incremental: true }, warnings: [] });
    expect(select(catalog, false).warnings).toHaveLength(1); // account_id without add_account_id: an override
  });
});
