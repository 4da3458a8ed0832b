/**
 * Reading one collection: its pages followed as the API's paging says, re-read when the list
 * shrinks under the walk (pagination.ts decides which page), resumed where a cut-short run
 * stopped, and rechecked backwards where the paging asks for it. The HTTP of each page is the
 * client's (client.ts).
 */
import type { Response } from 'got';
import type { BasecampClient } from './client';
import { describeUrl, requestIdOf } from './described';
import { apiError } from './errors';
import { NextPage, OffsetWalk, RecentKeys, itemKey } from './pagination';

/** A collection whose pages keep pointing onwards stops here: no Basecamp list is a million records deep. */
export const MAX_PAGES = 10_000;

/**
 * Where a walk cut short resumes: the page it was reading (its URL, as a Link gave it). `accept`
 * looks at that page's first item and says whether nothing can have slid above it since (the
 * list's order puts it at or before where the walk stopped); otherwise, or if the list shrinks
 * by more than was read, the walk starts again from the top.
 */
export interface ResumeAt<T> {
  url: string;
  accept: (first: T | undefined) => boolean;
}

/**
 * One collection read: iterate it for the items. Pages are followed as the API's paging says
 * (Basecamp 3: Link rel="next"; never a page URL we build), one page in memory at a time; when
 * X-Total-Count shows the list shrank mid-walk, a page already read is read again (see
 * pagination.ts) and repeats are dropped. With an etag the first request carries If-None-Match:
 * a 304 yields nothing and sets `notModified`. Afterwards `etag` holds the validator worth keeping
 * (only for a collection that fits one page).
 */
export class Collection<T> implements AsyncIterable<T> {
  etag?: string;
  notModified = false;
  pagesRead = 0;
  /** The page whose items are being yielded (a resume point can return to it). */
  currentUrl?: string;
  /** The walk started at a resume page and kept to it (false once it fell back to the top). */
  private resumed = false;
  /**
   * False while a shrink has been seen and the page holding what slid back is not yet read
   * again: a checkpoint taken then could claim records not yet written.
   */
  settled = true;
  /** X-Total-Count of the last page, and items read so far: what the list still holds, for progress. */
  total?: number;
  itemsRead = 0;

  constructor(
    private readonly client: BasecampClient,
    private readonly path: string,
    private readonly ifNoneMatch?: string,
    private readonly resume?: ResumeAt<T>,
    /** Records never leave the list (a log such as Basecamp 2's events): no backward recheck. */
    private readonly onlyGrows = false,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    const first = this.client.url(this.path);
    // Pages read, in order, for the backward recheck (page-numbered APIs whose records can leave).
    const recheck = this.client.shape.paging.recheckBackwards === true && !this.onlyGrows;
    const w: Walk = { first, url: first, walk: new OffsetWalk(), recent: new RecentKeys(), pageUrls: recheck ? [] : undefined };
    this.resumed = this.resume !== undefined;
    let request: NextPage | undefined = { page: 1, url: this.resume?.url ?? first, reread: false };
    try {
      while (request) {
        const page = await this.readPage(w, request);
        if (page === undefined) return; // not modified
        const step = this.follow(w, request, page);
        request = step.next;
        if (!step.yields) continue;
        const { items } = page;
        if (this.onePageList(page)) yield* items;
        else {
          const fresh = items.filter((item) => w.recent.fresh(itemKey(item)));
          if (this.repeatsEnd(items, fresh)) request = undefined;
          yield* fresh;
        }
      }
      for (const again of pagesToRecheck(w.pageUrls)) {
        w.url = again;
        for (const item of await this.recheckPage(again)) if (w.recent.fresh(itemKey(item))) yield item;
      }
    } catch (err) {
      throw this.client.toApiError(err, w.url);
    }
  }

  /** Reads the page asked for (none past MAX_PAGES); undefined when the first page was not modified. */
  private async readPage(w: Walk, request: NextPage): Promise<PageRead<T> | undefined> {
    w.url = request.url;
    if (this.pagesRead >= MAX_PAGES)
      throw apiError({ type: 'endless', pages: MAX_PAGES, paging: this.client.shape.paging.name }, { path: describeUrl(w.first), retries: 0 });
    const { res, next, total } = await this.client.page(w.url, this.pagesRead === 0 ? this.ifNoneMatch : undefined);
    this.pagesRead++;
    this.total = total;
    if (res.statusCode === 304) {
      this.notModified = true;
      this.etag = this.ifNoneMatch;
      this.client.stats.notModified++;
      return undefined;
    }
    const items = res.body as T[];
    this.itemsRead += items.length;
    w.pageUrls?.push(w.url);
    return { res, items, next, total };
  }

  /**
   * What a page's answer means for the walk: the page to read next, and whether this page's
   * items are yielded (not when a resumed walk finds the list moved since it stopped: it starts
   * again from the top).
   */
  private follow(w: Walk, request: NextPage, page: PageRead<T>): { next: NextPage | undefined; yields: boolean } {
    const { res, items, next, total } = page;
    if (this.resumed && this.pagesRead === 1 && !this.resume!.accept(items[0])) return { next: this.restart(w), yields: false };
    this.etag = etagWorthKeeping(this.pagesRead, next, res.headers.etag);
    let following = w.walk.next({ page: request.page, url: w.url, count: items.length, total, next });
    // Records may have slid above the page a resumed walk started at: walk it from the top.
    if (this.resumed && w.walk.underflow) following = this.restart(w);
    if (following?.loopsBackTo !== undefined) throw this.loopsBack(following, res, w.url);
    this.currentUrl = w.url;
    this.settled = following === undefined || !following.reread;
    if (following?.reread) {
      this.client.stats.rereads++;
      this.client.noteReread(describeUrl(following.url));
    }
    return { next: following, yields: true };
  }

  /** Walks the list again from its first page, as a walk that did not resume. */
  private restart(w: Walk): NextPage {
    this.resumed = false;
    if (w.pageUrls) w.pageUrls.length = 0;
    w.walk = new OffsetWalk();
    return { page: 1, url: w.first, reread: false };
  }

  /** A next link naming a page this walk has read: following it would loop or leave records out. */
  private loopsBack(following: NextPage, res: Response<unknown>, url: string): Error {
    const why = `the next page its ${this.client.shape.paging.name} names, ${describeUrl(following.url)}, is page ${following.loopsBackTo} of this walk, already read`;
    return apiError({ type: 'bad_paging', why }, { path: describeUrl(url), retries: 0, requestId: requestIdOf(res) });
  }

  /**
   * Repeats need a second page (one read again, or a record pushed there by growth): a one-page
   * list (read from the top) is yielded as it is, without keying every item.
   */
  private onePageList(page: PageRead<T>): boolean {
    return page.next === undefined && this.pagesRead === 1 && !this.resume;
  }

  /** A list answering the same page whatever page is asked (where the paging allows for that): the walk ends. */
  private repeatsEnd(items: readonly T[], fresh: readonly T[]): boolean {
    return this.pagesRead > 1 && fresh.length === 0 && items.length > 0 && this.client.shape.paging.repeatsEnd === true;
  }

  /** A page read again by the backward recheck. */
  private async recheckPage(url: string): Promise<T[]> {
    const { res } = await this.client.page(url, undefined);
    this.pagesRead++;
    this.client.stats.rechecked++;
    return res.body as T[];
  }
}

/** One iteration's walk state: where it started, the page being read, and what it has seen. */
interface Walk {
  readonly first: string;
  /** The page being read (named by an error). */
  url: string;
  walk: OffsetWalk;
  readonly recent: RecentKeys;
  /** Pages read, in order, when the paging asks for a backward recheck. */
  readonly pageUrls?: string[];
}

/** A page of a collection as read. */
interface PageRead<T> {
  res: Response<unknown>;
  items: T[];
  next?: string;
  total?: number;
}

/** The pages a backward recheck reads again: all but the last, last first (none for a one-page walk). */
export function pagesToRecheck(pageUrls: readonly string[] | undefined): string[] {
  return pageUrls && pageUrls.length > 1 ? pageUrls.slice(0, -1).reverse() : [];
}

/** The validator worth keeping: only a collection that fits one page has an ETag for all of it. */
export function etagWorthKeeping(pagesRead: number, next: string | undefined, header: unknown): string | undefined {
  return pagesRead === 1 && next === undefined && typeof header === 'string' ? header : undefined;
}
