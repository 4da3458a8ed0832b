/**
 * The shape of the API the client reads, as data: where an account's paths hang (from the
 * config), how a collection's pages are followed, and how fast requests may start when the
 * config does not say. Token handling, retries, rate limiting and the error table are the same
 * for any API behind Launchpad: Basecamp 3 (and 4 and 5) and Basecamp 2 ("bcx") differ only here
 * and in their streams (src/products/index.ts puts the two together).
 */
import { Config } from './config';
import { LINK_NEXT, Paging, pageNumbers } from './pagination';

export interface ApiShape {
  /** For messages: "Basecamp 3". */
  readonly name: string;
  /** The API root when the config names none. */
  readonly defaultApiUrl: string;
  /** The URL every account-relative path is read under. */
  accountBase(config: Pick<Config, 'api_url' | 'account_id'>): string;
  readonly paging: Paging;
  /** Request starts per 10 seconds when the config sets no max_requests_per_10s. */
  readonly requestsPer10s: number;
  /** The collection `--test` reads to prove the account answers. */
  readonly probePath: string;
}

/** Basecamp 3, 4 and 5 (one API): https://3.basecampapi.com/ACCOUNT_ID/..., Link rel="next", 50 requests per 10 s. */
export const BASECAMP_3: ApiShape = {
  name: 'Basecamp 3',
  defaultApiUrl: 'https://3.basecampapi.com',
  accountBase: (config) => `${config.api_url}/${config.account_id}`,
  paging: LINK_NEXT,
  requestsPer10s: 50,
  probePath: '/projects.json',
};

/**
 * Basecamp 2: https://basecamp.com/ACCOUNT_ID/api/v1/..., 50 records a page asked for with
 * ?page=N and no Link header, 500 requests per 10 s. /projects.json and /people.json answer
 * everything whatever the page, so they are never paged.
 */
export const BASECAMP_2: ApiShape = {
  name: 'Basecamp 2',
  defaultApiUrl: 'https://basecamp.com',
  accountBase: (config) => `${config.api_url}/${config.account_id}/api/v1`,
  paging: pageNumbers(50, /\/api\/v1\/(projects|people)\.json$/),
  requestsPer10s: 500,
  probePath: '/projects.json',
};
