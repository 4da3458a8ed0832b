/**
 * What users install: `npm pack` (which builds through prepack), then a global install of the
 * tarball into a private prefix, then the installed command; and the file list `npm pack` ships. Needs the npm registry for the
 * dependencies, hence the generous timeout.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.join(__dirname, '..', '..');
const run = promisify(execFile);
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const MINUTE = 60_000;

/**
 * The environment for npm: what `npm test` exported about this project (npm_package_*,
 * npm_lifecycle_*, the prefixes) is dropped so it cannot steer the install; registry, cache and
 * proxy settings stay.
 */
function npmEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const dropped = /^(npm_package_|npm_lifecycle_|npm_config_(local_prefix|global_prefix|prefix|global)$|TAP_BASECAMP_)/i;
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !dropped.test(k)));
  return { ...env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...extra };
}

/** Whether the npm registry answers (the install test needs it for the dependencies). */
function registryReachable(): boolean {
  try {
    execFileSync(NPM, ['ping'], { env: npmEnv(), timeout: 20_000, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const online = registryReachable();
if (!online) process.stderr.write('pack.test.ts: the npm registry does not answer `npm ping`; skipping the install-from-tarball test\n');

describe('npm package', () => {
  let tmp: string;

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tap-basecamp-pack-'));
  });
  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  (online ? test : test.skip)(
    'installs globally from the tarball and runs (needs the npm registry)',
    async () => {
      // Packed from a copy of the working tree: prepack's build then rewrites the copy's dist/,
      // not the one the other end-to-end tests are running at the same time.
      const tree = path.join(tmp, 'tree');
      fs.cpSync(ROOT, tree, { recursive: true, filter: (src) => !/^(node_modules|\.git|dist|coverage|\.bench|demo-output)$/.test(path.relative(ROOT, src)) });
      fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(tree, 'node_modules'), 'dir');
      const packed = await run(NPM, ['pack', '--pack-destination', tmp, '--json'], { cwd: tree, env: npmEnv(), maxBuffer: 64 * 1024 * 1024 });
      expect(fs.existsSync(path.join(tree, 'dist', 'cli.js'))).toBe(true); // built by prepack
      const [{ filename }] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{ filename: string }>;
      const tarball = path.join(tmp, path.basename(filename));
      expect(fs.existsSync(tarball)).toBe(true);

      const prefix = path.join(tmp, 'prefix');
      await run(NPM, ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', tarball], {
        cwd: tmp,
        env: npmEnv(),
        timeout: 3 * MINUTE,
        maxBuffer: 64 * 1024 * 1024,
      });

      const bin = path.join(prefix, 'bin', 'tap-basecamp');
      const about = await run(bin, ['--about'], { cwd: tmp, env: npmEnv() });
      const parsed = JSON.parse(about.stdout) as { name: string; version: string; capabilities: string[] };
      expect(parsed.name).toBe('tap-basecamp');
      expect(parsed.version).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
      expect(parsed.capabilities).toContain('discover');

      // Discovery reads the shipped schemas.
      const discovered = await run(bin, ['--discover'], {
        cwd: tmp,
        env: npmEnv({
          TAP_BASECAMP_ACCOUNT_ID: '1',
          TAP_BASECAMP_CLIENT_ID: 'x',
          TAP_BASECAMP_CLIENT_SECRET: 'xxxx',
          TAP_BASECAMP_REFRESH_TOKEN: 'xxxx',
          TAP_BASECAMP_BASECAMP_PRODUCT: 'bc3',
        }),
        maxBuffer: 64 * 1024 * 1024,
      });
      expect((JSON.parse(discovered.stdout) as { streams: unknown[] }).streams.length).toBe(47);
      // With basecamp_product set, discovery needs no network, for either product.
      const bcx = await run(bin, ['--discover'], {
        cwd: tmp,
        env: npmEnv({
          TAP_BASECAMP_ACCOUNT_ID: '1',
          TAP_BASECAMP_CLIENT_ID: 'x',
          TAP_BASECAMP_CLIENT_SECRET: 'xxxx',
          TAP_BASECAMP_REFRESH_TOKEN: 'xxxx',
          TAP_BASECAMP_BASECAMP_PRODUCT: 'bcx',
        }),
        maxBuffer: 64 * 1024 * 1024,
      });
      expect((JSON.parse(bcx.stdout) as { streams: unknown[] }).streams.length).toBe(16);

      // The cron wrapper ships too and finds the tap next to it.
      const installed = path.join(prefix, 'lib', 'node_modules', 'tap-basecamp');
      const help = await run(path.join(installed, 'bin', 'tap-basecamp-cron'), ['--help'], { cwd: tmp, env: npmEnv() });
      expect(help.stdout).toMatch(/usage: tap-basecamp-cron/);
      expect(fs.existsSync(path.join(installed, 'tests'))).toBe(false);
      expect(fs.existsSync(path.join(installed, 'src'))).toBe(false);
    },
    4 * MINUTE,
  );

  // The working tree's own file list (--ignore-scripts: no build racing the other tests; dist/
  // exists, as `npm test` builds first).
  test('ships the built tap, schemas, catalogs and bin scripts, and no tests or sources', async () => {
    const { stdout } = await run(NPM, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, env: npmEnv(), maxBuffer: 64 * 1024 * 1024 });
    const [pack] = JSON.parse(stdout) as Array<{ files: Array<{ path: string; mode: number }> }>;
    const files = pack.files.map((f) => f.path);
    for (const dir of ['dist/', 'schemas/', 'catalogs/', 'bin/']) {
      expect({ dir, shipped: files.some((f) => f.startsWith(dir)) }).toEqual({ dir, shipped: true });
    }
    expect(files).toContain('dist/cli.js');
    expect(files).toContain('bin/tap-basecamp');
    expect(files).toContain('bin/tap-basecamp-cron');
    expect(files).toContain('package.json');
    expect(files.filter((f) => /^(tests|src|simulator|scripts)\//.test(f) || f.endsWith('.ts'))).toEqual([]);
    expect(files.filter((f) => /(^|\/)(meltano\.yml|\.ci|node_modules)(\/|$)/.test(f))).toEqual([]);
    // Both scripts keep their executable bit.
    for (const script of ['bin/tap-basecamp', 'bin/tap-basecamp-cron']) {
      const mode = pack.files.find((f) => f.path === script)!.mode;
      expect({ script, executable: (mode & 0o111) === 0o111 }).toEqual({ script, executable: true });
    }
  });
});
