import { describe, expect, it } from '@jest/globals';
import { fileNameFrom } from '../api/download.js';
import type { UnitRollup } from '../api/reports.js';
import { addDays, hoursNumber, percentText } from '../format/numbers.js';
import { dailySeries, planState, visibleUnits } from './report-logic.js';

const unit = (unitId: string, parentId: string | null, depth: number): UnitRollup => ({
  unitId,
  parentId,
  name: unitId,
  path: unitId,
  depth,
  members: 1,
  met: 0,
  percentMet: 0,
  onTrack: 0,
  behind: 0,
  notStarted: 1,
  totalHours: 0,
  averageHours: 0,
  totalSec: 0,
  averageSec: 0,
  compulsoryCompleted: 0,
});

describe('visibleUnits', () => {
  // As the overview lists them: parents before children.
  const rows = [unit('east', 'committee', 1), unit('g1', 'east', 2), unit('g2', 'east', 2), unit('g1a', 'g1', 3)];

  it('shows the top unit (its parent lies outside the subtree) and the children of the open units only', () => {
    expect(visibleUnits(rows, new Set()).map((u) => u.unitId)).toEqual(['east']);
    expect(visibleUnits(rows, new Set(['east'])).map((u) => u.unitId)).toEqual(['east', 'g1', 'g2']);
    expect(visibleUnits(rows, new Set(['east', 'g1'])).map((u) => u.unitId)).toEqual(['east', 'g1', 'g1a', 'g2']);
  });

  it('hides the children of an open unit whose parent is closed', () => {
    expect(visibleUnits(rows, new Set(['g1'])).map((u) => u.unitId)).toEqual(['east']);
  });
});

describe('dailySeries', () => {
  it('fills every day up to the last with zeros where nothing was studied', () => {
    expect(dailySeries([{ day: '2026-03-02', hours: 1.5 }], 3, '2026-03-03')).toEqual([
      { day: '2026-03-01', hours: 0 },
      { day: '2026-03-02', hours: 1.5 },
      { day: '2026-03-03', hours: 0 },
    ]);
  });

  it('crosses month and leap-year ends', () => {
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});

describe('planState', () => {
  const plan = { closedAt: null, makeupUntil: null, periodStart: '2026-01-01', periodEnd: '2026-12-31' };
  it.each([
    ['2025-12-31', plan, 'upcoming'],
    ['2026-06-01', plan, 'running'],
    ['2027-01-01', plan, 'ended'],
    ['2027-01-01', { ...plan, makeupUntil: '2027-02-01' }, 'makeup'],
    ['2026-06-01', { ...plan, closedAt: '2026-05-01T00:00:00Z' }, 'closed'],
  ])('on %s → %s', (today, p, state) => expect(planState(p, today)).toBe(state));
});

describe('numbers for reports', () => {
  it('never shows a little study as 0 hours', () => {
    expect(hoursNumber(0.003, 'en')).toBe('<0.01');
    expect(hoursNumber(0, 'en')).toBe('0');
    expect(hoursNumber(4.125, 'en')).toBe('4.13');
    expect(hoursNumber(37.52, 'zh-CN')).toBe('37.5');
    expect(hoursNumber(1234.5, 'en')).toBe('1,235');
  });

  it('writes percentages of 0..100', () => {
    expect(percentText(8.3, 'zh-CN')).toBe('8.3%');
    expect(percentText(100, 'en')).toBe('100.0%');
  });
});

describe('fileNameFrom', () => {
  it('prefers the UTF-8 name, then the plain one, then the fallback', () => {
    expect(fileNameFrom(`attachment; filename="report.xlsx"; filename*=UTF-8''plan-members.xlsx`, 'x')).toBe('plan-members.xlsx');
    expect(fileNameFrom(`attachment; filename*=UTF-8''%E5%AD%A6%E5%91%98.csv`, 'x')).toBe('学员.csv');
    expect(fileNameFrom('attachment; filename="report.csv"', 'x')).toBe('report.csv');
    expect(fileNameFrom(null, 'fallback.csv')).toBe('fallback.csv');
  });
});
