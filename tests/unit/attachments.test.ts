/**
 * The attachments stream: what one written record gives (attachmentsOf), which streams feed it
 * (their schemas say which carry attachment arrays), and which selected derived streams follow
 * which sources (src/sync/derived.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PRODUCTS } from '../../src/products';
import { ATTACHMENT_CARRIERS, STREAMS } from '../../src/streams';
import { ATTACHMENT_FIELDS, attachmentsOf } from '../../src/sync/attachments';
import { derivedBySource, unfedDerived } from '../../src/sync/derived';

const item = (id: any, extra: object = {}) => ({ id, sgid: `sg${id}`, filename: `f${id}.png`, ...extra });

describe('attachmentsOf', () => {
  test.each([
    ['no attachment arrays', { id: 1, type: 'Todoset', project_id: 9 }, []],
    ['empty arrays', { id: 1, type: 'Message', project_id: 9, content_attachments: [] }, []],
    ['null array (older payloads)', { id: 1, type: 'Todo', project_id: 9, description_attachments: null }, []],
    [
      'content_attachments',
      { id: 5, type: 'Comment', project_id: 9, content_attachments: [item(100), item(101)] },
      [
        { ...item(100), recording_id: 5, recording_type: 'Comment', project_id: 9 },
        { ...item(101), recording_id: 5, recording_type: 'Comment', project_id: 9 },
      ],
    ],
    [
      'description_attachments',
      { id: 6, type: 'Kanban::Card', project_id: 8, description_attachments: [item(102)] },
      [{ ...item(102), recording_id: 6, recording_type: 'Kanban::Card', project_id: 8 }],
    ],
    [
      'both arrays, content first; an item listed twice written once',
      { id: 7, type: 'Todo', project_id: 8, description_attachments: [item(104), item(103)], content_attachments: [item(103)] },
      [
        { ...item(103), recording_id: 7, recording_type: 'Todo', project_id: 8 },
        { ...item(104), recording_id: 7, recording_type: 'Todo', project_id: 8 },
      ],
    ],
    [
      'items without an integer id, and non-objects, are left out',
      { id: 7, type: 'Message', project_id: 8, content_attachments: [item('x'), item(null), null, 3, { sgid: 'a' }, item(1.5), item(105)] },
      [{ ...item(105), recording_id: 7, recording_type: 'Message', project_id: 8 }],
    ],
    [
      'the project from the bucket where the tap added none; no type: null',
      { id: 8, bucket: { id: 77 }, content_attachments: [item(106)] },
      [{ ...item(106), recording_id: 8, recording_type: null, project_id: 77 }],
    ],
    [
      "the record's fields win over an item's own of the same name",
      { id: 9, type: 'Document', project_id: 8, content_attachments: [item(107, { recording_id: 1, project_id: 2 })] },
      [{ ...item(107), recording_id: 9, recording_type: 'Document', project_id: 8 }],
    ],
  ])('%s', (_, record, expected) => {
    expect(attachmentsOf(record)).toEqual(expected);
  });

  test('leaves the record as it was', () => {
    const record = { id: 5, type: 'Comment', project_id: 9, content_attachments: [item(100)] };
    const before = JSON.stringify(record);
    attachmentsOf(record)[0].filename = 'changed';
    expect(JSON.stringify(record)).toBe(before);
  });
});

describe('the streams attachments follow', () => {
  test('are exactly the Basecamp 3 streams whose schemas carry an attachment array', () => {
    const dir = path.join(__dirname, '..', '..', 'schemas');
    const carrying = STREAMS.filter((s) => {
      const props = JSON.parse(fs.readFileSync(path.join(dir, s.schemaFile), 'utf8')).properties;
      return ATTACHMENT_FIELDS.some((f) => props[f] !== undefined);
    }).map((s) => s.name);
    expect([...ATTACHMENT_CARRIERS].sort()).toEqual(carrying.sort());
  });

  test("Basecamp 2 has no derived stream (its attachments stream is read from the project's list)", () => {
    expect(PRODUCTS.bcx.streams.filter((s) => s.derived)).toEqual([]);
  });
});

describe('derivedBySource and unfedDerived', () => {
  const only =
    (...names: string[]) =>
    (name: string) =>
      names.includes(name);
  test.each([
    ['attachments and messages selected', ['attachments', 'messages'], { messages: ['attachments'] }, []],
    ['attachments and several sources', ['attachments', 'comments', 'todos', 'projects'], { comments: ['attachments'], todos: ['attachments'] }, []],
    ['attachments not selected', ['messages', 'comments'], {}, []],
    ['attachments alone', ['attachments'], {}, ['attachments']],
    ['attachments with streams that carry none', ['attachments', 'projects', 'campfire_lines'], {}, ['attachments']],
  ])('%s', (_, selected, fed, unfed) => {
    const bySource = derivedBySource(STREAMS, only(...selected));
    const fedBy = Object.fromEntries([...bySource].filter(([from]) => selected.includes(from)).map(([from, ds]) => [from, ds.map((d) => d.name)]));
    expect(fedBy).toEqual(fed);
    expect(unfedDerived(STREAMS, only(...selected)).map((d) => d.name)).toEqual(unfed);
  });

  test('every source of a selected derived stream is mapped, whether selected or not', () => {
    expect([...derivedBySource(STREAMS, only('attachments')).keys()].sort()).toEqual([...ATTACHMENT_CARRIERS].sort());
  });
});
