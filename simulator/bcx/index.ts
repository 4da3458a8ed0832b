/**
 * The Basecamp 2 ("bcx") account the simulator serves beside the bc3 one, below
 * /{accountId}/api/v1, and its test API (sim.bcx).
 */
import { Faults, RateLimit, Traffic } from '../faults';
import { BcxExpected } from './expected';
import { generateBcx } from './generate';
import { BcxReadings, DEFAULT_BCX_READINGS, ProjectState } from './model';
import { BCX_STREAMS, BcxMutator, BcxParent } from './mutations';
import { BcxRenderer } from './render';
import { BcxRoutes } from './routes';
import { BcxStore, ClockHolder } from './store';

export type { BcxReadings } from './model';
export type { BcxParent } from './mutations';
export { BCX_STREAMS } from './mutations';

export interface BcxOptions {
  /** Default 999999002. */
  accountId?: number;
  /** Approximate number of records a full sync writes (default 600). */
  records?: number;
  /** Default: the simulator's seed. */
  seed?: number;
  /** The account's name (as /authorization.json lists it). */
  name?: string;
  /** The bcx account's own rate limit (default null: unlimited); Basecamp 2's is {requests: 500, windowMs: 10000}. */
  rateLimit?: RateLimit | null;
  /** Readings of what the docs leave open (see BcxReadings). */
  readings?: Partial<BcxReadings>;
}

/** sim.bcx: the bcx account's facts and the changes a test can make to it. */
export interface BcxSimulator {
  accountId: number;
  name: string;
  /** `{baseUrl}/{accountId}/api/v1` */
  apiRoot: string;
  readings: Readonly<BcxReadings>;
  /** A ready tap config for the bcx account (api_url = baseUrl; no basecamp_product key). */
  config(extra?: object): Record<string, unknown>;
  /** Exactly the records a full sync writes to `stream`, ordered by id (accesses: project_id, person_id). */
  expectedRecords(stream: string): object[];
  streamNames(): string[];
  /** Ids of the stream's records a full sync reaches (accesses: person ids). */
  ids(stream: string): number[];
  /** A content change: updated_at = now (the project too, per changesTouchProject), and its event. */
  update(stream: string, id: number): void;
  /** Trash a record: it leaves the active lists; its single form still answers with trashed: true. */
  trash(stream: string, id: number): void;
  /** A new message, todolist, todo, document, calendar_event, comment, upload or forward; returns its id. */
  create(stream: string, parent: BcxParent): number;
  setProjectState(id: number, state: ProjectState): void;
  /** A new person (no access to anything yet); logs no event. */
  addPerson(opts?: { name?: string; admin?: boolean; client?: boolean }): number;
  /** Access to a project (or a standalone calendar); logs no event. */
  grantAccess(projectId: number, personId: number): void;
  /** Faults on bcx requests only (sim.setFaults sets both accounts'). */
  setFaults(f: Faults | undefined): void;
  /** The bcx rate limit (sim.setRateLimit is the bc3 one's). */
  setRateLimit(r: RateLimit | null | undefined): void;
  /** The simulated clock, shared with the bc3 account. */
  now(): Date;
  advanceClock(ms: number): void;
}

/** What server.ts needs to answer bcx requests. */
export interface BcxServe {
  accountId: number;
  name: string;
  store: BcxStore;
  routes: BcxRoutes;
  traffic: Traffic;
}

export interface BcxContext {
  seed: number;
  baseUrl: string;
  clock: ClockHolder;
  latencyMs: number;
  faults: Faults;
  /** The bc3 config the bcx one is derived from. */
  baseConfig: () => Record<string, unknown>;
}

export const DEFAULT_BCX_ACCOUNT_ID = 999_999_002;

export function createBcx(o: BcxOptions, ctx: BcxContext): { serve: BcxServe; api: BcxSimulator } {
  const accountId = o.accountId ?? DEFAULT_BCX_ACCOUNT_ID;
  const seed = o.seed ?? ctx.seed;
  const readings: BcxReadings = { ...DEFAULT_BCX_READINGS, ...o.readings };
  const store = generateBcx({ seed, records: o.records ?? 600, name: o.name }, ctx.clock);
  const renderer = new BcxRenderer(store, ctx.baseUrl, accountId, readings);
  const routes = new BcxRoutes(store, renderer, readings);
  const traffic = new Traffic(ctx.latencyMs, o.rateLimit ?? null, ctx.faults, (seed ^ 0xbc2) >>> 0);
  const mutator = new BcxMutator(store, seed, readings);
  const expected = new BcxExpected(store, renderer);
  const api: BcxSimulator = {
    accountId,
    name: store.name,
    apiRoot: renderer.api,
    readings,
    config: (extra = {}) => {
      const base: Record<string, unknown> = { ...ctx.baseConfig() };
      delete base.basecamp_product;
      return { ...base, account_id: accountId, api_url: ctx.baseUrl, ...extra };
    },
    expectedRecords: (stream) => expected.records(stream),
    streamNames: () => [...BCX_STREAMS],
    ids: (stream) => expected.records(stream).map((x) => (stream === 'accesses' ? x.person_id : x.id) as number),
    update: (stream, id) => mutator.update(stream, id),
    trash: (stream, id) => mutator.trash(stream, id),
    create: (stream, parent) => mutator.create(stream, parent),
    setProjectState: (id, state) => mutator.setProjectState(id, state),
    addPerson: (opts) => mutator.addPerson(opts),
    grantAccess: (projectId, personId) => mutator.grantAccess(projectId, personId),
    setFaults: (f) => traffic.setFaults(f),
    setRateLimit: (r) => traffic.setRateLimit(r),
    now: () => new Date(store.clock),
    advanceClock: (ms) => {
      store.clock += ms;
      store.version++;
    },
  };
  return { serve: { accountId, name: store.name, store, routes, traffic }, api };
}
