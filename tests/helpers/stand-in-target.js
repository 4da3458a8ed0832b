#!/usr/bin/env node
/*
 * A tiny Singer target for tests, in the spirit of target-jsonl:
 *   - reads Singer messages, one JSON object a line, on stdin;
 *   - fails when a RECORD arrives for a stream whose SCHEMA has not been seen;
 *   - appends every RECORD line (as received) to the file named by its first argument or by
 *     $STAND_IN_TARGET_OUT (no file: records are only counted);
 *   - prints the `value` of every STATE message as one JSON line on stdout, so the last line is
 *     the final state (the cron wrapper and Meltano read it from there);
 *   - exits 1 without printing any state when $STAND_IN_TARGET_FAIL is set (non-empty), after
 *     reading its input, as a target that could not load its batch would.
 * Usage: node stand-in-target.js [RECORDS_FILE]
 */
'use strict';
const fs = require('node:fs');
const readline = require('node:readline');

const outFile = process.argv[2] || process.env.STAND_IN_TARGET_OUT || '';
const fail = Boolean(process.env.STAND_IN_TARGET_FAIL);
const schemas = new Set();
const records = [];
const states = [];
let lineNo = 0;

function die(message) {
  process.stderr.write(`stand-in-target: ${message}\n`);
  process.exit(1);
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  lineNo++;
  if (line.trim() === '') return;
  let message;
  try {
    message = JSON.parse(line);
  } catch (err) {
    die(`line ${lineNo} is not JSON: ${err.message}`);
  }
  switch (message.type) {
    case 'SCHEMA':
      if (typeof message.stream !== 'string' || typeof message.schema !== 'object') die(`line ${lineNo}: malformed SCHEMA`);
      schemas.add(message.stream);
      break;
    case 'RECORD':
      if (!schemas.has(message.stream)) die(`line ${lineNo}: RECORD for stream ${message.stream} before its SCHEMA`);
      records.push(line);
      break;
    case 'STATE':
      if (message.value === undefined) die(`line ${lineNo}: STATE without a value`);
      states.push(JSON.stringify(message.value));
      break;
    case 'ACTIVATE_VERSION':
      break;
    default:
      die(`line ${lineNo}: unknown message type ${JSON.stringify(message.type)}`);
  }
});
rl.on('close', () => {
  if (fail) die(`failing as asked by STAND_IN_TARGET_FAIL (read ${records.length} records)`);
  if (outFile && records.length > 0) fs.appendFileSync(outFile, records.join('\n') + '\n');
  if (states.length > 0) process.stdout.write(states.join('\n') + '\n');
  process.stderr.write(`stand-in-target: ${records.length} records, ${schemas.size} schemas, ${states.length} states\n`);
});
