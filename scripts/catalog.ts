/**
 * `npm run catalog`: writes catalogs/catalog.json, exactly what `tap-basecamp --discover` prints,
 * from the stream declarations (src/streams) and the schemas (schemas/). Run it after changing
 * either; tests/e2e/sync.test.ts fails while the committed file lags behind.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discover } from '../src/catalog';

const file = path.join(__dirname, '..', 'catalogs', 'catalog.json');
const text = JSON.stringify(discover(), null, 2) + '\n';
const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
fs.writeFileSync(file, text);
process.stderr.write(`${path.relative(process.cwd(), file)}: ${before === text ? 'unchanged' : 'written'} (${discover().streams.length} streams)\n`);
