/**
 * Whose state it is: every STATE names the account and product it was written for, and a state of
 * another account or product is refused in one line (ownerMismatch); one that names neither (from
 * runs before they were recorded) is taken as it is. Also the line an account-level 404 ends in
 * when basecamp_product came from the config (productSettingHint).
 */
import { BookmarkManager, StateOwner, ownerMismatch, parseState } from '../../src/state';
import { productSettingHint } from '../../src/products';

const BC3: StateOwner = { account_id: 1001, basecamp_product: 'bc3' };

describe('ownerMismatch', () => {
  it.each([
    ['names neither (an older state)', {}],
    ['names this account and product', { account_id: 1001, basecamp_product: 'bc3' }],
    ['names this account as a string, as a hand-written state may', { account_id: '1001' }],
    ['names this account only', { account_id: 1001 }],
    ['names this product only', { basecamp_product: 'bc3' }],
  ])('accepts a state that %s', (_, state) => {
    expect(ownerMismatch(state, BC3, 's.json')).toBeUndefined();
  });

  it.each([
    [
      'another account',
      { account_id: 2002, basecamp_product: 'bc3' },
      "state s.json is of account 2002, product bc3; the config is of account 1001, product bc3: pass the state that this account's runs wrote, or drop the state",
    ],
    [
      'another account and product (a Basecamp 2 state)',
      { account_id: 2002, basecamp_product: 'bcx' },
      'state s.json is of account 2002, product bcx; the config is of account 1001, product bc3: pass the state',
    ],
    ['another account, no product named', { account_id: 2002 }, 'state s.json is of account 2002, product bc3; the config is of account 1001, product bc3'],
    [
      'this account read as the other product',
      { account_id: 1001, basecamp_product: 'bcx' },
      'state s.json is of account 1001, product bcx; the config is of account 1001, product bc3: check basecamp_product, or drop the state',
    ],
    [
      'another product, no account named',
      { basecamp_product: 'bcx' },
      'is of account 1001, product bcx; the config is of account 1001, product bc3: check basecamp_product',
    ],
  ])('refuses a state of %s, in one line saying what to do', (_, state, expected) => {
    const line = ownerMismatch(state, BC3, 's.json');
    expect(line).toContain(expected);
    expect(line).toMatch(/run without --state for a full sync; under Meltano, check state_id or `meltano state clear` it\)$/);
    expect(line).not.toContain('\n');
  });
});

describe('a state names its owner', () => {
  it('parseState keeps account_id and basecamp_product, and a manager with an owner writes them first in every value', () => {
    const parsed = parseState({ account_id: 1001, basecamp_product: 'bc3', bookmarks: { todos: { updated_at: '2026-01-01T00:00:00Z' } } }, 's');
    expect(parsed).toMatchObject({ account_id: 1001, basecamp_product: 'bc3' });
    const b = new BookmarkManager(parsed, undefined, BC3);
    expect(Object.keys(b.value()).slice(0, 3)).toEqual(['account_id', 'basecamp_product', 'bookmarks']);
    expect(b.value(false)).toMatchObject({ account_id: 1001, basecamp_product: 'bc3' });
  });

  it('a state without them is read as before, and the next value carries the owner of the run', () => {
    const parsed = parseState({ bookmarks: { projects: { updated_at: '2026-01-01T00:00:00Z' } } }, 's');
    expect(parsed).not.toHaveProperty('account_id');
    expect(new BookmarkManager(parsed).value()).toEqual({ bookmarks: { projects: { updated_at: '2026-01-01T00:00:00Z' } } });
    expect(new BookmarkManager(parsed, undefined, { account_id: 7, basecamp_product: 'bcx' }).value()).toEqual({
      account_id: 7,
      basecamp_product: 'bcx',
      bookmarks: { projects: { updated_at: '2026-01-01T00:00:00Z' } },
    });
  });

  it("Meltano's whole STATE message keeps them too", () => {
    expect(parseState({ type: 'STATE', value: { account_id: '1001', basecamp_product: 'bcx', bookmarks: {} } }, 's')).toEqual({
      account_id: '1001',
      basecamp_product: 'bcx',
      bookmarks: {},
    });
  });

  it.each([
    [{ account_id: 'twelve', bookmarks: {} }, /state s is malformed: account_id must be a number$/],
    [{ account_id: 0, bookmarks: {} }, /state s is malformed: account_id must be >= 1/],
    [{ basecamp_product: 3, bookmarks: {} }, /state s is malformed: basecamp_product must be string/],
  ])('a malformed owner is a malformed state: %j', (state, message) => {
    expect(() => parseState(state, 's')).toThrow(message);
  });
});

describe('productSettingHint', () => {
  it.each([
    [undefined, ''],
    [
      'bc3',
      ', or it is not a Basecamp 3, 4 and 5 account as basecamp_product "bc3" says: set basecamp_product to bcx (Basecamp 2), or leave it unset to ask Launchpad',
    ],
    [
      'bcx',
      ', or it is not a Basecamp 2 account as basecamp_product "bcx" says: set basecamp_product to bc3 (Basecamp 3, 4 and 5), or leave it unset to ask Launchpad',
    ],
  ] as const)('basecamp_product %s', (setting, hint) => {
    expect(productSettingHint(setting)).toBe(hint);
  });
});
