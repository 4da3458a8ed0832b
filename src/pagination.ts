/**
 * Offset pagination while the list changes underneath.
 *
 * Basecamp computes each page from the list as it is when that page is asked for, and sends the
 * list's length then as X-Total-Count. A record that leaves the list ahead of the read position
 * shifts every later record up by one, so the first record of the next page slides onto the page
 * already read and would never be seen. It did not change, so no incremental run reads it again.
 *
 * The walk keeps how far from the top of the list it has read without a gap, in today's
 * positions. When the total drops by d, records may have left anywhere ahead, so that point moves
 * up by d; the next page to read is the one holding it: usually the next page (its Link), after
 * a drop the page already read (its remembered URL), and then the pages after it again (a page
 * read beyond a gap cannot be trusted: a record edited in a newest-first list moves to the top,
 * shifting everything above its old place without changing the total). A list that grows at the
 * top needs nothing: what it gained is new or changed, and what it pushed onto the next page was
 * seen already (the collection drops repeats).
 *
 * Limitation, by construction: a record leaving ahead while another is added below the read
 * position between two page reads leaves the total unchanged and is not detected. Basecamp adds
 * to the top of its newest-first lists (the recordings walks); position-ordered lists are short
 * or read whole every run.
 *
 * Nothing here does I/O; the client feeds it each page's answer.
 */
import LinkHeader from 'http-link-header';

/** What one page answered. */
export interface PageAnswer {
  /** 1-based page number of the request (a re-read repeats an earlier number). */
  page: number;
  url: string;
  /** Items on the page. */
  count: number;
  /** X-Total-Count; undefined when the server sent none (then the walk just follows Links). */
  total?: number;
  /** The Link rel="next" target; undefined on the last page. */
  next?: string;
}

export interface NextPage {
  page: number;
  url: string;
  /** True when this page was read before: the list shrank ahead of the read position. */
  reread: boolean;
  /**
   * Set when a next link (not a re-read) points at a page this walk has read already: the
   * number of that page. Following it would loop, or end early with records never read.
   */
  loopsBackTo?: number;
}

interface KnownPage {
  url: string;
  offset: number;
  /** Size of a full page (known once the page was answered with a next link). */
  size?: number;
  next?: string;
}

export class OffsetWalk {
  private readonly pages: KnownPage[] = [];
  /** Each URL read (as sameResource gives it), with the number of the page read from it first. */
  private readonly urlsRead = new Map<string, number>();
  /** Positions [0, prefix) of today's list are known to be seen. */
  private prefix = 0;
  private lastTotal?: number;
  /** Pages read again because the list shrank while it was being read. */
  rereads = 0;
  /**
   * A drop larger than what was read: records may have slid above the first page read. Only
   * matters to a walk that did not start at the top (a resumed one), which must then restart.
   */
  underflow = false;

  /** Takes one page's answer and says which page to read next, or undefined when the walk is complete. */
  next(answer: PageAnswer): NextPage | undefined {
    const offset = this.offsetOf(answer.page);
    this.remember(answer, offset);
    if (answer.total !== undefined) this.noteTotal(answer.total);
    if (offset <= this.prefix) this.prefix = Math.max(this.prefix, offset + answer.count);

    if (answer.total !== undefined && this.prefix >= answer.total) return undefined;
    if (answer.next === undefined && this.prefix >= offset + answer.count) return undefined;
    return this.pageHolding(this.prefix);
  }

  /** Records where a page was read from, what it says follows, and (when not the last) its full size. */
  private remember(answer: PageAnswer, offset: number): void {
    const known = (this.pages[answer.page - 1] ??= { url: answer.url, offset });
    known.url = answer.url;
    known.next = answer.next;
    const read = sameResource(answer.url);
    if (!this.urlsRead.has(read)) this.urlsRead.set(read, answer.page);
    if (answer.next !== undefined) known.size = answer.count;
  }

  /** A total below the last one: records may have left anywhere ahead, so what is known seen shrinks by as many. */
  private noteTotal(total: number): void {
    if (this.lastTotal !== undefined && total < this.lastTotal) {
      const d = this.lastTotal - total;
      if (d > this.prefix) this.underflow = true;
      this.prefix = Math.max(0, this.prefix - d);
    }
    this.lastTotal = total;
  }

  /** The page holding position `prefix`: a known page (read again), or the one after the last known. */
  private pageHolding(prefix: number): NextPage | undefined {
    for (let p = 1; p <= this.pages.length; p++) {
      const page = this.pages[p - 1]!;
      // A page read as the last one (its full size unknown) that still holds unseen positions.
      if (page.size === undefined) return { page: p, url: page.url, reread: this.reread() };
      if (prefix < page.offset + page.size) return { page: p, url: page.url, reread: this.reread() };
    }
    const last = this.pages[this.pages.length - 1]!;
    if (last.next === undefined) return undefined;
    const earlier = this.urlsRead.get(sameResource(last.next));
    return { page: this.pages.length + 1, url: last.next, reread: false, ...(earlier !== undefined ? { loopsBackTo: earlier } : {}) };
  }

  private reread(): true {
    this.rereads++;
    return true;
  }

  private offsetOf(page: number): number {
    if (page === 1) return 0;
    const previous = this.pages[page - 2];
    if (!previous || previous.size === undefined) throw new Error(`page ${page} requested before page ${page - 1} was read in full`);
    return previous.offset + previous.size;
  }
}

/**
 * Remembers the last `capacity` items a walk yielded, so a page read again (or a record pushed
 * onto the next page by growth) is not written twice. Keyed by id and updated_at: a record that
 * changed in between is new and passes.
 */
export class RecentKeys {
  private readonly keys = new Set<string>();
  constructor(private readonly capacity = 5000) {}

  /** True the first time a key is offered (within the window); false for a repeat. */
  fresh(key: string | undefined): boolean {
    if (key === undefined) return true;
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    if (this.keys.size > this.capacity) this.keys.delete(this.keys.values().next().value as string);
    return true;
  }
}

/** The repeat-detection key of an item: its id and updated_at, when it has an id. */
export function itemKey(item: unknown): string | undefined {
  if (item === null || typeof item !== 'object') return undefined;
  const { id, updated_at: updatedAt } = item as { id?: unknown; updated_at?: unknown };
  if (id === undefined || id === null) return undefined;
  return `${String(id)}|${typeof updatedAt === 'string' ? updatedAt : ''}`;
}

/**
 * What a page says of the page after it: none (the last page), its absolute URL, or `bad` with
 * why no next page can be told (then neither stopping nor guessing is safe).
 */
export type NextLink = { kind: 'last' } | { kind: 'next'; url: string } | { kind: 'bad'; why: string };

const LAST: NextLink = { kind: 'last' };

/** A URL as compared for "the same page": absolute and normalised, without a fragment. */
export function sameResource(url: string): string {
  try {
    const u = new URL(url);
    u.hash = '';
    return u.href;
  } catch {
    return url; // not absolute (unit tests' page names): compared as written
  }
}

/** A header value quoted in a message: short, on one line. */
function quoted(value: string): string {
  const flat = value.replace(/\s+/g, ' ');
  return JSON.stringify(flat.length > 160 ? `${flat.slice(0, 157)}...` : flat);
}

/**
 * The rel="next" target of a page's Link header (RFC 8288, parsed by http-link-header),
 * resolved against the page's URL. No header, or no link with relation type "next", is the last
 * page. Bad: a header that does not parse, a next target that is empty (it names this very page)
 * or not a URL, and next targets that disagree (which one is right cannot be known; the same
 * target named twice is fine).
 */
export function nextLink(header: string | string[] | undefined, pageUrl: string): NextLink {
  const value = Array.isArray(header) ? header.join(', ') : header;
  if (value === undefined || value.trim() === '') return LAST;
  let refs: LinkHeader.Reference[];
  try {
    refs = LinkHeader.parse(value).rel('next');
  } catch (err) {
    return { kind: 'bad', why: `its Link header does not parse (${(err as Error).message}): ${quoted(value)}` };
  }
  const targets = new Set<string>();
  for (const ref of refs) {
    if (ref.uri.trim() === '') return { kind: 'bad', why: `its Link header names an empty rel="next" target (<>), which is this same page: ${quoted(value)}` };
    try {
      targets.add(sameResource(new URL(ref.uri, pageUrl).href));
    } catch {
      return { kind: 'bad', why: `its Link header's rel="next" target is not a URL: ${quoted(value)}` };
    }
  }
  if (targets.size > 1) return { kind: 'bad', why: `its Link header names ${targets.size} different rel="next" pages: ${quoted(value)}` };
  const [url] = targets;
  return url === undefined ? LAST : { kind: 'next', url };
}

/** What a page answered, as far as finding the next one goes. */
export interface PageSeen {
  /** The URL the page was read from. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** Items on the page. */
  count: number;
}

/**
 * How an API's collections page: where the page after one that was read is. The client follows
 * only what this gives (checking its origin), and OffsetWalk decides when to read a page again.
 */
export interface Paging {
  /** What gives the next page, in words for messages ("Link header"). */
  readonly name: string;
  /**
   * A page past the first that brings nothing new ends the walk: the list answers the same
   * records whatever page is asked for (Basecamp 2's lists whose paging the docs leave open).
   */
  readonly repeatsEnd?: boolean;
  /**
   * No list length comes with a page, so a record that left the list ahead of the read position
   * (which slides the next page's first record onto a page already read) cannot be seen as
   * OffsetWalk sees it. Read backwards, the same shift moves records onto pages still to be read:
   * a walk of more than one page reads its pages before the last once more, last first.
   * (Records added at the top shift the other way, which the forward walk is safe from.)
   */
  readonly recheckBackwards?: boolean;
  /** The absolute URL of the next page, none after the last one, or why it cannot be told. */
  next(page: PageSeen): NextLink;
}

/** Basecamp 3: each page but the last names the next in its Link header (rel="next"). */
export const LINK_NEXT: Paging = {
  name: 'Link header',
  next: (page) => nextLink(page.headers.link, page.url),
};

/**
 * Pages asked for by number (Basecamp 2): `size` records a page, and a page holding fewer is the
 * last. A page holding more than `size` is a list that does not page at all, and so is one
 * whose path matches `unpaginated` (asking for its page 2 would answer page 1 again, forever).
 * Exactly `size` records may be either: the next page is read, and one that repeats the last
 * ends the walk (repeatsEnd).
 */
export function pageNumbers(size: number, unpaginated: RegExp): Paging {
  return {
    name: `?page=N, ${size} a page`,
    repeatsEnd: true,
    recheckBackwards: true,
    next(page) {
      const url = new URL(page.url);
      if (page.count !== size || unpaginated.test(url.pathname)) return LAST;
      const n = Number.parseInt(url.searchParams.get('page') ?? '1', 10);
      url.searchParams.set('page', String((Number.isFinite(n) && n > 0 ? n : 1) + 1));
      return { kind: 'next', url: url.toString() };
    },
  };
}
