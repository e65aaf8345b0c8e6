import { describe, expect, it } from '@jest/globals';
import { documentTerms, queryTerms, searchTerms } from './search-terms.js';

describe('searchTerms', () => {
  it.each([
    ['政治理论', ['政治', '治理', '理论']],
    ['学习 Party History 2024', ['学习', 'party', 'history', '2024']],
    ['党', ['党']],
    ['现代农业科技：种植', ['现代', '代农', '农业', '业科', '科技', '种植']],
    ['Ｆｕｌｌ－width', ['full', 'width']],
    ['', []],
    ['!!! ---', []],
  ])('%j → %j', (text, expected) => expect(searchTerms(text)).toEqual(expected));
});

describe('documentTerms', () => {
  it('joins the distinct terms of several fields', () => {
    expect(documentTerms('党章 学习', '学习 Constitution')).toBe('党章 学习 constitution');
  });
});

describe('queryTerms', () => {
  it.each([
    ['理论', "'理论'"],
    ['政治理论', "'政治' & '治理' & '理论'"],
    ['market econ', "'market' & 'econ':*"],
    ['党', "'党':*"],
    ["o'brien", "'o' & 'brien':*"],
    ['   ', null],
  ])('%j → %j', (query, expected) => expect(queryTerms(query)).toBe(expected));
});
