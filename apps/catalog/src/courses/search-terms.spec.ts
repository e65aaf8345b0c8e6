import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
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
    // CJK right after (or before) digits and Latin letters is a run of its own, bigrammed like any other.
    ['第3个要点', ['第', '3', '个要', '要点']],
    ['2024年度学习计划', ['2024', '年度', '度学', '学习', '习计', '计划']],
    ['AI时代', ['ai', '时代']],
    ['时代AI', ['时代', 'ai']],
    ['5G网络建设', ['5g', '网络', '络建', '建设']],
    ['第２０课', ['第', '20', '课']],
    ['v2.0版本说明', ['v2', '0', '版本', '本说', '说明']],
    ['（一）要点：', ['一', '要点']],
    ['“要点”3条', ['要点', '3', '条']],
    ['abc学习def习近x', ['abc', '学习', 'def', '习近', 'x']],
    ['café学习', ['café', '学习']],
    ['カタカナ3한국어', ['カタ', 'タカ', 'カナ', '3', '한국', '국어']],
  ])('%j → %j', (text, expected) => expect(searchTerms(text)).toEqual(expected));
});

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** Text mixing Chinese, Japanese, Korean, Latin letters, digits (ASCII and full-width), spaces and punctuation. */
const mixedText = fc
  .array(fc.constantFrom(...'第个要点学习计划年度时代政治理论カナ한국aAzZé059０９ ，。：-_\'"（）“”!?\n'), { maxLength: 40 })
  .map((chars) => chars.join(''));
const cjkWord = fc
  .array(fc.constantFrom(...'第个要点学习计划年度时代政治理论カナ한국'), { minLength: 2, maxLength: 8 })
  .map((c) => c.join(''));

describe('searchTerms properties', () => {
  it('keeps every pair of neighbouring CJK characters as a term, whatever stands around them', () => {
    fc.assert(
      fc.property(fc.oneof(mixedText, fc.string({ unit: 'grapheme', maxLength: 40 })), (text) => {
        const chars = [...text.normalize('NFKC')];
        const terms = new Set(searchTerms(text));
        for (let i = 0; i + 1 < chars.length; i++) {
          if (CJK.test(chars[i]) && CJK.test(chars[i + 1])) expect(terms.has(chars[i] + chars[i + 1])).toBe(true);
        }
      }),
    );
  });

  it('never makes a term that mixes CJK with other letters or digits', () => {
    fc.assert(
      fc.property(mixedText, (text) => {
        for (const term of searchTerms(text)) {
          const cjk = [...term].filter((c) => CJK.test(c)).length;
          expect(cjk === 0 || (cjk === [...term].length && cjk <= 2)).toBe(true);
        }
      }),
    );
  });

  it('finds a CJK word in any text that contains it: its query terms are all among the text’s terms', () => {
    fc.assert(
      fc.property(mixedText, cjkWord, mixedText, (before, word, after) => {
        const terms = new Set(searchTerms(`${before}${word}${after}`));
        expect(searchTerms(word).every((term) => terms.has(term))).toBe(true);
      }),
    );
  });
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
    ['要点', "'要点'"],
    ['第3个要点', "'第':* & '3' & '个要' & '要点'"],
    ['AI时代', "'ai' & '时代'"],
    ['学习 AI', "'学习' & 'ai':*"],
  ])('%j → %j', (query, expected) => expect(queryTerms(query)).toBe(expected));
});
