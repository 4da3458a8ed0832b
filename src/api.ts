/**
 * The shape of the API the client reads, as data: where an account's paths hang, how a
 * collection's pages are followed, and how fast requests may start when the config does not say.
 * Token handling, retries, rate limiting and the error table are the same for any API behind
 * Launchpad: Basecamp 3 (and 4 and 5) and Basecamp 2 ("bcx") differ only here and in their
 * streams (src/products.ts puts the two together).
 *
 * The API root of an account is decided here alone: `apiRoot` (from the config) and
 * `apiRootOfAccount` (from Launchpad's account list, for `tap-basecamp auth`).
 */
import { LINK_NEXT, Paging, pageNumbers } from './pagination';

/** Where an account's API hangs: the API root (api_url) and the account. */
export interface AccountAt {
  readonly api_url: string;
  readonly account_id: number;
}

export interface ApiShape {
  /** For messages: "Basecamp 3". */
  readonly name: string;
  /** The API root when the config names none. */
  readonly defaultApiUrl: string;
  /** The URL every account-relative path is read under. */
  accountBase(at: AccountAt): string;
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
  accountBase: (at) => `${at.api_url}/${at.account_id}`,
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
  accountBase: (at) => `${at.api_url}/${at.account_id}/api/v1`,
  paging: pageNumbers(50, /\/api\/v1\/(projects|people)\.json$/),
  requestsPer10s: 500,
  probePath: '/projects.json',
};

/** The API of a basecamp_product value; Basecamp 3's while the product is not known. */
export function apiOf(product: string | undefined): ApiShape {
  return product === 'bcx' ? BASECAMP_2 : BASECAMP_3;
}

/** What the config says of the API root: its api_url, and whether the config named one. */
export interface ApiUrlSetting {
  readonly api_url: string;
  readonly api_url_given: boolean;
}

/** The API root an account of `api` is read under: the api_url the config names, else the API's default. */
export function apiRoot(setting: ApiUrlSetting, api: ApiShape): string {
  return setting.api_url_given ? setting.api_url : api.defaultApiUrl;
}

/** The URL an account's paths are read under: its accountBase under apiRoot. */
export function accountUrl(config: ApiUrlSetting & Pick<AccountAt, 'account_id'>, api: ApiShape): string {
  return api.accountBase({ api_url: apiRoot(config, api), account_id: config.account_id });
}

/**
 * The API root an account lives on, from its URL as Launchpad lists it (`href`): that URL less
 * the account's own part (`accountBase` under an empty root); the API's default when it has none
 * or another form.
 */
export function apiRootOfAccount(href: string | undefined, accountId: number, api: ApiShape): string {
  if (!href) return api.defaultApiUrl;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return api.defaultApiUrl;
  }
  const path = url.pathname.replace(/\/+$/, '');
  const suffix = api.accountBase({ api_url: '', account_id: accountId });
  const base = path.endsWith(suffix) ? path.slice(0, -suffix.length) : '';
  return `${url.origin}${base}`;
}
