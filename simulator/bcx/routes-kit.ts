/**
 * What the route tables (routes-account.ts, routes-content.ts) take from BcxRoutes (routes.ts):
 * the store, the renderer, how a route is added, and the lookups and list answers the handlers
 * share. Also the answer type, the page size and the parameter parsing they have in common.
 */
import { BCalendar, BEvent, BPerson, BProject, BRec, Bucket, RecKind } from './model';
import { localMidnight } from './generate';
import { BcxRenderer } from './render';
import { BcxStore } from './store';

export type Obj = Record<string, unknown>;
export type BcxResult = { obj: Obj } | { list: () => unknown[]; render: (x: never) => Obj; pageSize: number | null } | { error: number; body: Obj };

export const PAGE_SIZE = 50;
export const NOT_FOUND = null;

export type Params = Record<string, number>;
export type Handler = (p: Params, q: URLSearchParams) => BcxResult | null;

export const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;
export const byPos = (a: BRec, b: BRec) => a.pos - b.pos || a.id - b.id;

export interface BcxRouteKit {
  readonly st: BcxStore;
  readonly r: BcxRenderer;
  /** The page size of the lists the docs say nothing about (the unknownListsPaginate reading). */
  readonly unknown: number | null;
  /** Add a route: routes are tried in the order they are added. */
  on(pattern: string, h: Handler): void;
  list<T>(rows: () => T[], render: (x: T) => Obj, pageSize: number | null): BcxResult;
  /** A project whose contents can be read (not trashed). */
  open(id: number | undefined): BProject | null;
  cal(id: number | undefined): BCalendar | null;
  person(id: number | undefined): BPerson | null;
  recIn(b: Bucket | null, id: number | undefined, kind: RecKind): BRec | null;
  one(b: Bucket | null, id: number | undefined, kind: RecKind, render: (r: BRec) => Obj): BcxResult | null;
  /** Projects the account-wide lists cover. */
  activeProjects(): BProject[];
  events(q: URLSearchParams, ok: (e: BEvent) => boolean, form: 'account' | 'project' | 'person'): BcxResult;
}

/** A YYYY-MM-DD parameter: its local midnight, null when absent, undefined when malformed. */
export function dateParam(v: string | null): number | null | undefined {
  if (v === null || v === '') return null;
  if (!/^\d{4}-\d\d-\d\d$/.test(v)) return undefined;
  const t = Date.parse(`${v}T12:00:00Z`);
  return Number.isNaN(t) ? undefined : localMidnight(t);
}

/** The answer to a malformed due_since. */
export function badDueSince(): BcxResult {
  return { error: 400, body: { error: 'due_since must be a date (YYYY-MM-DD)' } };
}
