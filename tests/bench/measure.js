/**
 * Preload for the benchmark (`node -r tests/bench/measure.js bin/tap-basecamp ...`).
 *
 * When the process exits (including through process.exit(), which still emits 'exit'), writes
 * one JSON line to the file named by $TAP_BENCH_MEASURE:
 *   {"cpuUserMs", "cpuSystemMs", "maxRssKb", "peakHeapUsedKb", "exitCode"}
 * cpu* come from process.cpuUsage(), maxRssKb from process.resourceUsage().maxRSS (kilobytes),
 * peakHeapUsedKb from sampling process.memoryUsage().heapUsed a few times a second.
 *
 * A process killed by a signal (SIGKILL, or a re-raised SIGTERM with no handler) emits no
 * 'exit' event, so then no file is written and the benchmark reports the measure as missing.
 * Plain CommonJS on purpose: it runs before anything else, untranspiled.
 */
'use strict';

const fs = require('fs');

const file = process.env.TAP_BENCH_MEASURE;
if (file) {
  let peakHeapUsed = 0;
  const sample = () => {
    try {
      const used = process.memoryUsage().heapUsed;
      if (used > peakHeapUsed) peakHeapUsed = used;
    } catch (_) {
      /* never let the measurement break the process */
    }
  };
  // unref: the sampler must never keep the tap alive.
  setInterval(sample, 250).unref();

  process.on('exit', (code) => {
    sample();
    try {
      const cpu = process.cpuUsage();
      const usage = process.resourceUsage();
      const line = JSON.stringify({
        cpuUserMs: Math.round(cpu.user / 1000),
        cpuSystemMs: Math.round(cpu.system / 1000),
        maxRssKb: usage.maxRSS,
        peakHeapUsedKb: Math.round(peakHeapUsed / 1024),
        exitCode: code,
      });
      fs.writeFileSync(file, line + '\n');
    } catch (err) {
      try {
        process.stderr.write(`measure.js: cannot write ${file}: ${err && err.message}\n`);
      } catch (_) {
        /* nothing left to do */
      }
    }
  });
}
