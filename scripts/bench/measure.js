/**
 * Preload for the benchmark (`node -r scripts/bench/measure.js bin/tap-basecamp ...`).
 *
 * When the process exits (including through process.exit(), which still emits 'exit'), writes
 * one JSON line to the file named by $TAP_BENCH_MEASURE:
 *   {"cpuUserMs", "cpuSystemMs", "maxRssKb", "peakHeapUsedKb", "exitCode", "memoryTimeline"}
 * cpu* come from process.cpuUsage(), maxRssKb from process.resourceUsage().maxRSS (kilobytes),
 * peakHeapUsedKb from sampling process.memoryUsage().heapUsed four times a second, and
 * memoryTimeline is [[seconds, heapUsedMB, rssMB], ...], about one point a second (at most 600,
 * thinned evenly on long runs).
 *
 * A process killed by a signal (SIGKILL, or a re-raised SIGTERM with no handler) emits no
 * 'exit' event, so then no file is written and the benchmark reports the measure as missing.
 * Plain CommonJS on purpose: it runs before anything else, untranspiled.
 */
'use strict';

const fs = require('fs');

const file = process.env.TAP_BENCH_MEASURE;
if (file) {
  const started = Date.now();
  let peakHeapUsed = 0;
  let ticks = 0;
  // Every second, [seconds, heapUsed MB, rss MB]: tells steady memory from memory that grows.
  // Halved (every other point dropped) when full, so a long run keeps an even, bounded outline.
  let timeline = [];
  let every = 1;
  const MAX_POINTS = 600;
  const sample = (force) => {
    try {
      const m = process.memoryUsage();
      if (m.heapUsed > peakHeapUsed) peakHeapUsed = m.heapUsed;
      ticks++;
      if (force || ticks % (4 * every) === 0) {
        timeline.push([Math.round((Date.now() - started) / 100) / 10, Math.round(m.heapUsed / 2 ** 20), Math.round(m.rss / 2 ** 20)]);
        if (timeline.length >= MAX_POINTS) {
          timeline = timeline.filter((_, i) => i % 2 === 0);
          every *= 2;
        }
      }
    } catch (_) {
      /* never let the measurement break the process */
    }
  };
  // unref: the sampler must never keep the tap alive.
  setInterval(sample, 250).unref();

  process.on('exit', (code) => {
    sample(true);
    try {
      const cpu = process.cpuUsage();
      const usage = process.resourceUsage();
      const line = JSON.stringify({
        cpuUserMs: Math.round(cpu.user / 1000),
        cpuSystemMs: Math.round(cpu.system / 1000),
        maxRssKb: usage.maxRSS,
        peakHeapUsedKb: Math.round(peakHeapUsed / 1024),
        exitCode: code,
        memoryTimeline: timeline,
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
