/**
 * Jest globalSetup: the end-to-end tests run the built CLI (dist/), so a `npx jest ...` after an
 * edit in src/ must not run yesterday's build. Rebuilds when any file under src/ is newer than
 * the build (or there is none); `npm test` builds first anyway, and then this costs one stat walk.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');

function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return latest;
}

module.exports = async function freshBuild() {
  const built = path.join(ROOT, 'dist', 'cli.js');
  const builtAt = fs.existsSync(built) ? fs.statSync(built).mtimeMs : 0;
  const changedAt = Math.max(newest(path.join(ROOT, 'src')), fs.statSync(path.join(ROOT, 'tsconfig.json')).mtimeMs);
  if (changedAt <= builtAt) return;
  process.stderr.write(`\ndist/ is older than src/: building (npm run build)\n`);
  // A file moved or removed in src/ must not survive as a stale dist/ file that shadows its new place.
  fs.rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.json')], { cwd: ROOT, stdio: 'inherit' });
};
