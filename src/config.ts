import * as fs from 'node:fs';
import Ajv, { ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { apiOf, apiRoot } from './api';
import { TapError, registerSecret } from './errors';
import { LOG_FORMATS, LogFormat } from './log';

export const PROJECT_URL = 'https://github.com/tap-basecamp/tap-basecamp';
export const DEFAULT_USER_AGENT = `tap-basecamp (${PROJECT_URL})`;
export const ENV_PREFIX = 'TAP_BASECAMP_';
/** Launchpad's token endpoint, where refresh tokens are exchanged (and `tap-basecamp auth` gets one). */
export const DEFAULT_TOKEN_URL = 'https://launchpad.37signals.com/authorization/token';
/** `--config ENV`, as Meltano SDK taps spell it: settings from the environment only. */
export const CONFIG_FROM_ENV = 'ENV';

/** The validated, normalised configuration the rest of the tap reads; never changed once loaded. */
export interface Config {
  readonly account_id: number;
  readonly client_id: string;
  readonly client_secret: string;
  readonly refresh_token: string;
  readonly start_date?: string;
  readonly progress_interval_seconds: number;
  readonly user_agent: string;
  /** Which API the account speaks; undefined until Launchpad says (see products/index.ts). */
  readonly basecamp_product?: 'bc3' | 'bcx';
  readonly api_url: string;
  /**
   * api_url came from the config; else it is the default of basecamp_product (Basecamp 3's while
   * that is unset), and the API root is that of the product Launchpad names: see apiRoot (api.ts).
   */
  readonly api_url_given: boolean;
  readonly token_url: string;
  readonly max_retries: number;
  /** Unset: the API's own default rate (ApiShape.requestsPer10s, 50 for Basecamp 3). */
  readonly max_requests_per_10s?: number;
  readonly max_concurrency: number;
  readonly request_timeout_seconds: number;
  readonly backoff_base_seconds: number;
  readonly refresh_token_write_back: boolean;
  readonly log_format: LogFormat;
  /** Stamp full-table streams read whole by a stateless run with a version, then ACTIVATE_VERSION. */
  readonly activate_version: boolean;
  /** Every record and SCHEMA carries account_id (many accounts in shared tables). */
  readonly add_account_id: boolean;
  /**
   * Hours within which a full-table collection no change signal names is re-read anyway, spread
   * over runs; 0: every run re-reads every one. Basecamp 3/4/5 only: Basecamp 2 ignores it.
   */
  readonly full_refresh_hours: number;
  /** The config file written back when refresh_token_write_back is on (the last --config given). */
  readonly configPath?: string;
}

/**
 * The config JSON Schema. It is also what `--about` prints and what meltano.yml's settings
 * mirror (a test keeps the three in step), so every key carries a description, and its `default`
 * where it has one of its own (loadConfig fills those in). Secrets are `writeOnly` (JSON Schema's
 * word for values never handed back) besides `secret` (the Meltano SDK's).
 */
export const CONFIG_SCHEMA = {
  type: 'object',
  required: ['account_id', 'client_id', 'client_secret', 'refresh_token'],
  properties: {
    account_id: {
      type: ['integer', 'string'],
      pattern: '^[0-9]+$',
      minimum: 1,
      description: 'Basecamp account id: the number after 3.basecamp.com/ (Basecamp 3, 4 and 5) or basecamp.com/ (Basecamp 2) in your browser.',
    },
    basecamp_product: {
      type: 'string',
      enum: ['bc3', 'bcx'],
      description:
        'Which Basecamp the account is: bc3 (Basecamp 3, 4 and 5) or bcx (Basecamp 2). Unset: the tap asks Launchpad (one request to authorization.json per run).',
    },
    client_id: { type: 'string', minLength: 1, description: 'Client id of your Launchpad OAuth app.' },
    client_secret: { type: 'string', minLength: 1, description: 'Client secret of your Launchpad OAuth app.', secret: true, writeOnly: true },
    refresh_token: {
      type: 'string',
      minLength: 1,
      description: 'Launchpad refresh token (get one with `tap-basecamp auth`).',
      secret: true,
      writeOnly: true,
    },
    start_date: {
      type: 'string',
      anyOf: [{ format: 'date-time' }, { format: 'date' }],
      description:
        'A date (2024-01-01, read as midnight UTC) or an RFC 3339 date-time (with Z or an offset); incremental streams skip records updated (or created) before it.',
    },
    user_agent: {
      type: 'string',
      minLength: 1,
      default: DEFAULT_USER_AGENT,
      description: `User-Agent sent to Basecamp, which requires one naming the app and a contact. Default "${DEFAULT_USER_AGENT}".`,
    },
    api_url: {
      type: 'string',
      format: 'uri',
      description: 'Basecamp API root. Default https://3.basecampapi.com (Basecamp 3, 4 and 5) or https://basecamp.com (Basecamp 2).',
    },
    token_url: {
      type: 'string',
      format: 'uri',
      default: DEFAULT_TOKEN_URL,
      description: `Launchpad token endpoint. Default ${DEFAULT_TOKEN_URL}.`,
    },
    max_retries: { type: 'integer', minimum: 0, maximum: 50, default: 8, description: 'Retries of a request on 429, 5xx and network faults. Default 8.' },
    max_requests_per_10s: {
      type: 'integer',
      minimum: 1,
      maximum: 1000000,
      description:
        'Request rate the tap keeps to. Default 50 for Basecamp 3, 4 and 5 (its limit is about 50 per 10 seconds), 500 for Basecamp 2 (500 per 10 seconds).',
    },
    max_concurrency: { type: 'integer', minimum: 1, maximum: 64, default: 8, description: 'Requests in flight at once. Default 8.' },
    request_timeout_seconds: {
      type: 'number',
      exclusiveMinimum: 0,
      default: 60,
      description: 'A request that has not answered in this many seconds is retried. Default 60.',
    },
    backoff_base_seconds: {
      type: 'number',
      exclusiveMinimum: 0,
      default: 1,
      description: 'First backoff delay after a 5xx or network fault; doubles each retry (with jitter), capped at 60 s. Default 1.',
    },
    progress_interval_seconds: {
      type: 'number',
      minimum: 5,
      maximum: 30,
      default: 30,
      description: 'How often a sync prints a progress line on stderr, in seconds (5 to 30). Default 30.',
    },
    refresh_token_write_back: {
      type: 'boolean',
      default: false,
      description:
        'When Launchpad hands out a new refresh token, write it back into the (last) --config file, atomically. For cron use; useless under Meltano, which regenerates that file. Default false.',
    },
    log_format: {
      type: 'string',
      enum: LOG_FORMATS,
      default: 'text',
      description:
        'Format of the log lines on stderr: text (time, account, level, message; METRIC lines as Meltano SDK taps print them) or json (one JSON object a line with level, message, account_id and, where a line is about one, stream; a metric line carries it as metric). Default text.',
    },
    activate_version: {
      type: 'boolean',
      default: false,
      description:
        'On a run without state (meltano run --full-refresh, a stateless cron run), stamp every full-table stream read whole with a version and end it with ACTIVATE_VERSION, so the loader removes rows Basecamp deleted. Targets that do not know ACTIVATE_VERSION (target-jsonl) die on it. Default false.',
    },
    add_account_id: {
      type: 'boolean',
      default: false,
      description:
        'Every record and SCHEMA carries account_id (an integer, first among the key properties), so several accounts can be loaded into shared tables. Default false.',
    },
    full_refresh_hours: {
      type: 'number',
      minimum: 0,
      default: 24,
      description:
        'Basecamp 3, 4 and 5: hours within which a full-table collection that no change signal names is re-read anyway, spread over runs (at 24, an hourly schedule re-reads about a 24th of them each run); a fraction such as 0.5 is allowed. 0: every run re-reads every full-table collection. Basecamp 2 accepts it and ignores it (its runs after the first read what its change feed names, as before). Default 24.',
    },
  },
} as const;

export const CONFIG_KEYS = Object.keys(CONFIG_SCHEMA.properties) as Array<keyof typeof CONFIG_SCHEMA.properties>;
export const SECRET_KEYS = CONFIG_KEYS.filter((k) => (CONFIG_SCHEMA.properties[k] as { secret?: boolean }).secret);

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validateConfig = ajv.compile(CONFIG_SCHEMA);
const validateStartDate = ajv.compile(CONFIG_SCHEMA.properties.start_date);

/** A date alone (as Meltano's date_iso8601 settings hold it) is midnight UTC. */
function normalStartDate(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
}

/** Why a start_date is not one the tap reads, in one clause naming the forms it takes; undefined when it is. */
export function startDateProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && validateStartDate(value) && !Number.isNaN(Date.parse(normalStartDate(value)))) return undefined;
  return `start_date must be a date such as 2024-01-01 (midnight UTC) or an RFC 3339 date-time such as 2024-01-01T09:30:00Z or 2024-01-01T09:30:00+02:00 (got ${JSON.stringify(value)})`;
}

/** One line per ajv error, naming the field. */
export function describeAjvErrors(what: string, errors: ErrorObject[] | null | undefined, more: string[] = []): string {
  const parts = (errors ?? []).map((e) => {
    const at = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
    if (e.keyword === 'required') return `${at ? `${at}.` : ''}${(e.params as { missingProperty: string }).missingProperty} is required`;
    const field = at || '(top level)';
    if (e.keyword === 'format') return `${field} must be ${e.params.format === 'date-time' ? 'an RFC 3339 date-time' : `a valid ${e.params.format}`}`;
    if (e.keyword === 'pattern' && field === 'account_id') return 'account_id must be a number';
    if (e.keyword === 'enum')
      return `${field} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    return `${field} ${e.message}`;
  });
  return `${what}: ${[...new Set([...parts, ...more])].join('; ')}`;
}

function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new TapError(`${what} file ${path} cannot be read (${code === 'ENOENT' ? 'no such file' : (code ?? 'unknown error')})`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new TapError(`${what} file ${path} is not valid JSON (${(err as Error).message})`);
  }
}

export { readJsonFile };

/** Reads TAP_BASECAMP_<KEY> variables, coercing numbers and booleans as Meltano writes them. */
function configFromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    const raw = env[ENV_PREFIX + key.toUpperCase()];
    if (raw === undefined || raw === '') continue;
    const spec = CONFIG_SCHEMA.properties[key] as { type: string | readonly string[] };
    const types = Array.isArray(spec.type) ? spec.type : [spec.type];
    if (types.includes('boolean')) out[key] = /^(1|true|yes|on)$/i.test(raw);
    else if ((types.includes('integer') || types.includes('number')) && !types.includes('string') && /^-?\d+(\.\d+)?$/.test(raw)) out[key] = Number(raw);
    else out[key] = raw;
  }
  return out;
}

function isLocalHost(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/** The bearer token and client secret never travel in clear text, except to a local test server. */
export function carriesSecretsSafely(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLocalHost(url));
}

/**
 * Loads config from the environment and the given files (later files override earlier ones,
 * files override the environment), validates it and fills the defaults. A path `ENV` names no
 * file: it is the Meltano SDK's way of saying "settings from the environment" (read anyway).
 */
export function loadConfig(paths: string[], env: NodeJS.ProcessEnv, warn: (m: string) => void): Config {
  const files = paths.filter((p) => p !== CONFIG_FROM_ENV);
  const merged = mergedSettings(files, env);
  for (const key of SECRET_KEYS) registerSecret(merged[key]);
  checkSettings(merged, warn);
  const config = normalConfig(merged, files[files.length - 1]);
  for (const key of ['api_url', 'token_url'] as const) {
    if (!carriesSecretsSafely(new URL(config[key]))) {
      throw new TapError(`invalid config: ${key} must be an https URL (http is allowed only for localhost)`);
    }
  }
  return config;
}

/** The environment's settings, then each file's over them. */
function mergedSettings(files: string[], env: NodeJS.ProcessEnv): Record<string, unknown> {
  let merged: Record<string, unknown> = configFromEnv(env);
  for (const path of files) {
    const value = readJsonFile(path, 'config');
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new TapError(`config file ${path} must hold a JSON object`);
    }
    merged = { ...merged, ...(value as Record<string, unknown>) };
  }
  return merged;
}

/** Throws one line naming every invalid setting; warns of keys the tap does not know. */
function checkSettings(merged: Record<string, unknown>, warn: (m: string) => void): void {
  // start_date's anyOf would read as three clauses; one says which forms it takes.
  const dateProblem = startDateProblem(merged.start_date);
  if (!validateConfig(merged) || dateProblem) {
    const others = (validateConfig.errors ?? []).filter((e) => e.instancePath !== '/start_date');
    throw new TapError(describeAjvErrors('invalid config', others, dateProblem ? [dateProblem] : []));
  }
  const unknown = Object.keys(merged).filter((k) => !(CONFIG_KEYS as string[]).includes(k));
  if (unknown.length > 0) warn(`ignoring unknown config keys: ${unknown.sort().join(', ')}`);
}

/** Keys whose schema gives a default of their own, which a setting left out takes. */
type DefaultedKey = {
  [K in keyof typeof CONFIG_SCHEMA.properties]: (typeof CONFIG_SCHEMA.properties)[K] extends { default: unknown } ? K : never;
}[keyof typeof CONFIG_SCHEMA.properties];

/** A setting as given, else the schema's default. */
function orDefault<K extends DefaultedKey>(merged: Record<string, unknown>, key: K): (typeof CONFIG_SCHEMA.properties)[K]['default'] {
  return (merged[key] as (typeof CONFIG_SCHEMA.properties)[K]['default'] | undefined) ?? CONFIG_SCHEMA.properties[key].default;
}

/** The validated settings as the tap reads them: numbers, defaults filled in, the API root decided. */
function normalConfig(merged: Record<string, unknown>, configPath: string | undefined): Config {
  const apiUrl = { api_url: String(merged.api_url ?? '').replace(/\/+$/, ''), api_url_given: merged.api_url !== undefined };
  return {
    account_id: Number(merged.account_id),
    client_id: String(merged.client_id),
    client_secret: String(merged.client_secret),
    refresh_token: String(merged.refresh_token),
    start_date: typeof merged.start_date === 'string' ? normalStartDate(merged.start_date) : undefined,
    progress_interval_seconds: orDefault(merged, 'progress_interval_seconds'),
    user_agent: orDefault(merged, 'user_agent'),
    basecamp_product: merged.basecamp_product as Config['basecamp_product'],
    api_url: apiRoot(apiUrl, apiOf(merged.basecamp_product as string | undefined)),
    api_url_given: apiUrl.api_url_given,
    token_url: orDefault(merged, 'token_url'),
    max_retries: orDefault(merged, 'max_retries'),
    max_requests_per_10s: merged.max_requests_per_10s as number | undefined,
    max_concurrency: orDefault(merged, 'max_concurrency'),
    request_timeout_seconds: orDefault(merged, 'request_timeout_seconds'),
    backoff_base_seconds: orDefault(merged, 'backoff_base_seconds'),
    refresh_token_write_back: orDefault(merged, 'refresh_token_write_back'),
    log_format: orDefault(merged, 'log_format'),
    activate_version: orDefault(merged, 'activate_version'),
    add_account_id: orDefault(merged, 'add_account_id'),
    full_refresh_hours: orDefault(merged, 'full_refresh_hours'),
    configPath,
  };
}
