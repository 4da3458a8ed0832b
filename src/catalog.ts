/**
 * Discovery (the catalog this tap prints) and selection (what a catalog passed back asks for).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { describeAjvErrors } from './config';
import { TapError } from './errors';
import { JsonObject } from './messages';
import { PRODUCTS, Product } from './products';
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

/** The catalog of one product's streams (Basecamp 3 unless said). */
export function discover(product: Product = PRODUCTS.bc3): { streams: CatalogEntry[] } {
  return {
    streams: product.streams.map((stream) => {
      const schema = loadSchema(stream);
      const rk = stream.replicationKey;
      const automatic = new Set([...stream.keyProperties, ...(rk ? [rk] : [])]);
      const top: JsonObject = {
        inclusion: 'available',
        'selected-by-default': true,
        'table-key-properties': stream.keyProperties,
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
        key_properties: stream.keyProperties,
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

/** Every stream with its default selection (a sync run with --config alone). */
export function defaultSelection(product: Product = PRODUCTS.bc3): Map<string, StreamSelection> {
  return new Map(product.streams.map((s) => [s.name, { incremental: s.replicationKey !== undefined }]));
}

export function selectionFromCatalog(raw: unknown, source: string, warn: (m: string) => void, product: Product = PRODUCTS.bc3): Map<string, StreamSelection> {
  if (!validateCatalog(raw)) throw new TapError(describeAjvErrors(`catalog ${source} is malformed`, validateCatalog.errors));
  const selection = new Map<string, StreamSelection>();
  const unknown: string[] = [];
  for (const entry of (raw as { streams: Array<JsonObject & { metadata?: Metadata[] }> }).streams) {
    const name = String(entry.tap_stream_id);
    const stream = product.byName.get(name);
    if (!stream) {
      unknown.push(name);
      continue;
    }
    const metadata = entry.metadata ?? [];
    const top = metadata.find((m) => m.breadcrumb.length === 0)?.metadata ?? {};
    const legacy = (entry.schema as JsonObject | undefined)?.selected;
    const selected = top.selected ?? legacy ?? top['selected-by-default'] ?? false;
    if (selected !== true) continue;

    const automatic = new Set([...stream.keyProperties, ...(stream.replicationKey ? [stream.replicationKey] : [])]);
    const dropped = new Set<string>();
    for (const m of metadata) {
      if (m.breadcrumb.length !== 2 || m.breadcrumb[0] !== 'properties') continue;
      const field = m.breadcrumb[1];
      if (automatic.has(field) || m.metadata.inclusion === 'automatic') continue;
      if (m.metadata.selected === false || m.metadata.inclusion === 'unsupported') dropped.add(field);
      else if (m.metadata.selected === undefined && m.metadata['selected-by-default'] === false) dropped.add(field);
    }
    const fields = dropped.size > 0 ? new Set(properties(loadSchema(stream)).filter((f) => !dropped.has(f))) : undefined;

    const method = (top['replication-method'] ?? entry.replication_method) as string | undefined;
    let incremental = stream.replicationKey !== undefined;
    if (method === 'FULL_TABLE') incremental = false;
    else if (method === 'INCREMENTAL' && !stream.replicationKey) warn(`stream ${name} supports FULL_TABLE only; ignoring replication-method INCREMENTAL`);
    const key = top['replication-key'] ?? entry.replication_key;
    if (key !== undefined && stream.replicationKey && key !== stream.replicationKey) {
      warn(`stream ${name} replicates on ${stream.replicationKey}; ignoring replication-key ${String(key)}`);
    }
    selection.set(name, { fields, incremental });
  }
  if (unknown.length > 0) warn(`catalog names streams that ${product.api.name} accounts do not have, skipped: ${unknown.join(', ')}`);
  return selection;
}

/** The schema a SCHEMA message carries: only the selected fields. */
export function selectedSchema(stream: Stream, fields?: ReadonlySet<string>): JsonObject {
  const schema = loadSchema(stream);
  if (!fields) return schema;
  const props = schema.properties as JsonObject;
  return { ...schema, properties: Object.fromEntries(Object.entries(props).filter(([k]) => fields.has(k))) };
}
