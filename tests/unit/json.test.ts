/** API bodies: integers above 2^53 - 1 are refused with their place and digits, never rounded. */
import { UnsafeInteger, firstUnsafeInteger, mayHoldUnsafeInteger, parseApiJson } from '../../src/json';

describe('parseApiJson', () => {
  test.each<[string, string]>([
    ['an ordinary page', '[{"id":1069479400,"bucket":{"id":2085958496},"title":"x"}]'],
    ['the largest safe integer', '{"id":9007199254740991}'],
    ['its negative', '{"id":-9007199254740991}'],
    ['a long digit run inside a string', '{"sgid":"BAh7CEkiCGdpZAY6BkVUSSIr12345678901234567890","id":1}'],
    ['a long digit run inside a key', '{"12345678901234567890":1}'],
    ['a double with many digits', '{"hours":1.2345678901234567}'],
    ['a big double written with an exponent', '{"x":1e300,"y":"12345678901234567"}'],
    ['a big double with a fraction', '{"x":12345678901234567.5}'],
    // A fraction or exponent makes a double, in every JSON reader (Python's too): as loaders read it.
    ['a big number written with a fraction', '{"x":9007199254740993.0}'],
    ['an empty list', '[]'],
  ])('%s: parsed as JSON.parse would', (_what, text) => {
    expect(parseApiJson(text)).toEqual(JSON.parse(text));
  });

  test.each<[string, string, string, string]>([
    ["a list item's id", '[{"id":1},{"id":9007199254740993,"url":"https://x/9007199254740993.json"}]', '[1].id', '9007199254740993'],
    ['a nested id', '{"id":1,"bucket":{"id":9007199254740993}}', 'bucket.id', '9007199254740993'],
    ['inside an array of a record', '[{"assignee_ids":[1,2,18446744073709551616]}]', '[0].assignee_ids[2]', '18446744073709551616'],
    ['exactly 2^53 (exact here, but past the safe range)', '{"id":9007199254740992}', 'id', '9007199254740992'],
    ['a negative one', '{"delta":-9007199254740993}', 'delta', '-9007199254740993'],
    ['the body itself', '9007199254740993', 'the body', '9007199254740993'],
    ['the first of two', '[{"a":9007199254740995},{"b":9007199254740997}]', '[0].a', '9007199254740995'],
  ])('%s: refused, naming %p', (_what, text, field, value) => {
    let thrown: unknown;
    try {
      parseApiJson(text);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(UnsafeInteger);
    expect(thrown).toMatchObject({ field, value });
  });

  test('a body that is not JSON still fails as JSON.parse does (and is retried as before)', () => {
    expect(() => parseApiJson('[{"id":9007199254740993')).toThrow(SyntaxError);
    expect(() => parseApiJson('<html>')).toThrow(SyntaxError);
  });

  test('firstUnsafeInteger finds nothing in a body whose long digits are all safe or in strings', () => {
    expect(firstUnsafeInteger('{"a":"9007199254740993","b":1.5e300}')).toBeUndefined();
  });
});

describe('mayHoldUnsafeInteger (the check every body pays)', () => {
  test.each<[string, boolean]>([
    ['{"id":1069479400,"created_at":"2024-01-01T00:00:00.000Z"}', false],
    ['{"id":123456789012345}', false], // 15 digits: always safe
    ['{"id":1234567890123456}', true],
    ['{"id": 1234567890123456}', true],
    ['{"id":-1234567890123456}', true],
    ['[1234567890123456]', true],
    ['[1,\n  1234567890123456]', true],
    ['1234567890123456', true],
    ['  -1234567890123456', true],
    ['{"sha":"61adc12477f400be55791300213409067b771974"}', false], // digits in a string, not after : [ or ,
    ['{"title":"call at:1234567890123456"}', true], // a string that looks like one: the second look decides
  ])('%p: %p', (text, expected) => {
    expect(mayHoldUnsafeInteger(text)).toBe(expected);
  });

  test('every number token of 16+ digits is caught, wherever JSON allows a value', () => {
    const value = { a: [1, { b: 2 ** 53 }], c: -(2 ** 53) };
    for (const text of [JSON.stringify(value), JSON.stringify(value, null, 2), JSON.stringify(value, null, '\t'), JSON.stringify([2 ** 53]), String(2 ** 53)]) {
      expect(mayHoldUnsafeInteger(text)).toBe(true);
      expect(mayHoldUnsafeInteger(text.replace(/9007199254740992/g, '900719925474099'))).toBe(false);
    }
  });
});
