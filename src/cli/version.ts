import * as path from 'node:path';
import * as fs from 'node:fs';

/** The tap's version, as package.json says (dist/cli/ sits two levels below it, as src/cli/ does). */
export function version(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
