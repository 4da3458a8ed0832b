/**
 * A local Basecamp 3 + Launchpad simulator for tap-basecamp's tests, demo and
 * benchmark: a real HTTP server on 127.0.0.1 serving a generated account, and beside it
 * one Basecamp 2 ("bcx") account below /{bcxAccountId}/api/v1 (see bcx/, sim.bcx).
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Auth } from './auth';
import { BcxOptions, BcxServe, BcxSimulator, createBcx } from './bcx';
import { Expected, STREAMS } from './expected';
import { Faults, RateLimit, Traffic } from './faults';
import { FeedOptions, renderFeedEvent } from './feed';
import { generate } from './generate';
import { announcing, applyReading } from './linked';
import { Status } from './model';
import { Mutator } from './mutations';
import { Renderer } from './render';
import { DEFAULT_READINGS, Readings, Routes } from './routes';
import { Handler, RequestLogEntry, ServerState } from './server';
import { Store } from './store';

export type { Faults, RateLimit } from './faults';
export type { RequestLogEntry } from './server';
export type { FeedOptions } from './feed';
export type { BcxOptions, BcxReadings, BcxSimulator, BcxParent } from './bcx';

export interface SimulatorOptions {
  /** Deterministic PRNG seed; the same seed gives a byte-identical account. */
  seed?: number;
  /** Approximate total number of records across all streams (default ~1500, the demo account). */
  records?: number;
  /** Number of projects the records are spread over (default: 10 × √(records / 1500), at least 10). */
  projects?: number;
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
  /** The event feed's page size and scan window (default 100 events, 10,000 ids). */
  feed?: FeedOptions;
}

/** The account event feed's controls (GET /events.json; see feed.ts). */
export interface SimulatorFeed {
  /** The present: the last event id handed out (what since=now enters at). */
  head(): number;
  /** Let `n` event ids go by with no event in this account (a walk crosses them in empty pages). */
  skipIds(n: number): void;
  /** Raise the epoch to `afterId` (default: the present); positions below it answer 410. Returns the epoch. */
  raiseEpoch(afterId?: number): number;
  /** Every event recorded, as the feed renders it, oldest first (also those below the epoch). */
  events(): Array<Record<string, unknown>>;
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
  /** Moves a to-do (todos) to another list or group, or a card (card_table_cards) to another column, of its project. */
  move(stream: string, id: number, parentId: number): void;
  /** Marks an active to-do done (by a person of the account, the owner when not named). */
  complete(stream: string, id: number, by?: number): void;
  create(stream: string, parent: { projectId?: number; parentId?: number }): number;
  /**
   * The person joins the project: /projects/:id/people.json lists them and the project's
   * people.team counts them; the readings membershipTouchesProject and membershipInTimeline say
   * whether the project's updated_at moves and whether a project_access_changed event is recorded.
   * Throws when either is unknown or the person already is a member.
   */
  addMember(projectId: number, personId: number): void;
  /** The person leaves the project (as addMember; throws when they are not a member). */
  removeMember(projectId: number, personId: number): void;
  expectedRecords(stream: string): object[];
  streamNames(): string[];
  /** The account event feed. */
  feed: SimulatorFeed;
  /** The Basecamp 2 account. */
  bcx: BcxSimulator;
  stop(): Promise<void>;
}

/** The options a simulator runs with, defaults filled in. */
interface Resolved {
  seed: number;
  accountId: number;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  latencyMs: number;
  faults: Faults;
}

function resolve(opts: SimulatorOptions): Resolved {
  return {
    seed: opts.seed ?? 42,
    accountId: opts.accountId ?? 999_999_001,
    clientId: opts.clientId ?? 'sim-client-id',
    clientSecret: opts.clientSecret ?? 'sim-client-secret',
    refreshToken: opts.refreshToken ?? 'sim-refresh-token',
    latencyMs: opts.latencyMs ?? 0,
    faults: opts.faults ?? {},
  };
}

async function listen(port: number | undefined): Promise<Server> {
  const server: Server = createServer();
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port ?? 0, '127.0.0.1', () => resolve());
  });
  return server;
}

/** A ready tap config for the bc3 account, plus `extra`. */
function configFor(r: Resolved, baseUrl: string): (extra?: object) => Record<string, unknown> {
  return (extra: object = {}) => ({
    account_id: r.accountId,
    client_id: r.clientId,
    client_secret: r.clientSecret,
    refresh_token: r.refreshToken,
    api_url: baseUrl,
    token_url: `${baseUrl}/authorization/token`,
    user_agent: 'tap-basecamp tests (test@example.com)',
    ...extra,
  });
}

function serverState(opts: SimulatorOptions, r: Resolved, store: Store, baseUrl: string, bcx: ReturnType<typeof createBcx>, readings: Readings): ServerState {
  const renderer = new Renderer(store, baseUrl, r.accountId, true, { cardListSteps: opts.cardListSteps });
  applyReading(store, readings.linkedItemEvents); // before anything reads the timeline
  return {
    store,
    renderer,
    routes: new Routes(store, renderer, readings, `feed-key-${r.seed}`),
    auth: new Auth(r.clientId, r.clientSecret, r.refreshToken, opts.tokenTtlSeconds ?? 1_209_600, opts.rotateRefreshToken ?? false),
    traffic: new Traffic(r.latencyMs, opts.rateLimit ?? null, r.faults, r.seed),
    baseUrl,
    accountId: r.accountId,
    pageSizes: opts.pageSizes?.length ? opts.pageSizes : [15, 30, 50, 100],
    inactive: opts.inactive ?? false,
    accounts: opts.accounts ?? [
      { id: r.accountId, product: 'bc3', name: store.account.name },
      { id: bcx.api.accountId, product: 'bcx', name: bcx.api.name },
    ],
    requests: [],
    bcx: bcx.serve,
  };
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const r = resolve(opts);
  const store = generate({ seed: r.seed, records: opts.records ?? 1500, accountId: r.accountId, projects: opts.projects });
  if (opts.feed?.pageSize !== undefined) store.feed.pageSize = opts.feed.pageSize;
  if (opts.feed?.scanWindow !== undefined) store.feed.scanWindow = opts.feed.scanWindow;
  const server = await listen(opts.port);
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const readings: Readings = { ...DEFAULT_READINGS, ...opts.readings };
  const config = configFor(r, baseUrl);
  const bcx = createBcx(opts.bcx ?? {}, { seed: r.seed, baseUrl, clock: store, latencyMs: r.latencyMs, faults: r.faults, baseConfig: () => config() });
  const state = serverState(opts, r, store, baseUrl, bcx, readings);
  const handler = new Handler(state);
  server.on('request', (req, res) => handler.handle(req, res));
  const mutator = new Mutator(store, r.seed, readings);
  const expected = new Expected(store, new Renderer(store, baseUrl, r.accountId), readings.doorsBucketCoversArchived, readings.eventFeed === 'served');
  return {
    baseUrl,
    tokenUrl: `${baseUrl}/authorization/token`,
    accountId: r.accountId,
    clientId: r.clientId,
    clientSecret: r.clientSecret,
    refreshToken: r.refreshToken,
    config,
    requests: state.requests,
    resetRequests: () => {
      state.requests.length = 0;
    },
    onRequest: (hook) => {
      state.onRequest = hook;
    },
    revokeRefreshToken: () => state.auth.revokeRefreshToken(),
    ...trafficControls(state, bcx.serve),
    now: () => new Date(store.clock),
    advanceClock: (ms) => {
      store.clock += ms;
      bcx.serve.store.version++;
    },
    update: (stream, id, o) => mutator.update(stream, id, o),
    setStatus: (stream, id, status) => mutator.setStatus(stream, id, status),
    complete: (stream, id, by) => mutator.complete(stream, id, by),
    create: announcing((stream, parent) => mutator.create(stream, parent), store, readings.linkedItemEvents),
    addMember: (projectId, personId) => mutator.membership(projectId, personId, 'granted'),
    removeMember: (projectId, personId) => mutator.membership(projectId, personId, 'removed'),
    move: (stream, id, parentId) => mutator.move(stream, id, parentId),
    expectedRecords: (stream) => expected.records(stream),
    streamNames: () => [...STREAMS],
    feed: {
      head: () => store.feed.head(),
      skipIds: (n) => store.feed.skipIds(n),
      raiseEpoch: (afterId) => store.feed.raiseEpoch(afterId),
      events: () => store.feed.events.map(renderFeedEvent),
    },
    bcx: bcx.api,
    stop: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

/** The switches of both accounts' traffic (faults, latency) and of the bc3 account's (inactive, rate limit). */
function trafficControls(state: ServerState, bcx: BcxServe): Pick<Simulator, 'setFaults' | 'setInactive' | 'setLatency' | 'setRateLimit'> {
  return {
    setFaults: (f) => {
      state.traffic.setFaults(f);
      bcx.traffic.setFaults(f);
    },
    setInactive: (b) => {
      state.inactive = b;
    },
    setLatency: (ms) => {
      state.traffic.latencyMs = ms;
      bcx.traffic.latencyMs = ms;
    },
    setRateLimit: (rl) => state.traffic.setRateLimit(rl),
  };
}
