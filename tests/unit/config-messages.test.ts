/**
 * Config errors read as one clause per field: a start_date the tap cannot read says which forms it
 * takes, with examples, instead of a validator's three anyOf clauses.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig, startDateProblem } from '../../src/config';

const FORMS = 'start_date must be a date such as 2024-01-01 (midnight UTC) or an RFC 3339 date-time such as 2024-01-01T09:30:00Z or 2024-01-01T09:30:00+02:00';

describe('startDateProblem', () => {
  it.each([[undefined], ['2024-01-01'], ['2024-02-29'], ['2024-01-01T00:00:00Z'], ['2024-01-01T09:30:00.123+02:00'], ['2024-01-01t09:30:00z']])(
    'accepts %s',
    (value) => {
      expect(startDateProblem(value)).toBeUndefined();
    },
  );

  it.each([
    ['2024-13-01', '"2024-13-01"'],
    ['2023-02-29', '"2023-02-29"'],
    ['2024/01/01', '"2024/01/01"'],
    ['2024-01-01T09:30:00', '"2024-01-01T09:30:00"'], // no zone: which clock would it be?
    ['2024-01-01T25:00:00Z', '"2024-01-01T25:00:00Z"'],
    ['last tuesday', '"last tuesday"'],
    ['', '""'],
    [20240101, '20240101'],
    [null, 'null'],
  ])('refuses %j in one clause naming the forms and the value', (value, shown) => {
    expect(startDateProblem(value)).toBe(`${FORMS} (got ${shown})`);
  });
});

describe('loadConfig', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tap-basecamp-config-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const good = { account_id: 42, client_id: 'id', client_secret: 'secret-value', refresh_token: 'refresh-value' };
  const load = (value: object) => {
    const file = path.join(dir, 'c.json');
    fs.writeFileSync(file, JSON.stringify(value));
    return loadConfig([file], {}, () => undefined);
  };

  it('a bad start_date is one clause, beside the other fields that are wrong', () => {
    expect(() => load({ ...good, start_date: '2024-13-01' })).toThrow(
      new RegExp(`^invalid config: ${FORMS.replace(/[()+.]/g, '\\$&')} \\(got "2024-13-01"\\)$`),
    );
    expect(() => load({ ...good, start_date: 5, max_retries: -1 })).toThrow(
      /^invalid config: max_retries must be >= 0; start_date must be a date such as .* \(got 5\)$/,
    );
  });

  it('a date alone is midnight UTC; a date-time is kept as given', () => {
    expect(load({ ...good, start_date: '2024-01-01' }).start_date).toBe('2024-01-01T00:00:00Z');
    expect(load({ ...good, start_date: '2024-01-01T09:30:00+02:00' }).start_date).toBe('2024-01-01T09:30:00+02:00');
    expect(load(good).start_date).toBeUndefined();
  });
});

describe('full_refresh_hours', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tap-basecamp-config-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const good = { account_id: 42, client_id: 'id', client_secret: 'secret-value', refresh_token: 'refresh-value' };
  const load = (value: object, env: NodeJS.ProcessEnv = {}) => {
    const file = path.join(dir, 'c.json');
    fs.writeFileSync(file, JSON.stringify(value));
    return loadConfig([file], env, () => undefined);
  };

  it('is 24 hours when left out', () => {
    expect(load(good).full_refresh_hours).toBe(24);
  });

  it.each([
    [0, 0], // every run re-reads every full-table collection
    [0.5, 0.5],
    [1, 1],
    [168, 168],
  ])('takes %j hours', (given, read) => {
    expect(load({ ...good, full_refresh_hours: given }).full_refresh_hours).toBe(read);
  });

  it('is accepted for Basecamp 2 accounts too', () => {
    expect(load({ ...good, basecamp_product: 'bcx', full_refresh_hours: 2 }).full_refresh_hours).toBe(2);
  });

  it.each([
    [-1, 'full_refresh_hours must be >= 0'],
    [-0.5, 'full_refresh_hours must be >= 0'],
    ['x', 'full_refresh_hours must be number'],
    ['24', 'full_refresh_hours must be number'],
    [null, 'full_refresh_hours must be number'],
    [true, 'full_refresh_hours must be number'],
  ])('refuses %j in one line naming the setting', (given, clause) => {
    expect(() => load({ ...good, full_refresh_hours: given })).toThrow(new RegExp(`^invalid config: ${clause}$`));
  });

  it('comes from TAP_BASECAMP_FULL_REFRESH_HOURS, and a config file wins over it', () => {
    expect(load(good, { TAP_BASECAMP_FULL_REFRESH_HOURS: '0.5' }).full_refresh_hours).toBe(0.5);
    expect(load(good, { TAP_BASECAMP_FULL_REFRESH_HOURS: '0' }).full_refresh_hours).toBe(0);
    expect(load({ ...good, full_refresh_hours: 6 }, { TAP_BASECAMP_FULL_REFRESH_HOURS: '0' }).full_refresh_hours).toBe(6);
    expect(() => load(good, { TAP_BASECAMP_FULL_REFRESH_HOURS: 'daily' })).toThrow(/^invalid config: full_refresh_hours must be number$/);
    expect(() => load(good, { TAP_BASECAMP_FULL_REFRESH_HOURS: '-2' })).toThrow(/^invalid config: full_refresh_hours must be >= 0$/);
  });
});
