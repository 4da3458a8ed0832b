/**
 * `npm run catalog`: writes one catalog per product under catalogs/ (catalog.json for Basecamp 3,
 * 4 and 5, catalog-bcx.json for Basecamp 2), exactly what `tap-basecamp --discover` prints for an
 * account of that product, from the stream declarations (src/streams) and the schemas (schemas/).
 * Run it after changing either; tests/unit/catalog.test.ts fails while a committed file lags behind.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discover } from '../src/catalog';
import { PRODUCTS, PRODUCT_IDS } from '../src/products';

for (const id of PRODUCT_IDS) {
  const product = PRODUCTS[id];
  const file = path.join(__dirname, '..', 'catalogs', product.catalogFile);
  const catalog = discover(product);
  const text = JSON.stringify(catalog, null, 2) + '\n';
  const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  fs.writeFileSync(file, text);
  process.stderr.write(
    `${path.relative(process.cwd(), file)}: ${before === text ? 'unchanged' : 'written'} (${product.title}, ${catalog.streams.length} streams)\n`,
  );
}
