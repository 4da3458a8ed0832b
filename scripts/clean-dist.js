// Empties dist/ before a build: tsc never deletes outputs, so a source file moved or removed
// (src/products.ts -> src/products/index.ts) would leave a stale dist/products.js that shadows its new place.
const fs = require('node:fs');
const path = require('node:path');

fs.rmSync(path.join(__dirname, '..', 'dist'), { recursive: true, force: true });
