/**
 * The API root of an account, decided in src/api.ts alone: from the config (apiRoot, accountUrl)
 * and from Launchpad's account list for `tap-basecamp auth` (apiRootOfAccount); and a config that
 * stays as it was loaded while the tap reads another product's API or Launchpad rotates the token.
 */
import nock from 'nock';
import { BASECAMP_2, BASECAMP_3, accountUrl, apiOf, apiRoot, apiRootOfAccount } from '../../src/api';
import { carriesSecretsSafely } from '../../src/config';
import { retryOptions } from '../../src/errors';
import { oauthError } from '../../src/token';
import { REFRESH_TOKEN, makeClient, mockToken } from '../helpers/client-fixtures';

describe('apiOf: the API of a basecamp_product value', () => {
  it.each([
    ['bc3', BASECAMP_3],
    ['bcx', BASECAMP_2],
    [undefined, BASECAMP_3],
    ['other', BASECAMP_3],
  ])('%s -> its API (Basecamp 3 while unknown)', (product, api) => {
    expect(apiOf(product)).toBe(api);
  });
});

describe('apiRoot and accountUrl: where an account is read, from the config', () => {
  it.each([
    // given, api_url, API -> root, account URL of account 7
    [true, 'https://proxy.example/bc', BASECAMP_3, 'https://proxy.example/bc', 'https://proxy.example/bc/7'],
    [true, 'https://proxy.example/bc', BASECAMP_2, 'https://proxy.example/bc', 'https://proxy.example/bc/7/api/v1'],
    [false, 'https://3.basecampapi.com', BASECAMP_3, 'https://3.basecampapi.com', 'https://3.basecampapi.com/7'],
    // Not given: the default of the product Launchpad names, whatever the config was filled with.
    [false, 'https://3.basecampapi.com', BASECAMP_2, 'https://basecamp.com', 'https://basecamp.com/7/api/v1'],
  ] as const)('given %s, api_url %s, %s', (given, url, api, root, account) => {
    const setting = { api_url: url, api_url_given: given, account_id: 7 };
    expect(apiRoot(setting, api)).toBe(root);
    expect(accountUrl(setting, api)).toBe(account);
  });
});

describe("apiRootOfAccount: the API root of an account as Launchpad lists it (its href less the account's part)", () => {
  it.each([
    ['https://3.basecampapi.com/42', BASECAMP_3, 'https://3.basecampapi.com'],
    ['https://3.basecampapi.com/42/', BASECAMP_3, 'https://3.basecampapi.com'],
    ['https://basecamp.com/42/api/v1', BASECAMP_2, 'https://basecamp.com'],
    ['http://127.0.0.1:5000/sim/42', BASECAMP_3, 'http://127.0.0.1:5000/sim'],
    ['http://127.0.0.1:5000/sim/42/api/v1', BASECAMP_2, 'http://127.0.0.1:5000/sim'],
    // Another form: the origin alone.
    ['https://3.basecampapi.com/other/path', BASECAMP_3, 'https://3.basecampapi.com'],
    // None, or not a URL: the API's default.
    [undefined, BASECAMP_3, 'https://3.basecampapi.com'],
    [undefined, BASECAMP_2, 'https://basecamp.com'],
    ['not a url', BASECAMP_2, 'https://basecamp.com'],
  ] as const)('%s (%s) -> %s', (href, api, root) => {
    expect(apiRootOfAccount(href, 42, api)).toBe(root);
  });
});

describe('carriesSecretsSafely: https, or http to this machine only', () => {
  it.each([
    ['https://launchpad.37signals.com/authorization/token', true],
    ['http://localhost:8080/x', true],
    ['http://127.0.0.1:8080/x', true],
    ['http://[::1]:8080/x', true],
    ['http://example.com/x', false],
    ['http://127.0.0.2/x', false],
    ['ftp://localhost/x', false],
  ])('%s -> %s', (url, safe) => {
    expect(carriesSecretsSafely(new URL(url))).toBe(safe);
  });
});

describe("oauthError: the OAuth error code of a token endpoint's answer", () => {
  it.each([
    ['{"error":"invalid_grant"}', 'invalid_grant'],
    [Buffer.from('{"error":"invalid_client"}'), 'invalid_client'],
    [{ error: 'invalid_request' }, 'invalid_request'],
    ['{"error":5}', ''],
    ['<html>Bad Gateway</html>', ''],
    [null, ''],
    [undefined, ''],
  ])('%p -> %p', (body, code) => {
    expect(oauthError(body)).toBe(code);
  });
});

describe('retryOptions: got retries by the error table', () => {
  it('names the method, the limit, the retried statuses and codes, and the delay when given', () => {
    const delay = () => 5;
    const options = retryOptions(3, 'GET', delay);
    expect(options).toMatchObject({ limit: 3, methods: ['GET'], calculateDelay: delay });
    expect(options.statusCodes).toEqual(expect.arrayContaining([429, 500, 502, 503, 504]));
    expect(options.statusCodes).not.toContain(404);
    expect(options.errorCodes).toEqual(expect.arrayContaining(['ECONNRESET', 'ETIMEDOUT']));
    expect('calculateDelay' in retryOptions(2, 'POST')).toBe(false);
  });
});

describe('the config stays as it was loaded', () => {
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });
  afterEach(() => nock.cleanAll());

  it('when the client turns to the API Launchpad names, and when Launchpad rotates the refresh token', async () => {
    const { client, config } = makeClient({ api_url: 'https://3.basecampapi.com', api_url_given: false });
    const before = { ...config };
    client.useApi(BASECAMP_2, config);
    expect(client.accountBase).toBe(`https://basecamp.com/${config.account_id}/api/v1`);
    const token = mockToken(['at-api-Qq11', 'at-api-Rr22'], { refresh_token: 'rt-api-rotated-Ss33' });
    await client.refreshToken();
    await client.refreshToken();
    // The rotated token is the one exchanged next, without being written into the config.
    expect(new URLSearchParams(token.hits[1].body).get('refresh_token')).toBe('rt-api-rotated-Ss33');
    expect(config).toEqual(before);
    expect(config.refresh_token).toBe(REFRESH_TOKEN);
  });
});
