/**
 * Every record a full sync of the default account must emit validates against its
 * stream's JSON Schema (schemas/<stream>.json) under the strict ajv setup.
 */
import { validatorFor } from '../helpers/strict-ajv';
import { STREAM_NAMES } from '../../src/streams/names';
import { discover } from '../../src/catalog';
import { Simulator, startSimulator } from '../../simulator';

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => {
  await sim.stop();
});

describe('expectedRecords validate against schemas/<stream>.json', () => {
  const streams = STREAM_NAMES;

  it('covers every stream the tap discovers', () => {
    expect([...sim.streamNames()].sort()).toEqual(
      discover()
        .streams.map((s) => s.tap_stream_id)
        .sort(),
    );
  });

  it.each(streams)('%s', (stream) => {
    // A generated account has no event feed history: a few changes record some.
    if (stream === 'events') for (const t of (sim.expectedRecords('todos') as Array<{ id: number }>).slice(0, 3)) sim.update('todos', t.id);
    const validate = validatorFor(stream);
    const records = sim.expectedRecords(stream) as Array<Record<string, unknown>>;
    expect(records.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const rec of records) {
      const id = String(rec.id);
      if (!validate(rec)) failures.push(`${stream} id=${id}: ${JSON.stringify(validate.errors?.slice(0, 5))}`);
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });
});
