/**
 * Answers Basecamp's API may give that the simulator does not: odd Link headers, ids above 2^53,
 * failures carrying X-Request-Id, and an api_url nothing answers on. The built CLI runs against
 * small scripted servers on 127.0.0.1 (ephemeral ports), reading the people stream alone (one
 * root list: the token, then /ACCOUNT/people.json and its pages).
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { TapRun, logLines, recordsOf, runTap, tmpDir, writeJson } from '../helpers/tap';

const ACCOUNT = 4242;
const PEOPLE = `/${ACCOUNT}/people.json`;

/** One scripted answer: status, headers, and a body (a string is sent as it is). */
interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
}

interface Scripted {
  origin: string;
  /** Paths (with query) of the API requests answered, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** A server that hands out a token and answers GETs with `answer(pathAndQuery, origin)` (404 when undefined). */
async function scripted(answer: (path: string, origin: string) => Answer | undefined): Promise<Scripted> {
  const requests: string[] = [];
  let origin = '';
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const path = req.url ?? '/';
      if (req.method === 'POST' && path === '/authorization/token') return send(res, { body: { access_token: 'at-odd-Kk2Ll3', expires_in: 1_209_600 } });
      // The event feed is asked first; like an account without one, this server answers it 404 (left out of `requests`).
      if (!path.includes('/events.json')) requests.push(path);
      send(res, answer(path, origin) ?? { status: 404, body: { error: 'not found' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function send(res: ServerResponse, { status = 200, headers = {}, body }: Answer): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

const person = (id: number | string) => ({ id, name: `Person ${id}`, created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-02T00:00:00Z' });

let dir: string;
beforeAll(() => {
  dir = tmpDir('tap-basecamp-odd-');
});

function config(origin: string, extra: object = {}): string {
  return writeJson(dir, `config-${Math.random().toString(36).slice(2)}.json`, {
    account_id: ACCOUNT,
    client_id: 'odd-client',
    client_secret: 'odd-secret-Zz9',
    refresh_token: 'odd-refresh-Yy8',
    api_url: origin,
    token_url: `${origin}/authorization/token`,
    basecamp_product: 'bc3',
    user_agent: 'tap-basecamp tests (test@example.com)',
    max_requests_per_10s: 10000,
    backoff_base_seconds: 0.01,
    max_retries: 1,
    ...extra,
  });
}

const PEOPLE_ONLY = { streams: [{ tap_stream_id: 'people', metadata: [{ breadcrumb: [], metadata: { selected: true } }] }] };

/** The people stream alone, against `server`. */
async function syncPeople(server: Scripted, extra: object = {}): Promise<TapRun> {
  return runTap(['--config', config(server.origin, extra), '--catalog', writeJson(dir, 'people-only.json', PEOPLE_ONLY)], { timeoutMs: 60_000 });
}

/** Exit 1, one ERROR line matching `pattern` and nothing else above INFO, no stack, no secret. */
function expectOneErrorLine(run: TapRun, pattern: RegExp): void {
  expect(run.signal).toBeNull();
  expect(run.code).toBe(1);
  expect(logLines(run.stderr).filter((l) => !/ INFO /.test(l))).toEqual([expect.stringMatching(pattern)]);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  for (const secret of ['odd-secret-Zz9', 'odd-refresh-Yy8', 'at-odd-Kk2Ll3']) expect(run.stderr + run.stdout).not.toContain(secret);
}

describe('Link headers', () => {
  /** Page 1 holds people 1-2 with `link` (and X-Total-Count 4 when `total`); page 2 holds 3-4. */
  function twoPages(link: (origin: string) => string, total: boolean) {
    const count: Record<string, string> = total ? { 'x-total-count': '4' } : {};
    return scripted((path, origin): Answer | undefined => {
      if (path === PEOPLE) return { headers: { link: link(origin), ...count }, body: [person(1), person(2)] };
      if (path === `${PEOPLE}?page=2`) return { headers: count, body: [person(3), person(4)] };
      return undefined;
    });
  }

  it.each([
    ['with X-Total-Count (it stopped at page 1, exit 0)', true],
    ['without X-Total-Count (it read page 1 again and again)', false],
  ])('an empty first next target: one error line after one request, %s', async (_how, total) => {
    const server = await twoPages((origin) => `<>; rel="next", <${origin}${PEOPLE}?page=2>; rel="next"`, total);
    try {
      const run = await syncPeople(server);
      expectOneErrorLine(
        run,
        /ERROR cannot follow the pages of \/4242\/people\.json: its Link header names an empty rel="next" target \(<>\), which is this same page: .*; stopping rather than loop or leave records out$/,
      );
      expect(server.requests).toEqual([PEOPLE]);
      expect(recordsOf(run.messages, 'people')).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('a malformed header (it stopped after page 1, exit 0): one error line', async () => {
    const server = await twoPages(() => `>x</${ACCOUNT}/people.json?page=2>; rel="next"`, true);
    try {
      const run = await syncPeople(server);
      expectOneErrorLine(
        run,
        /ERROR cannot follow the pages of \/4242\/people\.json: its Link header does not parse \(Unexpected character ">" at offset 0\): ">x<\/4242\/people\.json\?page=2>; rel=\\"next\\""; stopping/,
      );
      expect(server.requests).toEqual([PEOPLE]);
    } finally {
      await server.close();
    }
  });

  it('two next targets that disagree: one error line naming both', async () => {
    const server = await twoPages((origin) => `<${origin}${PEOPLE}?page=2>; rel="next", <${origin}${PEOPLE}?page=3>; rel="next"`, true);
    try {
      const run = await syncPeople(server);
      expectOneErrorLine(run, /ERROR cannot follow the pages of \/4242\/people\.json: its Link header names 2 different rel="next" pages: .*page=2.*page=3/);
      expect(server.requests).toEqual([PEOPLE]);
    } finally {
      await server.close();
    }
  });

  it('a next link back to page 1 (it read pages 1 and 2 in turn until 10,000 pages): one error line naming the page', async () => {
    const server = await scripted((path, origin) => {
      if (path === PEOPLE) return { headers: { link: `<${origin}${PEOPLE}?page=2>; rel="next"` }, body: [person(1), person(2)] };
      if (path === `${PEOPLE}?page=2`) return { headers: { link: `<${origin}${PEOPLE}>; rel="next"` }, body: [person(3), person(4)] };
      return undefined;
    });
    try {
      const run = await syncPeople(server);
      expectOneErrorLine(
        run,
        /ERROR cannot follow the pages of \/4242\/people\.json\?page=2: the next page its Link header names, \/4242\/people\.json, is page 1 of this walk, already read; stopping/,
      );
      expect(server.requests).toEqual([PEOPLE, `${PEOPLE}?page=2`]);
    } finally {
      await server.close();
    }
  });

  it('well-formed odd headers still page: a relative target named twice, extra relations, and a last page linking back with rel="prev"', async () => {
    const server = await scripted((path, origin) => {
      if (path === PEOPLE)
        return {
          headers: { link: `<${PEOPLE}?page=2>; rel="next", <${origin}${PEOPLE}?page=2>; REL=next; title="more", <${PEOPLE}?page=3>; rel="last"` },
          body: [person(1), person(2)],
        };
      if (path === `${PEOPLE}?page=2`) return { headers: { link: `<?page=3>; rel="next last", <${PEOPLE}>; rel="prev first"` }, body: [person(3), person(4)] };
      if (path === `${PEOPLE}?page=3`) return { headers: { link: `<${PEOPLE}?page=2>; rel="prev", <${PEOPLE}>; rel="first"` }, body: [person(5)] };
      return undefined;
    });
    try {
      const run = await syncPeople(server);
      expect(run.code).toBe(0);
      expect(recordsOf(run.messages, 'people').map((r) => r.id)).toEqual([1, 2, 3, 4, 5]);
      expect(server.requests).toEqual([PEOPLE, `${PEOPLE}?page=2`, `${PEOPLE}?page=3`]);
    } finally {
      await server.close();
    }
  });
});

describe('ids above 2^53', () => {
  it('9007199254740993 is never written as another number: one error line naming the field and the digits sent', async () => {
    const server = await scripted((path, origin) =>
      path === PEOPLE
        ? {
            body: `[{"id":7,"name":"Seven","url":"${origin}${PEOPLE}/7.json"},{"id":9007199254740993,"name":"Big","url":"${origin}/${ACCOUNT}/people/9007199254740993.json"}]`,
          }
        : undefined,
    );
    try {
      const run = await syncPeople(server);
      expectOneErrorLine(
        run,
        /ERROR GET \/4242\/people\.json answered \[1\]\.id = 9007199254740993, above 2\^53 - 1, which the tap cannot write exactly; stopping rather than write a different number$/,
      );
      expect(run.stdout).not.toContain('9007199254740992');
      expect(recordsOf(run.messages, 'people')).toEqual([]);
      expect(server.requests).toEqual([PEOPLE]); // not retried: the answer will not change
    } finally {
      await server.close();
    }
  });

  it('the largest safe id, and long digit runs inside strings, are written exactly', async () => {
    const body = `[{"id":9007199254740991,"name":"Max","attachable_sgid":"BAh12345678901234567890"}]`;
    const server = await scripted((path) => (path === PEOPLE ? { body } : undefined));
    try {
      const run = await syncPeople(server);
      expect(run.code).toBe(0);
      const line = run.stdout.split('\n').find((l) => l.includes('"RECORD"'))!;
      expect(line).toContain('"id":9007199254740991');
      expect(line).toContain('"attachable_sgid":"BAh12345678901234567890"');
    } finally {
      await server.close();
    }
  });
});

describe('X-Request-Id', () => {
  it('a request that keeps failing: the error line carries the request id of its last answer', async () => {
    let n = 0;
    const server = await scripted((path) =>
      path === PEOPLE ? { status: 500, headers: { 'x-request-id': `req-odd-${++n}` }, body: { error: 'oops' } } : undefined,
    );
    try {
      const run = await syncPeople(server);
      expect(run.code).toBe(1);
      const errors = logLines(run.stderr).filter((l) => / ERROR /.test(l));
      expect(errors).toEqual([expect.stringMatching(/ERROR HTTP 500 on GET \/4242\/people\.json after 1 retries \(X-Request-Id: req-odd-2\)$/)]);
    } finally {
      await server.close();
    }
  });

  it('a 404 on the account: the account sentence keeps the request id', async () => {
    const server = await scripted((path) =>
      path === PEOPLE ? { status: 404, headers: { 'x-request-id': 'req-odd-404' }, body: { error: 'not found' } } : undefined,
    );
    try {
      const run = await syncPeople(server);
      // basecamp_product is set (bc3), so the line also says it may be the wrong one.
      expectOneErrorLine(
        run,
        /ERROR account 4242 not found or not accessible with this token \(HTTP 404 on \/4242\/people\.json, X-Request-Id: req-odd-404\), or it is not a Basecamp 3, 4 and 5 account as basecamp_product "bc3" says: /,
      );
    } finally {
      await server.close();
    }
  });
});

describe('an api_url nothing answers on', () => {
  it('says so once (not once per retry of every request), then fails in one line', async () => {
    const server = await scripted(() => undefined); // the token only
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    try {
      // Every stream, 8 retries and 8 requests in flight (the defaults), backoff shrunk to ms.
      const path = config(server.origin, { api_url: `http://127.0.0.1:${port}`, max_retries: 8 });
      const run = await runTap(['--config', path], { timeoutMs: 60_000 });
      expect(run.code).toBe(1);
      const lines = logLines(run.stderr).filter((l) => !/ INFO /.test(l));
      expect(lines).toEqual([
        expect.stringMatching(
          new RegExp(`WARN ECONNREFUSED on /4242/\\S+; retry 1/8 in [\\d.]+ s \\(repeats of it at 127\\.0\\.0\\.1:${port}: one line a minute\\)$`),
        ),
        expect.stringMatching(/ERROR ECONNREFUSED on GET \/4242\/\S+ after 8 retries \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/),
      ]);
    } finally {
      await server.close();
    }
  });
});
