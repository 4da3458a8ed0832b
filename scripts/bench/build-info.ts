/** What was measured: the build the tap loads, and the rate its config schema accepts. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './run-tap';

/** The most requests per 10 s the tap's config schema accepts (the built one, dist/config.js). */
export function schemaMaxRate(): number | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(ROOT, 'dist', 'config.js')) as { CONFIG_SCHEMA?: { properties?: { max_requests_per_10s?: { maximum?: number } } } };
    const max = mod.CONFIG_SCHEMA?.properties?.max_requests_per_10s?.maximum;
    return typeof max === 'number' ? max : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What was measured: HEAD, the src/ files that differ from it, and a hash of dist/ (the build the
 * tap loads at start). Other work may change the tree between runs; this tells runs apart.
 */
export function buildInfo(): { commit?: string; srcChanged: string[]; distHash: string } {
  let commit: string | undefined;
  let srcChanged: string[] = [];
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    srcChanged = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => l.slice(3));
  } catch {
    /* not a git checkout */
  }
  const hash = createHash('sha1');
  const walk = (dir: string): void => {
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (fs.statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.js')) hash.update(name).update(fs.readFileSync(full));
    }
  };
  try {
    walk(path.join(ROOT, 'dist'));
  } catch {
    /* no build */
  }
  return { commit, srcChanged, distHash: hash.digest('hex').slice(0, 12) };
}
