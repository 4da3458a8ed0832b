/**
 * `tap-basecamp auth` end to end: the built CLI against the simulator's Launchpad, with the test
 * playing the browser (open the authorization URL, follow its redirect to the tap's callback), or,
 * with --no-browser, a browser elsewhere whose final address is pasted on the helper's stdin.
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
const BCX = 888_000_004;

/**
 * Runs `tap-basecamp auth ARGS`; calls onUrl with the authorization URL once it appears on stderr.
 * stdin is a pipe (not a terminal), closed at once unless `keepStdin` (onUrl then writes to it).
 */
function runAuth(
  args: string[],
  onUrl?: (url: string, child: ChildProcessWithoutNullStreams) => Promise<void>,
  { keepStdin = false } = {},
): Promise<Done & { url?: string }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [BIN, 'auth', ...args], { env: cleanEnv(), stdio: 'pipe' });
    if (!keepStdin) child.stdin.end();
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
        onUrl?.(url, child).catch((err: unknown) => {
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

/** Where Launchpad sends the browser once access is allowed: the callback, with ?code=. */
async function consent(authorizationUrl: string): Promise<string> {
  const answer = await got(authorizationUrl, { followRedirect: false, throwHttpErrors: false, retry: { limit: 0 } });
  expect(answer.statusCode).toBe(302);
  const location = String(answer.headers.location);
  expect(location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?code=/);
  return location;
}

/**
 * What a browser does: open the authorization page, get redirected to the tap's callback, and
 * show the page the callback answers (once the helper knows how it all ended) with `status`.
 */
async function playBrowser(authorizationUrl: string, status = 200): Promise<string> {
  const callback = await got(await consent(authorizationUrl), { throwHttpErrors: false, retry: { limit: 0 } });
  expect(callback.statusCode).toBe(status);
  expect(callback.headers['content-type']).toMatch(/text\/html/);
  return callback.body;
}

const codeOf = (location: string): string => String(new URL(location).searchParams.get('code'));
const tokenPosts = (sim: Simulator): number => sim.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/authorization/token')).length;

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
        { id: OTHER, product: 'campfire', name: 'Chat Company' },
        { id: BCX, product: 'bcx', name: 'Basecamp 2 Company' },
      ],
      bcx: { accountId: BCX, records: 150 },
    });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tap-basecamp-auth-'));
  });
  afterAll(async () => {
    await sim.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function endpoints(): string[] {
    return ['--authorization-url', `${sim.baseUrl}/authorization/new`, '--token-url', sim.tokenUrl, '--identity-url', `${sim.baseUrl}/authorization.json`];
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
    expect(page).toMatch(/tap-basecamp is authorized/);
    expect(page).not.toMatch(/not authorized|not written/);

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
      basecamp_product: 'bc3',
      client_id: sim.clientId,
      client_secret: SECRET,
      refresh_token: REFRESH,
      api_url: sim.baseUrl,
      token_url: sim.tokenUrl,
      user_agent: 'tap-basecamp (you@example.com)',
    });
    // The user is told to put their own contact there.
    expect(done.stderr).toMatch(/INFO edit its user_agent.*you@example\.com/);

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
    let page = '';
    const done = await runAuth(['--client-id', sim.clientId, '--client-secret', SECRET, '--redirect-port', '0', ...endpoints()], async (url) => {
      page = await playBrowser(url, 502);
    });
    expect(done.code).toBe(1);
    expect(done.stdout).toBe('');
    // Launchpad said yes, but the helper could not finish: the page says so, and why.
    expect(page).toMatch(/tap-basecamp is authorized, but its config was not written/);
    expect(page).toContain('--account-id');
    expect(page).not.toContain(SECRET);
    const errors = errorLines(done.stderr);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('--account-id');
    expect(errors[0]).toContain(String(FIRST));
    expect(errors[0]).toContain(String(SECOND));
    expect(errors[0]).toContain(String(BCX));
    expect(errors[0]).not.toContain(String(OTHER));
    expect(done.stderr).not.toContain(SECRET);
    expect(done.stderr).not.toContain(REFRESH);
  });

  test('a Basecamp 2 account: the config names its product and API root, and the tap reads it', async () => {
    const done = await runAuth(
      ['--client-id', sim.clientId, '--client-secret', SECRET, '--redirect-port', '0', '--account-id', String(BCX), ...endpoints()],
      async (url) => {
        await playBrowser(url);
      },
    );
    expect(done.code).toBe(0);
    const config = JSON.parse(done.stdout) as Record<string, unknown>;
    expect(config).toMatchObject({ account_id: BCX, basecamp_product: 'bcx', api_url: sim.baseUrl });
    const configPath = path.join(tmp, 'config-bcx.json');
    fs.writeFileSync(configPath, done.stdout);
    const test = await tapRun(['--config', configPath, '--test']);
    expect(test.code).toBe(0);
    expect(test.stderr).toMatch(/OK: token refreshed and projects of Basecamp 2 account 888000004 readable/);
    expect(test.stderr).not.toContain(REFRESH);
  });

  test('--account-id that is not a Basecamp account the tap reads: exit 1', async () => {
    const done = await runAuth(
      ['--client-id', sim.clientId, '--client-secret', SECRET, '--redirect-port', '0', '--account-id', String(OTHER), ...endpoints()],
      async (url) => {
        await playBrowser(url, 502);
      },
    );
    expect(done.code).toBe(1);
    expect(errorLines(done.stderr)).toHaveLength(1);
    expect(done.stdout).toBe('');
  });

  test('a wrong client secret: the exchange is refused, the browser page says so, one line, exit 1, the secret not shown', async () => {
    const wrong = 'wrong-secret-Hq2nB7';
    let page = '';
    let code = '';
    const done = await runAuth(
      ['--client-id', sim.clientId, '--client-secret', wrong, '--redirect-port', '0', '--account-id', String(SECOND), ...endpoints()],
      async (url) => {
        const location = await consent(url);
        code = codeOf(location);
        const callback = await got(location, { throwHttpErrors: false, retry: { limit: 0 } });
        expect(callback.statusCode).toBe(502);
        page = callback.body;
      },
    );
    expect(done.code).toBe(1);
    expect(done.stdout).toBe('');
    const errors = errorLines(done.stderr);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/refused/);
    expect(errors[0]).toMatch(/client_secret/);
    expect(done.stderr).not.toContain(wrong);
    expect(code).not.toBe('');
    expect(done.stderr).not.toContain(code);
    // The page was answered after the exchange: it says it failed, and why.
    expect(page).toMatch(/tap-basecamp was not authorized/);
    expect(page).not.toMatch(/is authorized/);
    expect(page).toMatch(/refused the token exchange/);
    expect(page).not.toContain(wrong);
  });

  test('no browser comes back before --timeout: one line, exit 1', async () => {
    const done = await runAuth(['--client-id', sim.clientId, '--client-secret', SECRET, '--redirect-port', '0', '--timeout', '1', ...endpoints()]);
    expect(done.code).toBe(1);
    const errors = errorLines(done.stderr);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/timed out/);
  });

  describe('--no-browser: the address the browser was sent to (or its code) pasted on stdin', () => {
    const base = (): string[] => ['--client-id', sim.clientId, '--client-secret', SECRET, '--account-id', String(SECOND), '--no-browser', ...endpoints()];

    /** Runs with --no-browser; `paste` makes the line to write on stdin from Launchpad's redirect and the URL's state. */
    async function pasting(args: string[], paste: (location: string, state: string) => string): Promise<Done & { url?: string; authCode: string }> {
      let authCode = '';
      const done = await runAuth(
        args,
        async (url, child) => {
          const location = await consent(url);
          authCode = codeOf(location);
          child.stdin.end(paste(location, String(new URL(url).searchParams.get('state'))) + '\n');
        },
        { keepStdin: true },
      );
      return { ...done, authCode };
    }

    test('the whole address, with our state: a config on stdout, no secret or code on stderr', async () => {
      const done = await pasting(base(), (location, state) => `  ${location}&state=${state}  `);
      expect(done.code).toBe(0);
      // The redirect URI is the registered one (the default port), though nothing listens there.
      expect(new URL(String(done.url)).searchParams.get('redirect_uri')).toBe('http://127.0.0.1:8765/callback');
      expect(done.stderr).toMatch(/INFO open this URL in a browser on any machine/);
      expect(done.stderr).toMatch(/paste that whole address/);
      expect(JSON.parse(done.stdout)).toMatchObject({ account_id: SECOND, refresh_token: REFRESH, user_agent: 'tap-basecamp (you@example.com)' });
      for (const secret of [SECRET, REFRESH, done.authCode]) expect(done.stderr).not.toContain(secret);
    });

    test('just the code', async () => {
      const done = await pasting(base(), (location) => codeOf(location));
      expect(done.code).toBe(0);
      expect(JSON.parse(done.stdout)).toMatchObject({ account_id: SECOND, refresh_token: REFRESH });
      for (const secret of [SECRET, REFRESH, done.authCode]) expect(done.stderr).not.toContain(secret);
    });

    test('an address with another state: refused before any exchange, one line, exit 1', async () => {
      const before = tokenPosts(sim);
      const done = await pasting(base(), (location) => `${location}&state=forged`);
      expect(done.code).toBe(1);
      expect(done.stdout).toBe('');
      const errors = errorLines(done.stderr);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/state that does not match/);
      expect(tokenPosts(sim)).toBe(before);
      expect(done.stderr).not.toContain(done.authCode);
    });

    test('an address without a code, or stdin closed with nothing pasted: one line, exit 1', async () => {
      const noCode = await pasting(base(), () => 'http://127.0.0.1:8765/callback?foo=1');
      expect(noCode.code).toBe(1);
      expect(errorLines(noCode.stderr)).toEqual([expect.stringMatching(/no code= parameter/)]);
      const closed = await runAuth(base());
      expect(closed.code).toBe(1);
      expect(errorLines(closed.stderr)).toEqual([expect.stringMatching(/stdin ended before an address or a code was pasted/)]);
    });

    test('--no-browser with --redirect-port 0 is a usage error', async () => {
      const done = await runAuth([...base(), '--redirect-port', '0']);
      expect(done.code).toBe(2);
      expect(errorLines(done.stderr)).toEqual([expect.stringMatching(/--no-browser needs the port/)]);
      expect(done.url).toBeUndefined();
    });
  });

  describe('--output FILE', () => {
    const args = (file: string, secret = SECRET): string[] => [
      '--client-id',
      sim.clientId,
      '--client-secret',
      secret,
      '--redirect-port',
      '0',
      '--account-id',
      String(SECOND),
      '--output',
      file,
      ...endpoints(),
    ];
    const mode = (file: string): number => fs.statSync(file).mode & 0o777;

    test('writes the config to FILE with mode 0600, nothing on stdout, and leaves no temporary file', async () => {
      const dir = fs.mkdtempSync(path.join(tmp, 'out-'));
      const file = path.join(dir, 'config.json');
      const done = await runAuth(args(file), async (url) => {
        await playBrowser(url);
      });
      expect(done.code).toBe(0);
      expect(done.stdout).toBe('');
      expect(mode(file)).toBe(0o600);
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({
        account_id: SECOND,
        refresh_token: REFRESH,
        user_agent: 'tap-basecamp (you@example.com)',
      });
      expect(fs.readdirSync(dir)).toEqual(['config.json']);
      expect(done.stderr).toContain(`written to ${file} (mode 0600)`);
      expect(done.stderr).toMatch(/edit its user_agent/);
      for (const secret of [SECRET, REFRESH]) expect(done.stderr).not.toContain(secret);
      const test = await tapRun(['--config', file, '--test']);
      expect(test.code).toBe(0);
    });

    test('an existing FILE (mode 0644) is replaced, ends at 0600, with a warning up front', async () => {
      const dir = fs.mkdtempSync(path.join(tmp, 'out-'));
      const file = path.join(dir, 'config.json');
      fs.writeFileSync(file, '{"old": true}\n', { mode: 0o644 });
      fs.chmodSync(file, 0o644);
      const done = await runAuth(args(file), async (url) => {
        await playBrowser(url);
      });
      expect(done.code).toBe(0);
      expect(done.stderr).toMatch(/WARN --output .* exists: it will be replaced/);
      expect(mode(file)).toBe(0o600);
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).not.toHaveProperty('old');
      expect(fs.readdirSync(dir)).toEqual(['config.json']);
    });

    test('a FILE in a directory that does not exist: a usage error before the browser is asked', async () => {
      const done = await runAuth(args(path.join(tmp, 'missing-dir', 'config.json')));
      expect(done.code).toBe(2);
      expect(errorLines(done.stderr)).toEqual([expect.stringMatching(/no such directory/)]);
      expect(done.url).toBeUndefined();
    });

    test('a failed exchange writes no FILE', async () => {
      const file = path.join(tmp, 'never.json');
      const done = await runAuth(args(file, 'wrong-secret-Pp4'), async (url) => {
        await playBrowser(url, 502);
      });
      expect(done.code).toBe(1);
      expect(fs.existsSync(file)).toBe(false);
    });
  });

  test('a missing --client-secret is a usage error', async () => {
    const done = await runAuth(['--client-id', sim.clientId, '--redirect-port', '0', ...endpoints()]);
    expect(done.code).toBe(2);
    expect(errorLines(done.stderr)).toHaveLength(1);
    expect(done.url).toBeUndefined();
  });
});
