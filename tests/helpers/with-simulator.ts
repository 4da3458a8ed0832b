/**
 * A fresh simulator per test: `body` gets it and `config(extra)`, which writes a tap config for it
 * (no practical rate limit, `extra` on top) into `dir`; the simulator is stopped whatever happens.
 */
import { SimulatorOptions, Simulator, startSimulator } from '../../simulator';
import { writeJson } from './tap';

export type SimulatorBody = (sim: Simulator, config: (extra?: object) => string) => Promise<void>;

/** A runner of 1,500-record accounts of `seed`, its config files written into `dir`. */
export function simulatorRunner(dir: string, seed: number): (opts: SimulatorOptions, body: SimulatorBody) => Promise<void> {
  return async (opts, body) => {
    const sim = await startSimulator({ records: 1500, seed, ...opts });
    let n = 0;
    const config = (extra: object = {}) => writeJson(dir, `config-${seed}-${++n}.json`, sim.config({ max_requests_per_10s: 100000, ...extra }));
    try {
      await body(sim, config);
    } finally {
      await sim.stop();
    }
  };
}
