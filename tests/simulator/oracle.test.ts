/**
 * The simulator is the tests' oracle: it states what Basecamp holds from its own model and
 * never reads the tap's code, so a fact the tap gets wrong (a stream left out of its commentable
 * list, say) shows up as a difference here instead of being shared by both. The comparisons
 * with src/ are made in this test, not in the simulator.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMENTED, STREAMS } from '../../simulator/expected';
import { BCX_STREAMS } from '../../simulator/bcx/mutations';
import { COMMENTABLE } from '../../src/streams';
import { BCX_STREAM_NAMES, STREAM_NAMES } from '../../src/streams/names';

const SIMULATOR = path.join(__dirname, '..', '..', 'simulator');

function sourcesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourcesUnder(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

describe('the simulator states its facts itself', () => {
  it('no simulator file imports from src/', () => {
    const importsSrc = sourcesUnder(SIMULATOR).filter((file) => /from\s+['"](\.\.\/)+src\b|require\(\s*['"](\.\.\/)+src\b/.test(fs.readFileSync(file, 'utf8')));
    expect(importsSrc.map((f) => path.relative(SIMULATOR, f))).toEqual([]);
  });

  it("its Basecamp 3 streams are the tap's, in catalog order", () => {
    expect([...STREAMS]).toEqual([...STREAM_NAMES]);
  });

  it("its Basecamp 2 streams are the tap's, in catalog order", () => {
    expect([...BCX_STREAMS]).toEqual([...BCX_STREAM_NAMES]);
  });

  it('the streams whose records carry comments are the ones the tap reads comments of', () => {
    expect([...COMMENTED].sort()).toEqual([...COMMENTABLE].sort());
  });
});
