/**
 * `tap-basecamp auth` end to end: the built CLI against the simulator's Launchpad, with the test
 * playing the browser (open the authorization URL, follow its redirect to the tap's callback).
 */
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import got from 'got';
import { Simulator, startSimulator } from '../../simulator';
import { Done, cleanEnv, runCommand } from '../helpers/tap';

const BIN = path.join(__dirname, '..', '..', 'bin', 'tap-basecamp');
const SECRET = 'sim-secret-Zr8qW3xT';
const REFRESH = 'sim-refresh-Kd5mP1vY';
const FIRST = 888_000_001;
const SECOND = 888_000_002;
const OTHER = 777_000_003;

/** Runs `tap-basecamp auth ARGS`; calls onUrl with the authorization URL once it appears on stderr. */
function runAuth(args: string[], onUrl?: (url: string) => Promise<void>): Promise<Done & { url?: string }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [BIN, 'auth', ...args], { env: cleanEnv(), stdio: 'pipe' });
    child.stdin.end(); // a pipe, not a terminal
    let stdout = '';
    let stderr = '';
    let url: string | undefined;
    let browserError: unknown;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /(https?:\/\/\S+\/authorization\/new\?\S+)/.exec(stderr);
      if (m && url === undefined) {
        url = m[1];
        onUrl?.(url).catch((err: unknown) => {
          browserError = err;
          child.kill();
        });
      }
    });
    child.on('error', reject);
    child.on('close', (code) => (browserError ? reject(browserError) : resolve({ code, stdout, stderr, url })));
  });
}

const tapRun = (args: string[]): Promise<Done> => runCommand(process.execPath, [BIN, ...args]);

/** What a browser does: open the authorization page, get redirected to the tap's callback. */
async function playBrowser(authorizationUrl: string): Promise<string> {
  const consent = await got(authorizationUrl, { followRedirect: false, throwHttpErrors: false, retry: { limit: 0 } });
  expect(consent.statusCode).toBe(302);
  const location = String(consent.headers.location);
  expect(location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?code=/);
  const callback = await got(location, { throwHttpErrors: false, retry: { limit: 0 } });
  expect(callback.statusCode).toBe(200);
  expect(callback.headers['content-type']).toMatch(/text\/html/);
  return callback.body;
}

function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => / ERROR /.test(l));
}

describe('tap-basecamp auth', () => {
  let sim: Simulator;
  let tmp: string;

  beforeAll(async () => {
    sim = await startSimulator({
      records: 200,
      accountId: SECOND,
      clientSecret: SECRET,
      refreshToken: REFRESH,
      accounts: [
        { id: FIRST, product: 'bc3', name: 'First Company' },
        { id: SECOND, product: 'bc3', name: 'Second Company' },
        { id: OTHER, product: 'bcx', name: 'Classic Company' },
      ],
    });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tap-basecamp-auth-'));
  });
  afterAll(async () => {
    await sim.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function endpoints(): string[] {
    return [
      '--authorization-url', `${sim.baseUrl}/authorization/new`,
      '--token-url', sim.tokenUrl,
      '--identity-url', `${sim.baseUrl}/authorization.json`,
    ];
  }

  test('the browser flow prints a config the tap can use, and no secret on stderr', async () => {
    let page = '';
    const done = await runAuth(
      ['--client-id', sim.clientId, '--client-secret', SECRET, '--redirect-port', '0', '--account-id', String(SECOND), ...endpoints()],
      async (url) => {
        page = await playBrowser(url);
      },
    );
    expect(done.stderr).not.toContain(SECRET);
    expect(done.stderr).not.toContain(REFRESH);
    expect(done.code).toBe(0);
    expect(page).toMatch(/authorized/i);

    // The URL the user is told to open: the simulator's, with the standard parameters.
    const url = new URL(String(done.url));
    expect(url.searchParams.get('type')).toBe('web_server');
    expect(url.searchParams.get('client_id')).toBe(sim.clientId);
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*\/callback$/);
    // The code exchange used the standard OAuth parameters.
    const exchange = sim.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/authorization/token'));
    expect(exchange.length).toBeGreaterThanOrEqual(1);

    expect(done.stdout.startsWith('{\n  "')).toBe(true); // pretty, 2 spaces
    const config = JSON.parse(done.stdout) as Record<string, unknown>;
    expect(config).toEqual({
      account_id: SECOND,
      client_id: sim.clientId,
      client_secret: SECRET,
      refresh_token: REFRESH,
      api_url: sim.baseUrl,
      token_url: sim.tokenUrl,
    });
    expect(config).not.toHaveProperty('user_agent');

    // The other product is named as not supported.
    expect(done.stderr).toMatch(new RegExp(`${OTHER}.*not supported`));

    // The refresh token works: `--test` against the simulator with that config.
    const configPath = path.join(tmp, 'config.json');
    fs.writeFileSync(configPath, done.stdout);
    const test = await tapRun(['--config', configPath, '--test']);
    expect(test.stderr).not.toContain(REFRESH);
    expect(test.code).toBe(0);
  });

  test('several accounts, no --account-id and no terminal: one line listing the ids, exit 1', async () => {
    const done = await runAuth(['--client-id', sim.clientId, '--client-secret', SECRET, '--redirect-port', '0', ...endpoints()], async (url) => {
      await playBrowser(url);
    });
    expect(done.code).toBe(1);
    expect(done.stdout).toBe('');
    const errors = errorLines(done.stderr);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('--account-id');
    expect(errors[0]).toContain(String(FIRST));
    expect(errors[0]).toContain(String(SECOND));
    expect(errors[0]).not.toContain(String(OTHER));
    expect(done.stderr).not.toContain(SECRET);
    expect(done.stderr).not.toContain(REFRESH);
  });

  test('--account-id that is not a bc3 account of this identity: exit 1', async () => {
    const done = await runAuth(
      ['--client-id', sim.clientId, '--client-secret', SECRET, '--redirect-port', '0', '--account-id', String(OTHER), ...endpoints()],
      async (url) => {
        await playBrowser(url);
      },
    );
    expect(done.code).toBe(1);
    expect(errorLines(done.stderr)).toHaveLength(1);
    expect(done.stdout).toBe('');
  });

  test('a wrong client secret: the exchange is refused, one line, exit 1, the secret not shown', async () => {
    const wrong = 'wrong-secret-Hq2nB7';
    const done = await runAuth(
      ['--client-id', sim.clientId, '--client-secret', wrong, '--redirect-port', '0', '--account-id', String(SECOND), ...endpoints()],
      async (url) => {
        await playBrowser(url);
      },
    );
    expect(done.code).toBe(1);
    expect(done.stdout).toBe('');
    const errors = errorLines(done.stderr);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/refused/);
    expect(errors[0]).toMatch(/client_secret/);
    expect(done.stderr).not.toContain(wrong);
  });

  test('no browser comes back before --timeout: one line, exit 1', async () => {
    const done = await runAuth(['--client-id', sim.clientId, '--client-secret', SECRET, '--redirect-port', '0', '--timeout', '1', ...endpoints()]);
    expect(done.code).toBe(1);
    const errors = errorLines(done.stderr);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/timed out/);
  });

  test('a missing --client-secret is a usage error', async () => {
    const done = await runAuth(['--client-id', sim.clientId, '--redirect-port', '0', ...endpoints()]);
    expect(done.code).toBe(2);
    expect(errorLines(done.stderr)).toHaveLength(1);
    expect(done.url).toBeUndefined();
  });
});
