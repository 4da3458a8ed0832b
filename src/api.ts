/**
 * The shape of the API the client reads, as data: where an account's paths hang (from the
 * config), how a collection's pages are followed, and how fast requests may start when the
 * config does not say. Token handling, retries, rate limiting and the error table are the same
 * for any API behind Launchpad, so another one (Basecamp 2, which pages with ?page=N, 50 items a
 * page, and sends no Link header) plugs in as another ApiShape with its own Paging.
 */
import { Config } from './config';
import { LINK_NEXT, Paging } from './pagination';

export interface ApiShape {
  /** For messages: "Basecamp 3". */
  readonly name: string;
  /** The URL every account-relative path is read under. */
  accountBase(config: Pick<Config, 'api_url' | 'account_id'>): string;
  readonly paging: Paging;
  /** Request starts per 10 seconds when the config sets no max_requests_per_10s. */
  readonly requestsPer10s: number;
}

/** Basecamp 3 and 4 (one API): https://3.basecampapi.com/ACCOUNT_ID/..., Link rel="next", 50 requests per 10 s. */
export const BASECAMP_3: ApiShape = {
  name: 'Basecamp 3',
  accountBase: (config) => `${config.api_url}/${config.account_id}`,
  paging: LINK_NEXT,
  requestsPer10s: 50,
};
