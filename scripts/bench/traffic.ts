/** What the simulator saw of a tap run: arrivals, statuses, endpoints, empty lists, bursts. */
import { ServerResponse } from 'node:http';
import { RequestLogEntry, Simulator } from '../../simulator';

/** Stamps every logged request with its arrival time (the log entries carry none); empty it with the log. */
export function stampArrivals(sim: Simulator): number[] {
  const times: number[] = [];
  const log = sim.requests as RequestLogEntry[] & { push: (...items: RequestLogEntry[]) => number };
  const push = Array.prototype.push;
  log.push = function (this: RequestLogEntry[], ...items: RequestLogEntry[]): number {
    const now = Date.now();
    for (let i = 0; i < items.length; i++) times.push(now);
    return push.apply(this, items);
  };
  return times;
}

/**
 * Watches the simulator's answers (this process's http.ServerResponse.writeHead) for list pages
 * whose X-Total-Count is 0 (Basecamp 2's, which carry no count: a body of two bytes, `[]`):
 * requests the data did not need in hindsight, though the tap could not know before asking.
 * Counted per endpoint; no body is read or kept.
 */
export function watchEmptyLists(): Map<string, number> {
  const empty = new Map<string, number>();
  const proto = ServerResponse.prototype as unknown as { writeHead: (this: ServerResponse, status: number, ...rest: unknown[]) => ServerResponse };
  const writeHead = proto.writeHead;
  proto.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]): ServerResponse {
    try {
      const headers = rest.find((x) => x !== null && typeof x === 'object' && !Array.isArray(x)) as Record<string, unknown> | undefined;
      const url = (this as ServerResponse & { req?: { url?: string } }).req?.url;
      if (status === 200 && url && headers && headers['X-Total-Count'] !== undefined && Number(headers['X-Total-Count']) === 0) {
        const { endpoint } = endpointOf(url);
        empty.set(endpoint, (empty.get(endpoint) ?? 0) + 1);
      } else if (status === 200 && url && headers && headers['X-Total-Count'] === undefined && Number(headers['Content-Length']) === 2) {
        // Basecamp 2 lists carry no count: an answer of two bytes is `[]`.
        const { endpoint } = endpointOf(url);
        empty.set(endpoint, (empty.get(endpoint) ?? 0) + 1);
      }
    } catch {
      /* counting must never break the simulator */
    }
    return writeHead.call(this, status, ...rest);
  };
  return empty;
}

export interface Traffic {
  apiRequests: number;
  launchpadRequests: number;
  minimumRequests: number;
  successResponses: number;
  duplicateReads: number;
  rateLimited: number;
  byStatus: Record<string, number>;
  /** Seconds after the tap started at which 429s arrived (first 20). */
  rateLimitedAt: number[];
  rateLimitedAfter10s: number;
  /** Most API requests arriving in any window of the product's rate-limit window. */
  maxIn10s: number;
  /** The API requests of the busiest second, to spot bursts. */
  maxIn1s: number;
  /** Requests per second between the first and the last API request. */
  meanRate: number;
  /** API requests per endpoint (ids as :id, page dropped), most requested first. */
  byEndpoint: Array<{ endpoint: string; requests: number; laterPages: number; emptyLists: number }>;
  /** 200 answers that were an empty list (X-Total-Count: 0). */
  emptyLists: number;
  /** URLs answered 200/304 more than once (the duplicate reads), most read first. */
  repeatedUrls: Array<{ url: string; reads: number }>;
}

/** URLs read (200/304) more than once, most read first, account prefix dropped. */
function repeatedUrls(reads: Map<string, number>): Array<{ url: string; reads: number }> {
  return [...reads]
    .filter(([, n]) => n > 1)
    .map(([p, n]) => ({ url: p.replace(/^\/\d+(?=\/)/, ''), reads: n }))
    .sort((a, b) => b.reads - a.reads || a.url.localeCompare(b.url));
}

/**
 * `/999/buckets/12/todolists/34/todos.json?status=archived&page=2` -> `/buckets/:id/todolists/:id/todos.json?status=archived`;
 * Basecamp 2's `/999/api/v1/projects/12/events.json?since=2026-...` -> `/projects/:id/events.json?since=:time`.
 */
function endpointOf(p: string): { endpoint: string; laterPage: boolean } {
  const q = p.indexOf('?');
  const pathname = (q === -1 ? p : p.slice(0, q))
    .replace(/^\/\d+(?=\/)/, '')
    .replace(/^\/api\/v1(?=\/)/, '')
    .replace(/\/\d+(?:-[\w-]+)?(?=\/|\.json|$)/g, '/:id'); // Basecamp 2 paths may carry a slug: /calendars/12-general.json
  const params = new URLSearchParams(q === -1 ? '' : p.slice(q + 1));
  const page = Number(params.get('page') ?? '1');
  params.delete('page');
  if (params.has('since')) params.set('since', ':time');
  params.sort();
  const rest = params.toString();
  return { endpoint: rest ? `${pathname}?${decodeURIComponent(rest)}` : pathname, laterPage: page > 1 };
}

/** Most arrivals (sorted times) in any window of `windowMs`. */
function busiest(arrivals: number[], windowMs: number): number {
  let max = 0;
  for (let lo = 0, hi = 0; hi < arrivals.length; hi++) {
    while ((arrivals[hi] as number) - (arrivals[lo] as number) >= windowMs) lo++;
    max = Math.max(max, hi - lo + 1);
  }
  return max;
}

export function analyse(entries: RequestLogEntry[], times: number[], startedAt: number, empty: Map<string, number>, windowMs: number): Traffic {
  const byStatus: Record<string, number> = {};
  /** Reads of each URL answered 200 or 304: its distinct URLs are the minimum. */
  const needed = new Map<string, number>();
  const arrivals: number[] = [];
  const rateLimitedAt: number[] = [];
  const endpoints = new Map<string, { requests: number; laterPages: number }>();
  let launchpad = 0;
  let success = 0;
  let rateLimited = 0;
  let rateLimitedAfter10s = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.path.startsWith('/authorization')) {
      launchpad++;
      continue;
    }
    const at = times[i] ?? startedAt;
    arrivals.push(at);
    const { endpoint, laterPage } = endpointOf(e.path);
    const ep = endpoints.get(endpoint) ?? { requests: 0, laterPages: 0 };
    ep.requests++;
    if (laterPage) ep.laterPages++;
    endpoints.set(endpoint, ep);
    byStatus[String(e.status)] = (byStatus[String(e.status)] ?? 0) + 1;
    if (e.status === 200 || e.status === 304) {
      success++;
      needed.set(e.path, (needed.get(e.path) ?? 0) + 1);
    } else if (e.status === 429) {
      rateLimited++;
      const s = (at - startedAt) / 1000;
      if (s > 10) rateLimitedAfter10s++;
      if (rateLimitedAt.length < 20) rateLimitedAt.push(Number(s.toFixed(1)));
    }
  }
  const span = arrivals.length > 1 ? ((arrivals[arrivals.length - 1] as number) - (arrivals[0] as number)) / 1000 : 0;
  return {
    apiRequests: arrivals.length,
    launchpadRequests: launchpad,
    minimumRequests: needed.size,
    successResponses: success,
    duplicateReads: success - needed.size,
    rateLimited,
    byStatus,
    rateLimitedAt,
    rateLimitedAfter10s,
    maxIn10s: busiest(arrivals, windowMs),
    maxIn1s: busiest(arrivals, 1000),
    meanRate: span > 0 ? Number((arrivals.length / span).toFixed(2)) : 0,
    emptyLists: [...empty.values()].reduce((a, b) => a + b, 0),
    repeatedUrls: repeatedUrls(needed),
    byEndpoint: [...endpoints]
      .map(([endpoint, v]) => ({ endpoint, ...v, emptyLists: empty.get(endpoint) ?? 0 }))
      .sort((a, b) => b.requests - a.requests || a.endpoint.localeCompare(b.endpoint)),
  };
}
