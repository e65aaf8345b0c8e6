import { describe, expect, it } from '@jest/globals';
import { chaptersOf, checkRows, moveRow, newRow, problemText, rowsOf, startOf } from './chapter-rows.js';

describe('chapter editor rows', () => {
  it.each([
    ['12:30', null, 750],
    ['1:02:03', null, 3723],
    ['90', null, 90],
    ['00:04', 4.25, 4.25],
    ['00:05', 4.25, 5],
    ['', null, Number.NaN],
    ['12:75', null, Number.NaN],
    ['soon', 30, Number.NaN],
  ])('the time %s (loaded at %s) starts at %s', (time, loaded, expected) => {
    expect(startOf(newRow(time, 'x', loaded))).toBe(expected);
  });

  it('keeps a loaded start to the millisecond while its text is unchanged', () => {
    const rows = rowsOf([
      { title: '开场', startSec: 0 },
      { title: '总纲', startSec: 4.25 },
    ]);
    expect(rows.map((r) => r.time)).toEqual(['00:00', '00:04']);
    expect(chaptersOf(rows)).toEqual([
      { title: '开场', startSec: 0 },
      { title: '总纲', startSec: 4.25 },
    ]);
  });

  it('sends an unreadable time as null, for the server to name its row', () => {
    expect(chaptersOf([newRow('12:3x', '坏')])).toEqual([{ title: '坏', startSec: null }]);
  });

  it.each([
    [
      'a bad time',
      [
        ['0:00', '开场'],
        ['99:99', '第二'],
      ],
      600,
      [[1, 'start_invalid', { number: 2, time: '', end: '10:00' }]],
    ],
    [
      'past the end',
      [
        ['0:00', '开场'],
        ['12:00', '第二'],
      ],
      600,
      [[1, 'start_too_late', { number: 2, time: '12:00', end: '10:00' }]],
    ],
    ['no title', [['0:00', '  ']], 600, [[0, 'title_empty', { number: 1, time: '00:00', end: '10:00' }]]],
    [
      'the same second',
      [
        ['0:10', 'a'],
        ['10', 'b'],
      ],
      null,
      [[1, 'same_second', { number: 2, time: '00:10', end: '' }]],
    ],
    [
      'nothing wrong',
      [
        ['0:10', 'a'],
        ['2:00', 'b'],
      ],
      600,
      [],
    ],
  ])('%s', (_name, typed, duration, expected) => {
    const rows = (typed as Array<[string, string]>).map(([time, title]) => newRow(time, title));
    const problems = checkRows(rows, duration as number | null);
    expect(problems.map((p) => [p.row, p.code, problemText(p, rows, duration as number | null).params])).toEqual(expected);
  });

  it.each([
    [1, 'up', ['b', 'a', 'c']],
    [1, 'down', ['a', 'c', 'b']],
    [0, 'up', ['a', 'b', 'c']],
    [2, 'down', ['a', 'b', 'c']],
    [5, 'up', ['a', 'b', 'c']],
  ] as const)('moves row %s %s', (index, direction, expected) => {
    expect(moveRow(['a', 'b', 'c'], index, direction)).toEqual(expected);
  });
});
