/**
 * The error table of src/errors.ts, row by row: which faults each row covers, the kind it gives,
 * whether the client retries, and the one line the user reads. A row added to the table without
 * a case here fails the coverage test at the end.
 */
import {
  ApiError,
  ERROR_TABLE,
  ErrorKind,
  Fault,
  FaultFacts,
  RETRIED_CODES,
  RETRIED_STATUSES,
  TapError,
  accountError,
  apiError,
  describeFault,
  errorRow,
  isRetried,
  requestIdFrom,
} from '../../src/errors';

const facts: FaultFacts = { path: '/123/projects.json?status=archived', retries: 3, accountId: 123, detail: 'socket hang up' };
const noRetries: FaultFacts = { ...facts, retries: 0 };

/** [what, fault, kind, retried, message with `facts`] */
const CASES: Array<[string, Fault, ErrorKind, boolean, string]> = [
  [
    '401',
    { type: 'status', status: 401 },
    'unauthorized',
    false,
    'access denied: Basecamp answered 401 to a freshly refreshed token on /123/projects.json?status=archived',
  ],
  ['403', { type: 'status', status: 403 }, 'forbidden', false, 'HTTP 403 on GET /123/projects.json?status=archived after 3 retries'],
  [
    '404 with Reason: Account Inactive',
    { type: 'status', status: 404, reason: 'Account Inactive' },
    'account_inactive',
    false,
    'Basecamp account 123 is inactive (expired trial or suspended)',
  ],
  ['404', { type: 'status', status: 404 }, 'not_found', false, 'HTTP 404 on GET /123/projects.json?status=archived after 3 retries'],
  [
    '404 with another Reason',
    { type: 'status', status: 404, reason: 'Gone fishing' },
    'not_found',
    false,
    'HTTP 404 on GET /123/projects.json?status=archived after 3 retries',
  ],
  ['429', { type: 'status', status: 429 }, 'rate_limited', true, 'HTTP 429 on GET /123/projects.json?status=archived after 3 retries'],
  ['500', { type: 'status', status: 500 }, 'server', true, 'HTTP 500 on GET /123/projects.json?status=archived after 3 retries'],
  ['502', { type: 'status', status: 502 }, 'server', true, 'HTTP 502 on GET /123/projects.json?status=archived after 3 retries'],
  ['503', { type: 'status', status: 503 }, 'server', true, 'HTTP 503 on GET /123/projects.json?status=archived after 3 retries'],
  ['504', { type: 'status', status: 504 }, 'server', true, 'HTTP 504 on GET /123/projects.json?status=archived after 3 retries'],
  ['501', { type: 'status', status: 501 }, 'server', false, 'HTTP 501 on GET /123/projects.json?status=archived after 3 retries'],
  ['507', { type: 'status', status: 507 }, 'server', false, 'HTTP 507 on GET /123/projects.json?status=archived after 3 retries'],
  ['400', { type: 'status', status: 400 }, 'bad_request', false, 'HTTP 400 on GET /123/projects.json?status=archived after 3 retries'],
  ['410', { type: 'status', status: 410 }, 'bad_request', false, 'HTTP 410 on GET /123/projects.json?status=archived after 3 retries'],
  ['422', { type: 'status', status: 422 }, 'bad_request', false, 'HTTP 422 on GET /123/projects.json?status=archived after 3 retries'],
  ['300 (not followed)', { type: 'status', status: 300 }, 'bad_response', false, 'HTTP 300 on GET /123/projects.json?status=archived after 3 retries'],
  ...RETRIED_CODES.map((code): [string, Fault, ErrorKind, boolean, string] => [
    code,
    { type: 'connection', code },
    'network',
    true,
    `${code} on GET /123/projects.json?status=archived after 3 retries (socket hang up)`,
  ]),
  ['EPROTO', { type: 'connection', code: 'EPROTO' }, 'network', false, 'EPROTO on GET /123/projects.json?status=archived after 3 retries (socket hang up)'],
  [
    'CERT_HAS_EXPIRED',
    { type: 'connection', code: 'CERT_HAS_EXPIRED' },
    'network',
    false,
    'CERT_HAS_EXPIRED on GET /123/projects.json?status=archived after 3 retries (socket hang up)',
  ],
  [
    'a body cut after the headers of a 200',
    { type: 'body_cut', code: 'ECONNRESET', status: 200 },
    'network',
    true,
    'ECONNRESET reading the body of HTTP 200 on GET /123/projects.json?status=archived after 3 retries (socket hang up)',
  ],
  [
    'a 200 that is not JSON',
    { type: 'invalid_json', status: 200 },
    'bad_response',
    true,
    'invalid JSON in HTTP 200 on GET /123/projects.json?status=archived after 3 retries',
  ],
  [
    'a collection answered with an object',
    { type: 'not_a_list', status: 200 },
    'bad_response',
    false,
    'expected a JSON array from /123/projects.json?status=archived',
  ],
  [
    'a pagination link to another origin',
    { type: 'foreign_origin', what: 'pagination link', origin: 'https://evil.example.com' },
    'bad_response',
    false,
    'refusing to follow a pagination link from /123/projects.json?status=archived to another origin (https://evil.example.com)',
  ],
  [
    'a redirect to another origin',
    { type: 'foreign_origin', what: 'redirect', origin: 'https://evil.example.com' },
    'bad_response',
    false,
    'refusing to follow a redirect from /123/projects.json?status=archived to another origin (https://evil.example.com)',
  ],
  [
    'pages that never end',
    { type: 'endless', pages: 10_000, paging: 'Link header' },
    'bad_response',
    false,
    'gave up on /123/projects.json?status=archived after 10000 pages (its Link header never ends)',
  ],
  [
    'a next page that cannot be told',
    { type: 'bad_paging', why: 'its Link header does not parse' },
    'bad_response',
    false,
    'cannot follow the pages of /123/projects.json?status=archived: its Link header does not parse; stopping rather than loop or leave records out',
  ],
  [
    'an integer above 2^53 - 1',
    { type: 'unsafe_integer', field: '[3].id', value: '9007199254740993' },
    'bad_response',
    false,
    'GET /123/projects.json?status=archived answered [3].id = 9007199254740993, above 2^53 - 1, which the tap cannot write exactly; stopping rather than write a different number',
  ],
];

describe('the error table', () => {
  test.each(CASES)('%s => %s, retried %s', (_what, fault, kind, retried, message) => {
    const row = errorRow(fault);
    expect(row.kind).toBe(kind);
    expect(row.retried).toBe(retried);
    expect(isRetried(fault)).toBe(retried);
    expect(row.message(fault, facts)).toBe(message);
  });

  test.each(CASES)('%s: apiError carries the kind, the path and (for an answer) the status, in one line', (_what, fault, kind, _retried, message) => {
    const err = apiError(fault, facts);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toBeInstanceOf(TapError);
    expect(err.kind).toBe(kind);
    expect(err.path).toBe(facts.path);
    expect(err.message).toBe(message);
    expect(err.message).not.toMatch(/\n/);
    const answered = fault.type === 'status' || fault.type === 'not_a_list';
    expect(err.status).toBe(answered ? fault.status : undefined);
  });

  test('a request given up on without retries says no "after 0 retries"', () => {
    expect(apiError({ type: 'status', status: 404 }, noRetries).message).toBe('HTTP 404 on GET /123/projects.json?status=archived');
    expect(apiError({ type: 'status', status: 503 }, noRetries).message).toBe('HTTP 503 on GET /123/projects.json?status=archived');
    expect(apiError({ type: 'connection', code: 'ECONNREFUSED' }, { path: '/123/a.json', retries: 0 }).message).toBe('ECONNREFUSED on GET /123/a.json');
  });

  test('a cut body of an unknown status and a connection fault without detail', () => {
    expect(apiError({ type: 'body_cut', code: 'ECONNRESET' }, { path: '/123/a.json', retries: 1 }).message).toBe(
      'ECONNRESET reading the body of the response on GET /123/a.json after 1 retries',
    );
    expect(apiError({ type: 'invalid_json' }, { path: '/123/a.json', retries: 0 }).message).toBe('invalid JSON in the response on GET /123/a.json');
  });

  test('the retried statuses and codes that got is told are the ones the table retries', () => {
    expect([...RETRIED_STATUSES].sort()).toEqual([429, 500, 502, 503, 504]);
    for (let status = 100; status < 600; status++) {
      expect(RETRIED_STATUSES.includes(status)).toBe(isRetried({ type: 'status', status }));
    }
    for (const code of RETRIED_CODES) expect(isRetried({ type: 'connection', code })).toBe(true);
  });

  test('describeFault names each fault the way warnings print it', () => {
    expect(describeFault({ type: 'status', status: 503 })).toBe('HTTP 503');
    expect(describeFault({ type: 'connection', code: 'ECONNRESET' })).toBe('ECONNRESET');
    expect(describeFault({ type: 'body_cut', code: 'ECONNRESET', status: 200 })).toBe('ECONNRESET reading the body of HTTP 200');
    expect(describeFault({ type: 'invalid_json', status: 200 })).toBe('invalid JSON in HTTP 200');
  });

  test.each(CASES)('%s: with an X-Request-Id, the line ends with it', (_what, fault, _kind, _retried, message) => {
    const err = apiError(fault, { ...facts, requestId: 'f3a1c2d4-77e0-4b6a-9c1e-0b5d2a7e9f10' });
    expect(err.message).toBe(`${message} (X-Request-Id: f3a1c2d4-77e0-4b6a-9c1e-0b5d2a7e9f10)`);
    expect(err.requestId).toBe('f3a1c2d4-77e0-4b6a-9c1e-0b5d2a7e9f10');
  });

  test('every row of the table is reached by a case above (first match wins)', () => {
    const reached = new Set(CASES.map(([, fault]) => errorRow(fault)));
    expect(ERROR_TABLE.filter((row) => !reached.has(row))).toEqual([]);
  });
});

describe('X-Request-Id', () => {
  test.each<[string | string[] | undefined, string | undefined]>([
    ['f3a1c2d4-77e0-4b6a-9c1e-0b5d2a7e9f10', 'f3a1c2d4-77e0-4b6a-9c1e-0b5d2a7e9f10'],
    ['  abc123  ', 'abc123'],
    [['first', 'second'], 'first'],
    ['with space\tand tab', 'withspaceandtab'],
    ['x'.repeat(300), 'x'.repeat(100)],
    ['', undefined],
    ['   ', undefined],
    ['\u00e9\u00e8', undefined],
    [undefined, undefined],
  ])('requestIdFrom(%p) = %p', (header, expected) => {
    expect(requestIdFrom(header)).toBe(expected);
  });

  test('the account sentences keep the request id of the answer they rephrase', () => {
    const notFound = apiError({ type: 'status', status: 404 }, { path: '/123/projects.json', retries: 0, requestId: 'req-404' });
    const forbidden = apiError({ type: 'status', status: 403 }, { path: '/123/projects.json', retries: 0, requestId: 'req-403' });
    expect(accountError(123, notFound)!.message).toBe(
      'account 123 not found or not accessible with this token (HTTP 404 on /123/projects.json, X-Request-Id: req-404)',
    );
    expect(accountError(123, forbidden)!.message).toBe('access denied to account 123 (HTTP 403 on /123/projects.json, X-Request-Id: req-403)');
    expect(accountError(123, apiError({ type: 'status', status: 404 }, { path: '/123/a.json', retries: 0 }))!.message).toBe(
      'account 123 not found or not accessible with this token (HTTP 404 on /123/a.json)',
    );
  });
});
