/** The command line checks yargs does not make: each problem is the one line printed before exit code 2. */
import { Args, argsProblem, discoveryIgnores, repeatedFlag } from '../../src/cli/checks';

describe('repeatedFlag', () => {
  it.each<[string[], string | undefined]>([
    [['--config', 'c.json', '--catalog', 'a.json'], undefined],
    [['--catalog', 'a.json', '--catalog', 'b.json'], '--catalog given 2 times; give it once (see tap-basecamp --help)'],
    [['--state=a.json', '--state', 'b.json', '--state=c'], '--state given 3 times; give it once (see tap-basecamp --help)'],
    [['--log-level', 'debug', '--log-level=info'], '--log-level given 2 times; give it once (see tap-basecamp --help)'],
    // --config is repeatable (later files override earlier ones).
    [['--config', 'a.json', '--config', 'b.json'], undefined],
  ])('%j -> %s', (argv, problem) => {
    expect(repeatedFlag(argv)).toBe(problem);
  });
});

describe('argsProblem', () => {
  it.each<[Args, string | undefined]>([
    [{ config: ['c.json'], catalog: 'cat.json', state: 's.json', 'log-level': 'debug' }, undefined],
    [{ catalog: '' }, '--catalog needs a file path, not an empty string (see tap-basecamp --help)'],
    [{ properties: ' ' }, '--properties needs a file path, not an empty string (see tap-basecamp --help)'],
    [{ state: '' }, '--state needs a file path, not an empty string (see tap-basecamp --help)'],
    [{ config: ['a.json', ''] }, '--config needs a file path, not an empty string (see tap-basecamp --help)'],
    [{ 'log-level': 'loud' }, '--log-level must be one of debug, info, warn, error (got "loud")'],
    // The first problem in the order the checks are made.
    [{ state: '', 'log-level': 'loud' }, '--state needs a file path, not an empty string (see tap-basecamp --help)'],
  ])('%j -> %s', (args, problem) => {
    expect(argsProblem(args)).toBe(problem);
  });
});

describe('discoveryIgnores', () => {
  it.each<[Args, string | undefined]>([
    [{ catalog: 'c.json' }, undefined],
    [{ discover: true }, undefined],
    [{ discover: true, catalog: 'c.json' }, '--discover prints the catalog of every stream: ignoring --catalog c.json'],
    [
      { discover: true, catalog: 'c.json', properties: 'p.json' },
      '--discover prints the catalog of every stream: ignoring --catalog c.json and --properties p.json',
    ],
  ])('%j -> %s', (args, warning) => {
    expect(discoveryIgnores(args)).toBe(warning);
  });
});
