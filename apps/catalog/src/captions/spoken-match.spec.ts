import { describe, expect, it } from '@jest/globals';
import { parseCaptions, toWebVtt } from '#media';
import { firstCueSaying, snippetOf, storedCues } from './spoken-match.js';

const cues = (...texts: string[]) => texts.map((text, i) => ({ text, startSec: i * 5 }));

describe('firstCueSaying', () => {
  it.each<[string, Array<{ text: string; startSec: number }>, string, number | null]>([
    ['a Chinese word inside one caption', cues('大家好', '今天讲乡村振兴战略', '谢谢'), '乡村振兴', 1],
    ['a Chinese word split across two captions', cues('大家好', '今天讲乡村', '振兴战略'), '乡村振兴', 1],
    ['a lone Chinese character as a prefix', cues('你好', '振兴'), '振', 1],
    ['an English word, case-insensitive', cues('Hello', 'Rural Revitalisation today'), 'rural', 1],
    ['the last English word as a prefix', cues('Hello', 'Rural Revitalisation today'), 'rural revital', 1],
    ['all terms required', cues('乡村', '振兴'), '乡村 旅游', null],
    ['nothing searchable', cues('乡村'), '  ', null],
    ['no captions', cues(), '乡村', null],
  ])('%s', (_name, list, query, expected) => {
    expect(firstCueSaying(list, query)).toBe(expected);
  });

  it('prefers a caption that says it alone over an earlier split', () => {
    expect(firstCueSaying(cues('乡村', '振兴 ', '讲乡村振兴'), '乡村振兴')).toBe(2);
  });
});

describe('snippetOf', () => {
  it('keeps short text and cuts long text with an ellipsis', () => {
    expect(snippetOf('a\n b')).toBe('a b');
    expect(snippetOf('乡'.repeat(100), 10)).toBe(`${'乡'.repeat(9)}…`);
  });
});

describe('storedCues', () => {
  it('reads back what toWebVtt stores, as the full parser does', () => {
    const vtt = toWebVtt([
      { startSec: 3725.5, endSec: 3727, text: '乡村 & 振兴' },
      { startSec: 1, endSec: 2, text: 'x', lines: [[{ text: 'rural', italic: true }, { text: ' <b> ' }]] },
      { startSec: 4, endSec: 5, text: '第一行\n第二行' },
    ]);
    const parsed = parseCaptions(vtt, 'vtt');
    if (!parsed.ok) throw new Error('stored text must parse');
    expect(storedCues(vtt)).toEqual(parsed.cues.map(({ startSec, text }) => ({ startSec, text })));
  });

  it('skips what is not laid out as stored', () => {
    expect(storedCues('WEBVTT\n\nnot a time\ntext\n')).toEqual([]);
  });
});
