import { describe, expect, it } from '@jest/globals';
import { arrayLiteral } from './heartbeat.repository.js';

describe('arrayLiteral', () => {
  it.each([
    { values: [], quoted: false, literal: '{}' },
    { values: ['3f2b8a4e-0c1d-4e5f-9a7b-1c2d3e4f5a6b', null], quoted: false, literal: '{3f2b8a4e-0c1d-4e5f-9a7b-1c2d3e4f5a6b,NULL}' },
    { values: [0, -1.5, 0.1 + 0.2, 1764700000123], quoted: false, literal: '{0,-1.5,0.30000000000000004,1764700000123}' },
    { values: [true, false], quoted: false, literal: '{true,false}' },
    { values: ['[[0,12.5]]', '[]'], quoted: true, literal: '{"[[0,12.5]]","[]"}' },
    { values: ['{"a":"b\\\\c"}', null], quoted: true, literal: '{"{\\"a\\":\\"b\\\\\\\\c\\"}",NULL}' },
  ])('writes $values as $literal', ({ values, quoted, literal }) => {
    expect(arrayLiteral(values, quoted)).toBe(literal);
  });
});
