/** What `--about` prints: Meltano reads the JSON form; the markdown form is for people. */
import { CONFIG_SCHEMA, ENV_PREFIX } from './config';
import { PRODUCTS, PRODUCT_IDS, ProductId } from './products';
import { BC3_STREAM_DOCS, BCX_STREAM_DOCS, StreamDoc } from './streams/docs';
import { AnyStreamName } from './streams/names';
import { Stream } from './streams/stream';

// activate-version: the activate_version setting (versions.ts), as Meltano SDK taps name the capability.
export const CAPABILITIES = ['catalog', 'discover', 'state', 'about', 'test', 'activate-version'] as const;

export function about(version: string): Record<string, unknown> {
  return {
    name: 'tap-basecamp',
    description:
      'Singer tap for Basecamp 3, 4 and 5 (every project, person, to-do, message, schedule, comment, document, file, check-in, campfire line, card table, client correspondence and timeline event) and Basecamp 2 (projects, people, groups, accesses, topics, messages, comments, to-do lists, to-dos, documents, attachments, uploads, calendars, calendar events, forwards and events), archived and trashed ones included.',
    version,
    capabilities: CAPABILITIES,
    // A JSON Schema: each setting with its `default` where it has one; secrets are writeOnly.
    settings: CONFIG_SCHEMA,
    env_var_prefix: ENV_PREFIX,
    settings_sources: `Config files given with --config (later files override earlier ones), then environment variables ${ENV_PREFIX}<SETTING> (e.g. ${ENV_PREFIX}ACCOUNT_ID); a value in a file wins over the environment. --config ENV: the environment only.`,
    // Basecamp 3's streams, as before; each product's below.
    streams: PRODUCTS.bc3.streams.map(describeStream),
    products: PRODUCT_IDS.map((id) => ({
      product: id,
      name: PRODUCTS[id].title,
      api: PRODUCTS[id].api.name,
      streams: PRODUCTS[id].streams.map(describeStream),
    })),
  };
}

function describeStream(s: Stream): Record<string, unknown> {
  return {
    name: s.name,
    key_properties: s.keyProperties,
    replication_method: s.replicationKey ? 'INCREMENTAL' : 'FULL_TABLE',
    replication_key: s.replicationKey ?? null,
  };
}

export function aboutMarkdown(version: string): string {
  const props = CONFIG_SCHEMA.properties as Record<string, { description: string; type: unknown; secret?: boolean; default?: unknown }>;
  const required = new Set<string>(CONFIG_SCHEMA.required);
  const lines = [
    `# tap-basecamp ${version}`,
    '',
    String(about(version).description),
    '',
    '## Capabilities',
    '',
    ...CAPABILITIES.map((c) => `- ${c}`),
    '',
    '## Settings',
    '',
    '| setting | required | secret | default | description |',
    '|---|---|---|---|---|',
    ...Object.entries(props).map(
      ([k, v]) =>
        `| ${k} | ${required.has(k) ? 'yes' : 'no'} | ${v.secret ? 'yes' : 'no'} | ${v.default === undefined ? '' : `\`${String(v.default)}\``} | ${v.description} |`,
    ),
    '',
    String(about(version).settings_sources),
    '',
    ...PRODUCT_IDS.flatMap((id) => [`## Streams: ${PRODUCTS[id].title} (basecamp_product ${id})`, '', streamTable(id), '']),
  ];
  return lines.join('\n');
}

/** Each product's streams, described beyond their declaration (docs/streams.md). */
const STREAM_DOCS: Record<ProductId, Partial<Record<AnyStreamName, StreamDoc>>> = { bc3: BC3_STREAM_DOCS, bcx: BCX_STREAM_DOCS };

/**
 * A product's stream table, as docs/streams.md holds it (a test keeps the two equal): key and
 * replication from each stream's declaration, parent and source from src/streams/docs.ts.
 */
export function streamTable(id: ProductId): string {
  const docs = STREAM_DOCS[id];
  const withParent = PRODUCTS[id].streams.some((s) => docs[s.name]?.parent !== undefined);
  const head = ['stream', 'key', 'replication', ...(withParent ? ['parent'] : []), 'read from'];
  const rows = PRODUCTS[id].streams.map((s) => {
    const doc = docs[s.name];
    if (!doc) throw new Error(`no description of stream ${s.name} in src/streams/docs.ts`);
    return [s.name, s.keyProperties.join(', '), replication(s, doc), ...(withParent ? [doc.parent ?? '—'] : []), doc.from];
  });
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [row(head), `|${head.map(() => '---').join('|')}|`, ...rows.map(row)].join('\n');
}

function replication(s: Stream, doc: StreamDoc): string {
  const method = s.replicationKey ? `INCREMENTAL (${s.replicationKey})` : 'FULL_TABLE';
  return doc.note ? `${method}, ${doc.note}` : method;
}
