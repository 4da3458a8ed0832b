/**
 * The HTTP side: Launchpad endpoints, then for API requests the traffic rules
 * (rate limit, faults, latency), User-Agent and bearer checks, routing, geared
 * pagination with Link and X-Total-Count, and strong ETags with 304 answers.
 * Requests below /{bcxAccountId}/api/v1 go to the Basecamp 2 account: the same checks
 * under its own traffic rules, 50-a-page (or whole) lists without Link or X-Total-Count.
 */
import { createHash } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Auth } from './auth';
import { BcxServe } from './bcx';
import { BcxResult } from './bcx/routes';
import { Traffic } from './faults';
import { Renderer } from './render';
import { Result, Routes } from './routes';
import { Store } from './store';

/** One logged request. status is 0 for a dropped connection (no response was sent). */
export interface RequestLogEntry {
  method: string;
  /** Path with the query string, e.g. /999999001/projects.json?page=2 */
  path: string;
  status: number;
  /** Set when the request carried If-None-Match (a 304 answer has status 304). */
  ifNoneMatch?: boolean;
}

export interface ServerState {
  store: Store;
  renderer: Renderer;
  routes: Routes;
  auth: Auth;
  traffic: Traffic;
  baseUrl: string;
  accountId: number;
  pageSizes: number[];
  inactive: boolean;
  /** An account's href defaults to `{baseUrl}/{id}`, and `{baseUrl}/{id}/api/v1` for the bcx account served. */
  accounts: Array<{ id: number; product: string; name: string; href?: string }>;
  requests: RequestLogEntry[];
  /** The Basecamp 2 account served below /{id}/api/v1. */
  bcx?: BcxServe;
  /** Called as each request arrives, before it is answered. */
  onRequest?: (entry: RequestLogEntry) => void;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const NOT_FOUND = { status: 404, error: 'Not Found' };
/** The error text of a status a fault answers with (504 is the rest). */
const STATUS_ERROR: Record<number, string> = { 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' };
/** A harmed body: cut short mid-answer, or answered short as if whole. */
type BodyFault = { kind: 'cut' | 'badJson'; keep: number };
/** Filtered+sorted list rows, reused across pages until the next mutation. */
interface CacheEntry {
  version: number;
  items: unknown[];
}
const CACHE_MAX = 256;

export class Handler {
  private cache = new Map<string, CacheEntry>();
  constructor(private s: ServerState) {}

  handle(req: IncomingMessage, res: ServerResponse): void {
    const raw = req.url ?? '/';
    const entry: RequestLogEntry = { method: req.method ?? 'GET', path: raw, status: 0 };
    if (req.headers['if-none-match'] !== undefined) entry.ifNoneMatch = true;
    this.s.requests.push(entry);
    // Basecamp's clock is the simulated one: record timestamps and the Date header agree.
    res.setHeader('Date', new Date(this.s.store.clock).toUTCString());
    // A test may change the account here, between two requests of a sync (churn).
    this.s.onRequest?.(entry);
    const url = new URL(raw, 'http://simulator.local');
    if (url.pathname.startsWith('/authorization')) {
      this.launchpad(req, res, url, entry).catch((e: unknown) => this.fail(res, entry, e));
      return;
    }
    this.api(req, res, url, entry).catch((e: unknown) => this.fail(res, entry, e));
  }

  private fail(res: ServerResponse, entry: RequestLogEntry, e: unknown): void {
    if (res.headersSent || res.destroyed) return;
    this.send(res, entry, 500, { status: 500, error: String(e instanceof Error ? e.message : e) });
  }

  private send(res: ServerResponse, entry: RequestLogEntry, status: number, body: unknown, headers: Record<string, string | number> = {}): void {
    entry.status = status;
    if (res.destroyed) return;
    if (body === undefined) {
      res.writeHead(status, headers);
      res.end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  // ---------- Launchpad ----------
  private async launchpad(req: IncomingMessage, res: ServerResponse, url: URL, entry: RequestLogEntry): Promise<void> {
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    if (route === 'POST /authorization/token') return this.token(req, res, url, entry);
    if (route === 'GET /authorization/new') return this.authorize(res, url, entry);
    if (route === 'GET /authorization.json') return this.identity(req, res, entry);
    this.send(res, entry, 404, NOT_FOUND);
  }

  private async token(req: IncomingMessage, res: ServerResponse, url: URL, entry: RequestLogEntry): Promise<void> {
    const params = new URLSearchParams(url.search);
    const body = await readBody(req);
    for (const [k, v] of new URLSearchParams(body)) params.set(k, v);
    const out = this.s.auth.token(params);
    this.send(res, entry, out.status, out.body, { 'Cache-Control': 'no-store' });
  }

  /** The consent screen, already agreed to: straight back to redirect_uri with a code. */
  private authorize(res: ServerResponse, url: URL, entry: RequestLogEntry): void {
    const redirect = url.searchParams.get('redirect_uri');
    if (url.searchParams.get('client_id') !== this.s.auth.clientId || !redirect) {
      this.send(res, entry, 400, { error: 'invalid_request' });
      return;
    }
    const sep = redirect.includes('?') ? '&' : '?';
    this.send(res, entry, 302, undefined, { Location: `${redirect}${sep}code=${this.s.auth.newCode()}` });
  }

  private identity(req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry): void {
    const exp = this.s.auth.check(req.headers.authorization);
    if (exp === null) {
      this.send(res, entry, 401, { error: 'OAuth token expired or invalid' });
      return;
    }
    const owner = this.s.store.people[0];
    const [first, ...rest] = (owner?.name ?? 'Account Owner').split(' ');
    this.send(res, entry, 200, {
      expires_at: new Date(exp).toISOString(),
      identity: { id: owner?.id ?? 1, first_name: first, last_name: rest.join(' '), email_address: owner?.email ?? null },
      accounts: this.s.accounts.map((a) => ({
        product: a.product,
        id: a.id,
        name: a.name,
        href: a.href ?? this.href(a),
        app_href: `${this.s.baseUrl}/${a.id}`,
      })),
    });
  }

  /** Launchpad's href: a bcx account's API root ends in /api/v1. */
  private href(a: { id: number; product: string }): string {
    const bcx = this.s.bcx;
    return bcx && a.product === 'bcx' && a.id === bcx.accountId ? `${this.s.baseUrl}/${a.id}/api/v1` : `${this.s.baseUrl}/${a.id}`;
  }

  // ---------- API ----------
  private async api(req: IncomingMessage, res: ServerResponse, url: URL, entry: RequestLogEntry): Promise<void> {
    const s = this.s;
    const segs = url.pathname.split('/').filter((x) => x !== '');
    const bcx = s.bcx && segs[0] === String(s.bcx.accountId) && segs[1] === 'api' && segs[2] === 'v1' ? s.bcx : undefined;
    const decision = (bcx ? bcx.traffic : s.traffic).decide(Date.now());
    if (decision.kind === 'drop') {
      req.socket.destroy(); // no response at all, as with a connection reset
      return;
    }
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    if (decision.kind === 'status') {
      const headers: Record<string, string | number> = {};
      if (decision.retryAfter !== undefined) headers['Retry-After'] = decision.retryAfter;
      this.send(res, entry, decision.status, { status: decision.status, error: STATUS_ERROR[decision.status] ?? 'Gateway Timeout' }, headers);
      return;
    }
    const refused = this.refusal(req);
    if (refused) {
      this.send(res, entry, refused.status, refused.body, refused.headers);
      return;
    }
    if (bcx) this.answerBcx(req, res, url, entry, segs, bcx, decision.body);
    else this.answerBc3(req, res, url, entry, segs, decision.body);
  }

  /** A request without a User-Agent, or without a valid bearer token, is refused. */
  private refusal(req: IncomingMessage): { status: number; body: unknown; headers?: Record<string, string> } | null {
    if (!String(req.headers['user-agent'] ?? '').trim()) {
      return { status: 400, body: { error: 'A User-Agent header is required (name and contact), see the Basecamp API docs.' } };
    }
    if (this.s.auth.check(req.headers.authorization) === null) {
      return { status: 401, body: { error: 'OAuth token expired or invalid' }, headers: { 'WWW-Authenticate': 'Bearer realm="Basecamp"' } };
    }
    return null;
  }

  private answerBcx(req: IncomingMessage, res: ServerResponse, url: URL, entry: RequestLogEntry, segs: string[], bcx: BcxServe, fault?: BodyFault): void {
    const result = req.method === 'GET' ? bcx.routes.resolve(segs.slice(3), url.searchParams) : null;
    if (!result) {
      this.send(res, entry, 404, NOT_FOUND);
      return;
    }
    this.respondBcx(req, res, url, entry, result, bcx, fault);
  }

  private answerBc3(req: IncomingMessage, res: ServerResponse, url: URL, entry: RequestLogEntry, segs: string[], fault?: BodyFault): void {
    const s = this.s;
    if (segs[0] !== String(s.accountId) || req.method !== 'GET') {
      this.send(res, entry, 404, NOT_FOUND);
      return;
    }
    if (s.inactive) {
      this.send(res, entry, 404, NOT_FOUND, { Reason: 'Account Inactive' });
      return;
    }
    const result = s.routes.resolve(segs.slice(1), url.searchParams);
    if (!result) {
      this.send(res, entry, 404, NOT_FOUND);
      return;
    }
    this.respond(req, res, url, entry, result, fault);
  }

  private respond(req: IncomingMessage, res: ServerResponse, url: URL, entry: RequestLogEntry, result: Result, fault?: BodyFault): void {
    if ('error' in result) {
      this.send(res, entry, result.error, result.body);
      return;
    }
    let body: unknown;
    const headers: Record<string, string | number> = {};
    if ('obj' in result) {
      body = result.obj;
      Object.assign(headers, result.headers);
    } else {
      const items = this.cached(url, result.list);
      const page = Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1);
      const [offset, size] = this.pageWindow(page);
      body = items.slice(offset, offset + size).map((x) => result.render(x as never));
      headers['X-Total-Count'] = items.length;
      if (offset + size < items.length) {
        const next = new URLSearchParams(url.searchParams);
        next.set('page', String(page + 1));
        headers.Link = `<${this.s.baseUrl}${url.pathname}?${next.toString()}>; rel="next"`;
      }
    }
    this.finish(req, res, entry, this.s.renderer.expand(JSON.stringify(body)), headers, fault);
  }

  /** bcx answers: lists 50 a page (pageSize null: everything on every page), no Link, no X-Total-Count. */
  private respondBcx(req: IncomingMessage, res: ServerResponse, url: URL, entry: RequestLogEntry, result: BcxResult, bcx: BcxServe, fault?: BodyFault): void {
    if ('error' in result) {
      this.send(res, entry, result.error, result.body);
      return;
    }
    let body: unknown;
    if ('obj' in result) {
      body = result.obj;
    } else {
      const items = this.cached(url, result.list, bcx.store.version);
      const page = Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1);
      const rows = result.pageSize === null ? items : items.slice((page - 1) * result.pageSize, page * result.pageSize);
      body = rows.map((x) => result.render(x as never));
    }
    this.finish(req, res, entry, JSON.stringify(body), {}, fault);
  }

  /** Strong ETag (304 when it matches), then the body, whole or harmed by a body fault. */
  private finish(
    req: IncomingMessage,
    res: ServerResponse,
    entry: RequestLogEntry,
    text: string,
    headers: Record<string, string | number>,
    fault?: BodyFault,
  ): void {
    const etag = `"${createHash('md5').update(text).digest('hex')}"`;
    headers.ETag = etag;
    headers['Cache-Control'] = 'max-age=0, private, must-revalidate';
    if (matchesEtag(req.headers['if-none-match'], etag)) {
      this.send(res, entry, 304, undefined, headers);
      return;
    }
    entry.status = 200;
    if (!fault) {
      res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(text), ...headers });
      res.end(text);
      return;
    }
    // A proper prefix of a JSON array or object is never valid JSON.
    const bytes = Buffer.from(text, 'utf8');
    const part = bytes.subarray(0, Math.min(bytes.length - 1, Math.max(1, Math.floor(bytes.length * fault.keep))));
    if (fault.kind === 'badJson') {
      res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': part.length, ...headers });
      res.end(part);
      return;
    }
    // The status line and headers promise the whole body; part of it goes out, then the connection dies.
    res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': bytes.length, ...headers });
    res.write(part, () => res.socket?.destroy());
  }

  /** Geared pages: page N holds pageSizes[min(N-1, last)] items. */
  private pageWindow(page: number): [number, number] {
    const sizes = this.s.pageSizes;
    let offset = 0;
    for (let p = 1; p < page; p++) offset += sizes[Math.min(p - 1, sizes.length - 1)] as number;
    return [offset, sizes[Math.min(page - 1, sizes.length - 1)] as number];
  }

  private cached(url: URL, produce: () => unknown[], version = this.s.store.version): unknown[] {
    const q = new URLSearchParams(url.searchParams);
    q.delete('page');
    q.sort();
    const key = `${url.pathname}?${q.toString()}`;
    const hit = this.cache.get(key);
    if (hit && hit.version === version) return hit.items;
    const items = produce();
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(key, { version, items });
    return items;
  }
}

function matchesEtag(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const values = (Array.isArray(header) ? header.join(',') : header).split(',').map((v) => v.trim().replace(/^W\//, ''));
  return values.includes(etag) || values.includes('*');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
