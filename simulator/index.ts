/**
 * A local Basecamp 3 + Launchpad simulator for tap-basecamp's tests, demo and
 * benchmark: a real HTTP server on 127.0.0.1 serving a generated account, and beside it
 * one Basecamp 2 ("bcx") account below /{bcxAccountId}/api/v1 (see bcx/, sim.bcx).
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Auth } from './auth';
import { BcxOptions, BcxSimulator, createBcx } from './bcx';
import { Expected, STREAMS } from './expected';
import { Faults, RateLimit, Traffic } from './faults';
import { generate } from './generate';
import { Status } from './model';
import { Mutator } from './mutations';
import { Renderer } from './render';
import { DEFAULT_READINGS, Readings, Routes } from './routes';
import { Handler, RequestLogEntry, ServerState } from './server';

export type { Faults, RateLimit } from './faults';
export type { RequestLogEntry } from './server';
export type { BcxOptions, BcxReadings, BcxSimulator, BcxParent } from './bcx';

export interface SimulatorOptions {
  /** Deterministic PRNG seed; the same seed gives a byte-identical account. */
  seed?: number;
  /** Approximate total number of records across all streams (default ~1500, the demo account). */
  records?: number;
  accountId?: number;
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  /** Access token lifetime in seconds (default 1209600, Launchpad's two weeks). */
  tokenTtlSeconds?: number;
  /** Token refresh also returns a new refresh_token (the old one keeps working). */
  rotateRefreshToken?: boolean;
  /** Geared pagination: page N has pageSizes[min(N-1, last)] items. */
  pageSizes?: number[];
  latencyMs?: number;
  rateLimit?: RateLimit | null;
  inactive?: boolean;
  faults?: Faults;
  /**
   * The identity's accounts listed by /authorization.json (default: the bc3 account and the bcx
   * one). href defaults to `{baseUrl}/{id}`, and `{baseUrl}/{id}/api/v1` for the bcx account served.
   */
  accounts?: Array<{ id: number; product: string; name: string; href?: string }>;
  /** The Basecamp 2 account (its id, size, seed, rate limit and readings). */
  bcx?: BcxOptions;
  /** How behaviour the docs leave open is answered (see Readings in routes.ts). */
  readings?: Partial<Readings>;
  /** Port to listen on (default: an ephemeral one). */
  port?: number;
  /**
   * Card-list items carry steps (and boosts, description_attachments) as in the newest docs
   * (default true); false serves them as the older docs showed them. The single card keeps its steps.
   */
  cardListSteps?: boolean;
}

export interface Simulator {
  baseUrl: string;
  tokenUrl: string;
  accountId: number;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  config(extra?: object): Record<string, unknown>;
  requests: RequestLogEntry[];
  resetRequests(): void;
  /**
   * Runs `hook` as each request arrives, before it is answered (undefined removes it): the way
   * a test changes the account between two page reads of a sync.
   */
  onRequest(hook: ((entry: RequestLogEntry) => void) | undefined): void;
  revokeRefreshToken(): void;
  /** Faults for both accounts (each counts its own requests for burst429); sim.bcx.setFaults for bcx alone. */
  setFaults(f: SimulatorOptions['faults']): void;
  setInactive(b: boolean): void;
  /** Latency of both accounts' answers. */
  setLatency(ms: number): void;
  /** The bc3 account's rate limit (sim.bcx.setRateLimit is the bcx one's). */
  setRateLimit(r: SimulatorOptions['rateLimit']): void;
  now(): Date;
  advanceClock(ms: number): void;
  update(stream: string, id: number, opts?: { sameTimestamp?: boolean }): void;
  setStatus(stream: string, id: number, status: Status): void;
  create(stream: string, parent: { projectId?: number; parentId?: number }): number;
  expectedRecords(stream: string): object[];
  streamNames(): string[];
  /** The Basecamp 2 account. */
  bcx: BcxSimulator;
  stop(): Promise<void>;
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const seed = opts.seed ?? 42;
  const accountId = opts.accountId ?? 999_999_001;
  const clientId = opts.clientId ?? 'sim-client-id';
  const clientSecret = opts.clientSecret ?? 'sim-client-secret';
  const refreshToken = opts.refreshToken ?? 'sim-refresh-token';
  const store = generate({ seed, records: opts.records ?? 1500, accountId });

  const server: Server = createServer();
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;

  const readings: Readings = { ...DEFAULT_READINGS, ...opts.readings };
  const config = (extra: object = {}): Record<string, unknown> => ({
    account_id: accountId,
    client_id: clientId,
    client_secret: clientSecret,
    refresh_token: refreshToken,
    api_url: baseUrl,
    token_url: `${baseUrl}/authorization/token`,
    user_agent: 'tap-basecamp tests (test@example.com)',
    ...extra,
  });
  const bcx = createBcx(opts.bcx ?? {}, { seed, baseUrl, clock: store, latencyMs: opts.latencyMs ?? 0, faults: opts.faults ?? {}, baseConfig: () => config() });
  const renderer = new Renderer(store, baseUrl, accountId, true, { cardListSteps: opts.cardListSteps });
  const requests: RequestLogEntry[] = [];
  const state: ServerState = {
    store,
    renderer,
    routes: new Routes(store, renderer, readings),
    auth: new Auth(clientId, clientSecret, refreshToken, opts.tokenTtlSeconds ?? 1_209_600, opts.rotateRefreshToken ?? false),
    traffic: new Traffic(opts.latencyMs ?? 0, opts.rateLimit ?? null, opts.faults ?? {}, seed),
    baseUrl,
    accountId,
    pageSizes: opts.pageSizes?.length ? opts.pageSizes : [15, 30, 50, 100],
    inactive: opts.inactive ?? false,
    accounts: opts.accounts ?? [
      { id: accountId, product: 'bc3', name: store.account.name },
      { id: bcx.api.accountId, product: 'bcx', name: bcx.api.name },
    ],
    requests,
    bcx: bcx.serve,
  };
  const handler = new Handler(state);
  server.on('request', (req, res) => handler.handle(req, res));
  const mutator = new Mutator(store, seed, readings.changesTouchList);
  const expected = new Expected(store, new Renderer(store, baseUrl, accountId));

  const sim: Simulator = {
    baseUrl,
    tokenUrl: `${baseUrl}/authorization/token`,
    accountId,
    clientId,
    clientSecret,
    refreshToken,
    config,
    requests,
    resetRequests: () => {
      requests.length = 0;
    },
    onRequest: (hook) => {
      state.onRequest = hook;
    },
    revokeRefreshToken: () => state.auth.revokeRefreshToken(),
    setFaults: (f) => {
      state.traffic.setFaults(f);
      bcx.serve.traffic.setFaults(f);
    },
    setInactive: (b) => {
      state.inactive = b;
    },
    setLatency: (ms) => {
      state.traffic.latencyMs = ms;
      bcx.serve.traffic.latencyMs = ms;
    },
    setRateLimit: (r) => state.traffic.setRateLimit(r),
    now: () => new Date(store.clock),
    advanceClock: (ms) => {
      store.clock += ms;
      bcx.serve.store.version++;
    },
    update: (stream, id, o) => mutator.update(stream, id, o),
    setStatus: (stream, id, status) => mutator.setStatus(stream, id, status),
    create: (stream, parent) => mutator.create(stream, parent),
    expectedRecords: (stream) => expected.records(stream),
    streamNames: () => [...STREAMS],
    bcx: bcx.api,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return sim;
}
