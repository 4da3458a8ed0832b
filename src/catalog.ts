/**
 * Discovery (the catalog this tap prints) and selection (what a catalog passed back asks for).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { describeAjvErrors } from './config';
import { TapError } from './errors';
import { ACCOUNT_ID_SCHEMA, JsonObject } from './messages';
import { PRODUCTS, Product } from './products';
import { Drop, buildDrop, dropFromSchema, propertyPath, schemaAt } from './projection';
import { schemaOverrides } from './overrides';
import { Stream } from './streams/stream';

export const SCHEMA_DIR = path.join(__dirname, '..', 'schemas');

const schemaCache = new Map<string, JsonObject>();
export function loadSchema(stream: Stream): JsonObject {
  // By file: the two products share stream names, not schemas.
  let schema = schemaCache.get(stream.schemaFile);
  if (!schema) {
    schema = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, stream.schemaFile), 'utf8')) as JsonObject;
    schemaCache.set(stream.schemaFile, schema);
  }
  return schema;
}

type Metadata = { breadcrumb: string[]; metadata: JsonObject };

export interface CatalogEntry {
  tap_stream_id: string;
  stream: string;
  schema: JsonObject;
  key_properties: string[];
  replication_method: 'INCREMENTAL' | 'FULL_TABLE';
  replication_key?: string;
  metadata: Metadata[];
}

function properties(schema: JsonObject): string[] {
  return Object.keys((schema.properties as JsonObject | undefined) ?? {});
}

/** The tap's schema of a stream, with account_id when add_account_id is on. */
export function streamSchema(stream: Stream, addAccountId = false): JsonObject {
  const schema = loadSchema(stream);
  if (!addAccountId) return schema;
  return { ...schema, properties: { ...(schema.properties as JsonObject), account_id: ACCOUNT_ID_SCHEMA } };
}

/** Key properties: account_id first when add_account_id is on (see docs/meltano.md, many accounts). */
export function keyProperties(stream: Stream, addAccountId = false): string[] {
  return addAccountId ? ['account_id', ...stream.keyProperties] : stream.keyProperties;
}

/** The catalog of one product's streams (Basecamp 3 unless said). */
export function discover(product: Product = PRODUCTS.bc3, addAccountId = false): { streams: CatalogEntry[] } {
  return {
    streams: product.streams.map((stream) => {
      const schema = streamSchema(stream, addAccountId);
      const rk = stream.replicationKey;
      const keys = keyProperties(stream, addAccountId);
      const automatic = new Set([...keys, ...(rk ? [rk] : [])]);
      const top: JsonObject = {
        inclusion: 'available',
        'selected-by-default': !stream.optIn,
        ...(stream.optIn ? { selected: false } : {}),
        'table-key-properties': keys,
        'valid-replication-keys': rk ? [rk] : [],
      };
      if (rk) {
        top['replication-method'] = 'INCREMENTAL';
        top['replication-key'] = rk;
      } else {
        top['forced-replication-method'] = 'FULL_TABLE';
      }
      const entry: CatalogEntry = {
        tap_stream_id: stream.name,
        stream: stream.name,
        schema,
        key_properties: keys,
        replication_method: rk ? 'INCREMENTAL' : 'FULL_TABLE',
        metadata: [
          { breadcrumb: [], metadata: top },
          ...properties(schema).map((field) => ({
            breadcrumb: ['properties', field],
            metadata: { inclusion: automatic.has(field) ? 'automatic' : 'available', 'selected-by-default': true },
          })),
        ],
      };
      if (rk) entry.replication_key = rk;
      return entry;
    }),
  };
}

/** What the sync does for one selected stream. */
export interface StreamSelection {
  /** Selected top-level fields; undefined when all are. */
  fields?: ReadonlySet<string>;
  /** Nested fields deselected (below the top level); undefined when none are. */
  drop?: Drop;
  /** FULL_TABLE makes an incremental stream ignore its bookmark (a user's Meltano metadata can ask this). */
  incremental: boolean;
}

const CATALOG_SCHEMA = {
  type: 'object',
  required: ['streams'],
  properties: {
    streams: {
      type: 'array',
      items: {
        type: 'object',
        required: ['tap_stream_id'],
        properties: {
          tap_stream_id: { type: 'string' },
          stream: { type: 'string' },
          schema: { type: 'object' },
          replication_method: { type: 'string' },
          metadata: {
            type: 'array',
            items: {
              type: 'object',
              required: ['breadcrumb', 'metadata'],
              properties: { breadcrumb: { type: 'array', items: { type: 'string' } }, metadata: { type: 'object' } },
            },
          },
        },
      },
    },
  },
};
const validateCatalog = new Ajv({ allErrors: true, strict: false }).compile(CATALOG_SCHEMA);

/** Every stream but the opt-in ones, with its default selection (a sync run with --config alone). */
export function defaultSelection(product: Product = PRODUCTS.bc3): Map<string, StreamSelection> {
  return new Map(product.streams.filter((s) => !s.optIn).map((s) => [s.name, { incremental: s.replicationKey !== undefined }]));
}

/**
 * What a sync run with `--catalog` reads. `addAccountId`: the tap's schemas carry account_id (so a
 * catalog discovered with add_account_id on is no override).
 */
export function selectionFromCatalog(
  raw: unknown,
  source: string,
  warn: (m: string) => void,
  product: Product = PRODUCTS.bc3,
  addAccountId = false,
): Map<string, StreamSelection> {
  if (!validateCatalog(raw)) throw new TapError(describeAjvErrors(`catalog ${source} is malformed`, validateCatalog.errors));
  const selection = new Map<string, StreamSelection>();
  const unknown: string[] = [];
  for (const entry of (raw as { streams: GivenEntry[] }).streams) {
    const name = String(entry.tap_stream_id);
    const stream = product.byName.get(name);
    if (!stream) {
      unknown.push(name);
      continue;
    }
    const top = topMetadata(entry);
    if (!isSelected(entry, top)) continue;
    selection.set(name, entrySelection(entry, stream, top, addAccountId, warn));
  }
  if (unknown.length > 0) warn(`catalog names streams that ${product.api.name} accounts do not have, skipped: ${unknown.join(', ')}`);
  return selection;
}

/** A stream of a catalog given to a run: validated, but otherwise as the user wrote it. */
type GivenEntry = JsonObject & { metadata?: Metadata[] };

/** The stream-level metadata of a catalog entry (the one with an empty breadcrumb), or {}. */
function topMetadata(entry: GivenEntry): JsonObject {
  return (entry.metadata ?? []).find((m) => m.breadcrumb.length === 0)?.metadata ?? {};
}

/** Whether a catalog entry selects its stream: metadata first, then the legacy schema flag, then the default. */
function isSelected(entry: GivenEntry, top: JsonObject): boolean {
  const legacy = (entry.schema as JsonObject | undefined)?.selected;
  return (top.selected ?? legacy ?? top['selected-by-default'] ?? false) === true;
}

/** What a selected catalog entry reads of its stream, warning of what in it the tap ignores. */
function entrySelection(entry: GivenEntry, stream: Stream, top: JsonObject, addAccountId: boolean, warn: (m: string) => void): StreamSelection {
  const name = stream.name;
  const schema = streamSchema(stream, addAccountId);
  for (const o of entry.schema ? schemaOverrides(schema, entry.schema as JsonObject) : []) {
    warn(`catalog overrides the schema of ${o.path ? `${name}.${o.path}` : `stream ${name}`} (${o.detail}): ignored; ${OVERRIDE_WHY}`);
  }
  const { fields, drop } = fieldSelection(stream, schema, entry.metadata ?? [], addAccountId, (m) => warn(`catalog deselects ${name}.${m}`));
  const incremental = replicatesIncrementally(entry, stream, top, warn);
  return { fields, incremental, ...(drop ? { drop } : {}) };
}

/**
 * Whether a selected stream is read incrementally: as the stream allows unless the catalog asks
 * for FULL_TABLE. Asking for INCREMENTAL where the stream cannot, or another replication key, is
 * warned of and ignored.
 */
function replicatesIncrementally(entry: GivenEntry, stream: Stream, top: JsonObject, warn: (m: string) => void): boolean {
  const name = stream.name;
  const method = (top['replication-method'] ?? entry.replication_method) as string | undefined;
  let incremental = stream.replicationKey !== undefined;
  if (method === 'FULL_TABLE') incremental = false;
  else if (method === 'INCREMENTAL' && !stream.replicationKey) warn(`stream ${name} supports FULL_TABLE only; ignoring replication-method INCREMENTAL`);
  const key = top['replication-key'] ?? entry.replication_key;
  if (key !== undefined && stream.replicationKey && key !== stream.replicationKey) {
    warn(`stream ${name} replicates on ${stream.replicationKey}; ignoring replication-key ${String(key)}`);
  }
  return incremental;
}

/**
 * Why a catalog's schema is not written: the tap converts no value, so records keep the types
 * Basecamp sends; a SCHEMA claiming others would have the loader reject (or mangle) them.
 */
const OVERRIDE_WHY = "records are written as Basecamp sends them, so SCHEMA keeps the tap's own types (deselect the field in metadata to leave it out)";

function deselected(m: JsonObject): boolean {
  if (m.inclusion === 'automatic') return false;
  if (m.selected === false || m.inclusion === 'unsupported') return true;
  return m.selected === undefined && m['selected-by-default'] === false;
}

/** Top-level fields kept and nested fields dropped, from a stream's property metadata. */
function fieldSelection(
  stream: Stream,
  schema: JsonObject,
  metadata: Metadata[],
  addAccountId: boolean,
  warn: (m: string) => void,
): Pick<StreamSelection, 'fields' | 'drop'> {
  const automatic = new Set([...keyProperties(stream, addAccountId), ...(stream.replicationKey ? [stream.replicationKey] : [])]);
  const dropped = new Set<string>();
  const nested: string[][] = [];
  for (const m of metadata) {
    const path = propertyPath(m.breadcrumb);
    if (!path || !deselected(m.metadata)) continue;
    if (path.length === 1) {
      if (!automatic.has(path[0])) dropped.add(path[0]);
    } else if (schemaAt(schema, path)) nested.push(path);
    else warn(`${path.join('.')}, which its schema does not have: ignored`);
  }
  const fields = dropped.size > 0 ? new Set(properties(schema).filter((f) => !dropped.has(f))) : undefined;
  return { fields, drop: buildDrop(nested) };
}

/**
 * The schema a SCHEMA message carries: only the selected fields (account_id is the writer's to add).
 */
export function selectedSchema(stream: Stream, fields?: ReadonlySet<string>, drop?: Drop): JsonObject {
  let schema = loadSchema(stream);
  if (fields) {
    const props = schema.properties as JsonObject;
    schema = { ...schema, properties: Object.fromEntries(Object.entries(props).filter(([k]) => fields.has(k))) };
  }
  return drop ? dropFromSchema(schema, drop) : schema;
}
