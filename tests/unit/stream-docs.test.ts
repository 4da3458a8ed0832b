/**
 * docs/streams.md's stream tables are what `tap-basecamp --about --format markdown` prints, so
 * they cannot drift from the streams the tap declares: a stream added, renamed, rekeyed or moved
 * to another replication fails here until the docs are regenerated.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { aboutMarkdown, streamTable } from '../../src/about';
import { PRODUCTS, PRODUCT_IDS } from '../../src/products';

const DOC = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'streams.md'), 'utf8');

/** Every table of a markdown text whose header row starts `| stream | key |`, as lines. */
function streamTables(markdown: string): string[] {
  const tables: string[] = [];
  const lines = markdown.split('\n');
  lines.forEach((line, i) => {
    if (!line.startsWith('| stream | key |')) return;
    let end = i;
    while (end < lines.length && lines[end].startsWith('|')) end++;
    tables.push(lines.slice(i, end).join('\n'));
  });
  return tables;
}

describe('docs/streams.md', () => {
  test("holds one stream table per product, in product order, each equal to the one --about's markdown prints", () => {
    expect(streamTables(DOC)).toEqual(PRODUCT_IDS.map(streamTable));
    expect(streamTables(aboutMarkdown('0.0.0'))).toEqual(PRODUCT_IDS.map(streamTable));
  });

  test.each(PRODUCT_IDS)('the %s table has a row per stream, in catalog order, with the key and replication each declares', (id) => {
    const rows = streamTable(id)
      .split('\n')
      .slice(2)
      .map((row) => row.slice(2, -2).split(' | '));
    expect(rows.map((r) => r[0])).toEqual(PRODUCTS[id].streams.map((s) => s.name));
    for (const [row, s] of rows.map((r, i) => [r, PRODUCTS[id].streams[i]] as const)) {
      expect(row[1]).toBe(s.keyProperties.join(', '));
      expect(row[2]).toMatch(s.replicationKey ? new RegExp(`^INCREMENTAL \\(${s.replicationKey}\\)`) : /^FULL_TABLE$/);
      expect(row.every((cell) => cell.trim() !== '')).toBe(true);
    }
  });

  test("the README's summary names every stream of each product, and their number", () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const summary = readme.slice(readme.indexOf('\n## Streams\n'), readme.indexOf('\n## More documentation\n'));
    const [bc3, bcx] = summary.split('\n## Basecamp 2 accounts\n');
    expect(bcx).toBeDefined();
    for (const [id, text] of [
      ['bc3', bc3],
      ['bcx', bcx],
    ] as const) {
      expect(text).toContain(`${PRODUCTS[id].streams.length} streams`);
      expect(PRODUCTS[id].streams.map((s) => s.name).filter((name) => !text.includes(`\`${name}\``))).toEqual([]);
    }
  });

  test('says how to regenerate its tables', () => {
    expect(DOC).toContain('tap-basecamp --about --format markdown');
  });
});
