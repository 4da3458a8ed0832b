/**
 * Errors the user sees. Anything thrown as a TapError is printed as one line on stderr
 * (no stack trace) and the process exits non-zero; anything else is a bug and is printed
 * the same way but prefixed so it is recognisable.
 */
import type { Method, RetryObject, RetryOptions } from 'got';

export class TapError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'TapError';
  }
}

/** An HTTP answer the client gave up on; `path` never carries a host, token or query secret. */
export class ApiError extends TapError {
  constructor(
    message: string,
    /** What went wrong, as the error table names it: code decides by this, never by the message. */
    readonly kind: ErrorKind,
    readonly status: number | undefined,
    readonly path: string,
    /** The answer's X-Request-Id, which Basecamp's support asks for. */
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * What a failed API request was, for the code that decides what to do about it: the engine skips
 * a `not_found` or `forbidden` child collection, and fails the run on anything else.
 */
export type ErrorKind =
  'unauthorized' | 'forbidden' | 'not_found' | 'account_inactive' | 'rate_limited' | 'server' | 'bad_request' | 'network' | 'bad_response';

/**
 * A failure as the HTTP client saw it: an answer with an error status, a connection fault before
 * any answer, or an answer whose body was unusable: cut off after the headers (a `network` fault
 * on the way, whatever status the headers carried), not JSON, or JSON of the wrong shape.
 */
export type Fault =
  | { type: 'status'; status: number; /** Basecamp's `Reason` header. */ reason?: string }
  | { type: 'connection'; code: string }
  | { type: 'body_cut'; code: string; status?: number }
  | { type: 'invalid_json'; status?: number }
  | { type: 'not_a_list'; status: number }
  | { type: 'foreign_origin'; what: 'pagination link' | 'redirect'; origin: string }
  | { type: 'endless'; pages: number; paging: string }
  /** The page after this one cannot be told (a bad Link header, a next link back to a page read). */
  | { type: 'bad_paging'; why: string }
  /** An integer the tap cannot write exactly (above 2^53 - 1): `field` is its place in the body. */
  | { type: 'unsafe_integer'; field: string; value: string };

/** What the message of a row may name. Paths are path + query: never a host, token or secret. */
export interface FaultFacts {
  path: string;
  /** Retries the request had before it was given up on. */
  retries: number;
  accountId?: number | string;
  /** The first line of the underlying error's own message (connection faults). */
  detail?: string;
  /** The answer's X-Request-Id header, when it had one. */
  requestId?: string;
}

export interface ErrorRow {
  /** Statuses this row covers: a list, or a whole class ('4xx', '5xx', 'any'). */
  status?: readonly number[] | '4xx' | '5xx' | 'any';
  /** With `status`: the row needs this in the Reason header. */
  reason?: RegExp;
  /** Connection-fault codes this row covers ('any' for every code). */
  codes?: readonly string[] | 'any';
  /** A fault of another type this row covers. */
  other?: Exclude<Fault['type'], 'status' | 'connection'>;
  kind: ErrorKind;
  /** Retried with backoff (429: after its Retry-After) up to max_retries times. */
  retried: boolean;
  message: (fault: Fault, facts: FaultFacts) => string;
}

/** Error codes of a connection that failed or dropped: worth another try. */
export const RETRIED_CODES = [
  'ETIMEDOUT',
  'ECONNRESET',
  'EADDRINUSE',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTFOUND',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ECONNABORTED',
  'EHOSTUNREACH',
] as const;

/**
 * A fault in a few words, for warnings and messages: "HTTP 503", "ECONNRESET", "ECONNRESET
 * reading the body of HTTP 200", "invalid JSON in HTTP 200".
 */
export function describeFault(fault: Fault): string {
  const of = 'status' in fault && fault.status !== undefined ? `HTTP ${fault.status}` : 'the response';
  switch (fault.type) {
    case 'status':
      return of;
    case 'connection':
      return fault.code;
    case 'body_cut':
      return `${fault.code} reading the body of ${of}`;
    case 'invalid_json':
      return `invalid JSON in ${of}`;
    case 'not_a_list':
      return `not a JSON array in ${of}`;
    case 'foreign_origin':
      return `a ${fault.what} to another origin (${fault.origin})`;
    case 'endless':
      return `more than ${fault.pages} pages`;
    case 'bad_paging':
      return 'a next page that cannot be followed';
    case 'unsafe_integer':
      return `an integer too large to write exactly (${fault.field})`;
  }
}

const after = (f: FaultFacts) => (f.retries > 0 ? ` after ${f.retries} retries` : '');
const detail = (f: FaultFacts) => (f.detail ? ` (${f.detail})` : '');
/** "HTTP 503 on GET /123/projects.json after 8 retries", "ECONNRESET on GET ... (socket hang up)". */
const onGet = (fault: Fault, f: FaultFacts) => `${describeFault(fault)} on GET ${f.path}${after(f)}`;
const onGetWithDetail = (fault: Fault, f: FaultFacts) => `${onGet(fault, f)}${detail(f)}`;

/**
 * The one table of API failures: first matching row wins. A 401 is not retried with backoff: the
 * client answers the first 401 of each request URL with one token refresh and tries again at
 * once, so the 401 that reaches this table is the one to the fresh token.
 */
export const ERROR_TABLE: readonly ErrorRow[] = [
  { status: [401], kind: 'unauthorized', retried: false, message: (_, f) => `access denied: Basecamp answered 401 to a freshly refreshed token on ${f.path}` },
  { status: [403], kind: 'forbidden', retried: false, message: onGet },
  {
    status: [404],
    reason: /account inactive/i,
    kind: 'account_inactive',
    retried: false,
    message: (_, f) => `Basecamp account ${f.accountId} is inactive (expired trial or suspended)`,
  },
  { status: [404], kind: 'not_found', retried: false, message: onGet },
  { status: [429], kind: 'rate_limited', retried: true, message: onGet },
  { status: [500, 502, 503, 504], kind: 'server', retried: true, message: onGet },
  { status: '5xx', kind: 'server', retried: false, message: onGet },
  { status: '4xx', kind: 'bad_request', retried: false, message: onGet },
  // A status got did not follow (a 3xx without a usable Location, say): not an answer to use.
  { status: 'any', kind: 'bad_response', retried: false, message: onGet },
  { codes: RETRIED_CODES, kind: 'network', retried: true, message: onGetWithDetail },
  { codes: 'any', kind: 'network', retried: false, message: onGetWithDetail },
  // Faults after the headers arrived: the status they carried is not the answer.
  { other: 'body_cut', kind: 'network', retried: true, message: onGetWithDetail },
  // No detail: JSON.parse's message can quote the body (newlines and all).
  { other: 'invalid_json', kind: 'bad_response', retried: true, message: onGet },
  { other: 'not_a_list', kind: 'bad_response', retried: false, message: (_, f) => `expected a JSON array from ${f.path}` },
  // The bearer token goes to the API origin only.
  {
    other: 'foreign_origin',
    kind: 'bad_response',
    retried: false,
    message: (fault, f) =>
      fault.type === 'foreign_origin' ? `refusing to follow a ${fault.what} from ${f.path} to another origin (${fault.origin})` : onGet(fault, f),
  },
  {
    other: 'endless',
    kind: 'bad_response',
    retried: false,
    message: (fault, f) => (fault.type === 'endless' ? `gave up on ${f.path} after ${fault.pages} pages (its ${fault.paging} never ends)` : onGet(fault, f)),
  },
  {
    other: 'bad_paging',
    kind: 'bad_response',
    retried: false,
    message: (fault, f) =>
      fault.type === 'bad_paging' ? `cannot follow the pages of ${f.path}: ${fault.why}; stopping rather than loop or leave records out` : onGet(fault, f),
  },
  // Written rounded, the id would name another record: stop instead (Basecamp's ids are far below).
  {
    other: 'unsafe_integer',
    kind: 'bad_response',
    retried: false,
    message: (fault, f) =>
      fault.type === 'unsafe_integer'
        ? `GET ${f.path} answered ${fault.field} = ${fault.value}, above 2^53 - 1, which the tap cannot write exactly; stopping rather than write a different number`
        : onGet(fault, f),
  },
];

function rowMatches(row: ErrorRow, fault: Fault): boolean {
  switch (fault.type) {
    case 'status':
      return statusCovered(row.status, fault.status) && (row.reason === undefined || row.reason.test(fault.reason ?? ''));
    case 'connection':
      return row.codes === 'any' || (Array.isArray(row.codes) && row.codes.includes(fault.code));
    default:
      return row.other === fault.type;
  }
}

/** Whether a row's statuses (a class such as 4xx, a list, or any) take in an HTTP status. */
function statusCovered(covers: ErrorRow['status'], status: number): boolean {
  if (covers === 'any') return true;
  if (covers === '4xx') return status >= 400 && status < 500;
  if (covers === '5xx') return status >= 500 && status < 600;
  return Array.isArray(covers) && covers.includes(status);
}

/** The row of the table for a fault (the table ends in catch-alls, so there always is one). */
export function errorRow(fault: Fault): ErrorRow {
  const row = ERROR_TABLE.find((r) => rowMatches(r, fault));
  if (!row) throw new Error(`no error-table row for ${JSON.stringify(fault)}`);
  return row;
}

/** Whether the client tries a request again after this fault. */
export function isRetried(fault: Fault): boolean {
  return errorRow(fault).retried;
}

/** Statuses that are retried: for got's own retry options (the client decides with isRetried). */
export const RETRIED_STATUSES: readonly number[] = ERROR_TABLE.flatMap((r) => (r.retried && Array.isArray(r.status) ? r.status : []));

/**
 * got's retry options for a request retried by the error table: up to `limit` retries of
 * `method`, on the statuses and codes the table retries, after `calculateDelay` (got's default
 * delay when absent; a delay of 0 gives up).
 */
export function retryOptions(limit: number, method: Method, calculateDelay?: (retry: RetryObject) => number | Promise<number>): Partial<RetryOptions> {
  return {
    limit,
    methods: [method],
    statusCodes: [...RETRIED_STATUSES],
    errorCodes: [...RETRIED_CODES],
    ...(calculateDelay ? { calculateDelay } : {}),
  };
}

/** The ApiError for a fault: the row's kind and its one-line message. */
export function apiError(fault: Fault, facts: FaultFacts): ApiError {
  const row = errorRow(fault);
  // The status of an answer that was used as one (not of a body cut off or not JSON).
  const status = fault.type === 'status' || fault.type === 'not_a_list' ? fault.status : undefined;
  return new ApiError(row.message(fault, facts) + requestIdNote(facts.requestId), row.kind, status, facts.path, facts.requestId);
}

/** " (X-Request-Id: abc)", what Basecamp's support asks for to find a request; '' without one. */
function requestIdNote(requestId: string | undefined): string {
  return requestId ? ` (X-Request-Id: ${requestId})` : '';
}

/**
 * The X-Request-Id header of an answer, as a message may quote it: printable ASCII, at most 100
 * characters; undefined when there is none.
 */
export function requestIdFrom(header: string | string[] | undefined): string | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  const clean = value.replace(/[^\x21-\x7e]/g, '');
  return clean ? clean.slice(0, 100) : undefined;
}

/**
 * An account-level read that answered 404 or 403: the account id is wrong, or the token cannot
 * see it. The one sentence a sync and `--test` both say; undefined for any other error.
 */
export function accountError(accountId: number | string, err: unknown): AccountError | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const id = err.requestId ? `, X-Request-Id: ${err.requestId}` : '';
  if (err.kind === 'not_found')
    return new AccountError(`account ${accountId} not found or not accessible with this token (HTTP 404 on ${err.path}${id})`, err.kind);
  if (err.kind === 'forbidden') return new AccountError(`access denied to account ${accountId} (HTTP 403 on ${err.path}${id})`, err.kind);
  return undefined;
}

/** The account itself could not be read (see accountError); the command line may add what the config set. */
export class AccountError extends TapError {
  constructor(
    message: string,
    readonly kind: 'not_found' | 'forbidden',
  ) {
    super(message);
    this.name = 'AccountError';
  }
}

/** The run was asked to stop (SIGINT/SIGTERM); not a failure of the tap. */
export class Interrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
    this.name = 'Interrupted';
  }
}

/**
 * Secrets registered here are replaced by "[redacted]" in every log line and error message.
 * The config loader registers client_secret and refresh_token; the client registers each
 * access token it receives.
 */
const secrets = new Set<string>();

export function registerSecret(value: unknown): void {
  if (typeof value === 'string' && value.length >= 4) secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join('[redacted]');
  }
  // Belt and braces: bearer tokens and OAuth form fields that were never registered.
  return out
    .replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, '$1[redacted]')
    .replace(/((?:client_secret|refresh_token|access_token|code)=)[^&\s"]+/gi, '$1[redacted]');
}
