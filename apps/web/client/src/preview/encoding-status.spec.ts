import { describe, expect, it } from '@jest/globals';
import i18next from 'i18next';
import * as preview from '../i18n/courseware/preview.js';
import { encodedPercentText, encodingStatusParts, encodingStatusText, membersNoteKey, minutesLeft } from './encoding-status.js';

const translator = async (lng: 'zh' | 'en') => {
  const instance = i18next.createInstance();
  await instance.init({ lng, resources: { [lng]: { translation: { preview: preview[lng] } } }, interpolation: { escapeValue: false } });
  const t = instance.t as unknown as (key: string, values?: Record<string, number>) => string;
  return (key: string, values?: Record<string, number>) => t(key, values);
};

describe('minutes left', () => {
  it.each([
    [null, null],
    [Number.NaN, null],
    [-5, null],
    [Number.POSITIVE_INFINITY, null],
    [0, 0],
    [59, 0],
    [60, 1],
    [61, 2],
    [11 * 60 + 10, 12],
    [720, 12],
    [90 * 60, 90],
  ])('%p s → %p', (eta, minutes) => expect(minutesLeft(eta)).toBe(minutes));
});

describe('percent encoded', () => {
  it.each([
    [null, null],
    [Number.NaN, null],
    [-1, 0],
    [0, 0],
    [34.9, 34],
    [99.99, 99],
    [100, 99],
    [140, 99],
  ])('%p → %p', (percent, shown) => expect(encodedPercentText(percent)).toBe(shown));
});

describe('the studio status line', () => {
  it('says previewable, percent and minutes left, in both languages', async () => {
    const facts = { previewable: true, encodedPercent: 34.4, etaSeconds: 11 * 60 + 30 };
    expect(encodingStatusText(await translator('zh'), facts)).toBe('可以预览 · 已编码 34% · 约还需 12 分钟');
    expect(encodingStatusText(await translator('en'), facts)).toBe('Previewable now · 34 % encoded · about 12 min left');
  });

  it('leaves out what is not known', () => {
    expect(encodingStatusParts({ previewable: true, encodedPercent: null, etaSeconds: null })).toEqual([{ key: 'preview.previewableNow' }]);
    expect(encodingStatusParts({ previewable: false, encodedPercent: 5, etaSeconds: null })).toEqual([
      { key: 'preview.encodedPercent', values: { percent: 5 } },
    ]);
  });

  it('says "less than a minute" rather than "about 0 min"', async () => {
    const t = await translator('en');
    expect(encodingStatusText(t, { previewable: true, encodedPercent: 98, etaSeconds: 20 })).toBe(
      'Previewable now · 98 % encoded · less than a minute left',
    );
  });
});

describe('what members see meanwhile', () => {
  it.each([
    [false, 'published', 'preview.membersWait'],
    [false, 'draft', 'preview.membersWait'],
    [true, 'published', 'preview.membersSeeSoFar'],
    [true, 'draft', 'preview.membersWillSeeSoFar'],
  ] as const)('setting %p, course %s → %s', (publishWhenPreviewable, status, key) =>
    expect(membersNoteKey({ publishWhenPreviewable, status })).toBe(key),
  );
});
