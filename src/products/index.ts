/**
 * The two Basecamp APIs the tap reads, each an API shape (src/api.ts) with its streams, and how
 * a run finds out which one an account is: the config's basecamp_product, or else Launchpad.
 */
import { ApiShape, BASECAMP_2, BASECAMP_3 } from '../api';
import { TapError } from '../errors';
import { STREAMS } from '../streams';
import { BCX_STREAMS } from '../streams/bcx';
import { Stream } from '../streams/stream';

export type ProductId = 'bc3' | 'bcx';
export const PRODUCT_IDS: readonly ProductId[] = ['bc3', 'bcx'];

export interface Product {
  /** Launchpad's product name, and the basecamp_product setting. */
  readonly id: ProductId;
  /** For people: "Basecamp 3, 4 and 5". */
  readonly title: string;
  readonly api: ApiShape;
  readonly streams: readonly Stream[];
  readonly byName: ReadonlyMap<string, Stream>;
  /** The catalog `npm run catalog` writes under catalogs/. */
  readonly catalogFile: string;
}

function product(id: ProductId, title: string, api: ApiShape, streams: readonly Stream[], catalogFile: string): Product {
  return { id, title, api, streams, byName: new Map(streams.map((s) => [s.name, s])), catalogFile };
}

export const PRODUCTS: Readonly<Record<ProductId, Product>> = {
  bc3: product('bc3', 'Basecamp 3, 4 and 5', BASECAMP_3, STREAMS, 'catalog.json'),
  bcx: product('bcx', 'Basecamp 2', BASECAMP_2, BCX_STREAMS, 'catalog-bcx.json'),
};

/** One account as Launchpad's authorization.json lists it. */
export interface ListedAccount {
  id: number;
  product: string;
  name: string;
  href?: string;
  app_href?: string;
}

/** The accounts of an authorization.json answer (those with a numeric id); undefined when it has no list. */
export function listedAccounts(body: unknown): ListedAccount[] | undefined {
  const accounts = (body as { accounts?: unknown } | null)?.accounts;
  if (!Array.isArray(accounts)) return undefined;
  return (accounts as Array<Record<string, unknown> | null>)
    .filter((a): a is Record<string, unknown> => a !== null && typeof a === 'object' && /^\d+$/.test(String(a.id)))
    .map((a) => ({
      id: Number(a.id),
      product: String(a.product ?? ''),
      name: String(a.name ?? ''),
      ...(typeof a.href === 'string' ? { href: a.href } : {}),
      ...(typeof a.app_href === 'string' ? { app_href: a.app_href } : {}),
    }));
}

/** The product of `accountId` among the accounts Launchpad lists for the token; one clear line otherwise. */
export function productOf(accountId: number, accounts: readonly ListedAccount[]): Product {
  const account = accounts.find((a) => a.id === accountId);
  if (!account) {
    const listed = accounts.map((a) => `${a.id} (${a.product}${a.name ? `, ${a.name}` : ''})`).join(', ');
    throw new TapError(`account ${accountId} is not among the accounts this token can see: ${listed || 'none'}; check account_id, or set basecamp_product`);
  }
  if (account.product === 'bc3' || account.product === 'bcx') return PRODUCTS[account.product];
  throw new TapError(`account ${accountId} is a "${account.product}" account: tap-basecamp reads Basecamp 3/4/5 (bc3) and Basecamp 2 (bcx) accounts`);
}

/**
 * What an account-level 404 adds when basecamp_product came from the config: the account may be
 * the other Basecamp, whose API lives elsewhere and answers 404 to these paths. Empty when
 * Launchpad named the product (it is right then).
 */
export function productSettingHint(setting: ProductId | undefined): string {
  if (setting === undefined) return '';
  const other = PRODUCTS[setting === 'bc3' ? 'bcx' : 'bc3'];
  return `, or it is not a ${PRODUCTS[setting].title} account as basecamp_product "${setting}" says: set basecamp_product to ${other.id} (${other.title}), or leave it unset to ask Launchpad`;
}
