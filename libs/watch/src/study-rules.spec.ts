import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { planProgress, type PlanRules } from './plan-progress.js';
import {
  convertMs,
  countStudy,
  DEFAULT_STUDY_RULES,
  hoursToSec,
  isDefaultStudyRules,
  lectureLongEnough,
  rowCountedSec,
  type InPersonRow,
  type StudyDayRow,
  type StudyRules,
} from './study-rules.js';

const DAYS = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05'];
const LECTURES = ['a', 'b', 'c'];

/** Quarter seconds: sums of them are exact in floating point, so any order gives the same totals. */
const quarterSec = (max: number) => fc.integer({ min: 0, max: max * 4 }).map((q) => q / 4);

const rowArb: fc.Arbitrary<StudyDayRow> = fc
  .record({
    lectureId: fc.constantFrom(...LECTURES),
    day: fc.constantFrom(...DAYS),
    creditedSec: quarterSec(6 * 3600),
    audio: fc.double({ min: 0, max: 1, noNaN: true }),
    speedup: fc.double({ min: 0, max: 1, noNaN: true }),
    collective: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map((r) => ({
    lectureId: r.lectureId,
    day: r.day,
    creditedSec: r.creditedSec,
    audioSec: Math.floor(r.creditedSec * r.audio * 4) / 4,
    speedupSec: Math.floor(r.creditedSec * r.speedup * 4) / 4,
    collectiveSec: Math.floor(r.creditedSec * r.collective * 4) / 4,
  }));

/** One row per (lecture, day), as `study_daily` has. */
const rowsArb = fc.uniqueArray(rowArb, { selector: (r) => `${r.lectureId}/${r.day}`, maxLength: 15 });
const inPersonArb: fc.Arbitrary<InPersonRow[]> = fc.array(fc.record({ day: fc.constantFrom(...DAYS), sec: quarterSec(4 * 3600) }), {
  maxLength: 6,
});

const hundredthsArb = (min: number, max: number) => fc.integer({ min: min * 100, max: max * 100 }).map((h) => h / 100);

const rulesArb: fc.Arbitrary<StudyRules> = fc.record({
  dailyLimitHours: fc.option(hundredthsArb(0.01, 24), { nil: null }),
  minutesPerStudyHour: hundredthsArb(10, 240),
  minLectureMinutes: fc.option(hundredthsArb(0.01, 1440), { nil: null }),
  countsSpeedup: fc.boolean(),
  countsAudio: fc.boolean(),
  countsCollective: fc.boolean(),
  countsInPerson: fc.boolean(),
  inPersonMaxHours: fc.option(hundredthsArb(0, 100), { nil: null }),
});

describe('countStudy', () => {
  it('never counts more than the daily limit on any day', () => {
    fc.assert(
      fc.property(rulesArb, rowsArb, inPersonArb, (rules, rows, inPerson) => {
        const count = countStudy(rules, rows, inPerson);
        for (const day of count.days) {
          expect(day.countedSec).toBeGreaterThanOrEqual(0);
          if (rules.dailyLimitHours !== null) expect(day.countedSec).toBeLessThanOrEqual(hoursToSec(rules.dailyLimitHours) + 1e-9);
        }
        const countedDays = count.days.reduce((sum, d) => sum + d.countedSec, 0);
        // The ms total is the days' total, up to the rounding of each lecture and day to whole ms.
        expect(Math.abs(count.countedMs - countedDays * 1000)).toBeLessThanOrEqual(LECTURES.length + 2 * DAYS.length);
      }),
    );
  });

  it('converts exactly: N minutes of study make one study hour', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 10 }), hundredthsArb(10, 240), (ms, minutes) => {
        const converted = convertMs(ms, minutes);
        // round(ms × 6000 / hundredths), checked in integers.
        const perHour = Math.round(minutes * 100);
        expect(Math.abs(converted * perHour - ms * 6000)).toBeLessThanOrEqual(perHour / 2);
      }),
    );
    expect(convertMs(45 * 60_000, 45)).toBe(3_600_000);
    expect(convertMs(90 * 60_000, 45)).toBe(7_200_000);
    expect(convertMs(3_600_000, 60)).toBe(3_600_000);
    expect(convertMs(1, 60)).toBe(1);
  });

  it('never counts a second of a kind the plan does not count', () => {
    fc.assert(
      fc.property(rulesArb, rowsArb, (rules, rows) => {
        for (const row of rows) {
          const counted = rowCountedSec(rules, row);
          const excluded =
            (rules.countsAudio ? 0 : (row.audioSec ?? 0)) +
            (rules.countsSpeedup ? 0 : (row.speedupSec ?? 0)) +
            (rules.countsCollective ? 0 : (row.collectiveSec ?? 0));
          expect(counted).toBeLessThanOrEqual(Math.max(0, row.creditedSec - excluded));
          if (!rules.countsAudio) expect(counted).toBeLessThanOrEqual(row.creditedSec - (row.audioSec ?? 0));
          if (!rules.countsSpeedup) expect(counted).toBeLessThanOrEqual(row.creditedSec - (row.speedupSec ?? 0));
          if (!rules.countsCollective) expect(counted).toBeLessThanOrEqual(row.creditedSec - (row.collectiveSec ?? 0));
        }
        // Only-audio study in a plan that refuses audio counts nothing.
        const audioOnly = rows.map((r) => ({ ...r, audioSec: r.creditedSec, speedupSec: 0, collectiveSec: 0 }));
        expect(countStudy({ ...rules, countsAudio: false }, audioOnly).countedMs).toBe(0);
      }),
    );
  });

  it('counts in-person time only when the plan does, and never above its cap', () => {
    fc.assert(
      fc.property(rulesArb, inPersonArb, (rules, inPerson) => {
        const count = countStudy({ ...rules, dailyLimitHours: null }, [], inPerson);
        const attended = inPerson.reduce((sum, r) => sum + r.sec, 0);
        if (!rules.countsInPerson) expect(count.inPersonCountedSec).toBe(0);
        else if (rules.inPersonMaxHours === null) expect(count.inPersonCountedSec).toBe(attended);
        else expect(count.inPersonCountedSec).toBe(Math.min(attended, hoursToSec(rules.inPersonMaxHours)));
      }),
    );
  });

  it('is monotone: more study never counts less', () => {
    fc.assert(
      fc.property(rulesArb, rowsArb, inPersonArb, rowArb, quarterSec(3600), (rules, rows, inPerson, extra, more) => {
        const before = countStudy(rules, rows, inPerson);
        const key = `${extra.lectureId}/${extra.day}`;
        const existing = rows.find((r) => `${r.lectureId}/${r.day}` === key);
        // More plain study on an existing row (same kinds), or a new row, or more in-person time.
        const grown = existing ? rows.map((r) => (r === existing ? { ...r, creditedSec: r.creditedSec + more } : r)) : [...rows, extra];
        expect(countStudy(rules, grown, inPerson).studyMs).toBeGreaterThanOrEqual(before.studyMs);
        expect(countStudy(rules, rows, [...inPerson, { day: extra.day, sec: more }]).studyMs).toBeGreaterThanOrEqual(before.studyMs);
      }),
    );
  });

  it('does not depend on the order of the rows', () => {
    fc.assert(
      fc.property(
        rulesArb,
        rowsArb.chain((rows) => fc.tuple(fc.constant(rows), fc.shuffledSubarray(rows, { minLength: rows.length }))),
        inPersonArb.chain((rows) => fc.tuple(fc.constant(rows), fc.shuffledSubarray(rows, { minLength: rows.length }))),
        (rules, [rows, shuffledRows], [inPerson, shuffledInPerson]) => {
          const a = countStudy(rules, rows, inPerson);
          const b = countStudy(rules, shuffledRows, shuffledInPerson);
          expect(b.studyMs).toBe(a.studyMs);
          expect(b.days).toEqual(a.days);
          expect(b.cutDays).toEqual(a.cutDays);
        },
      ),
    );
  });

  it('counts as before with the default rules: Σ lectures of round(credited ms)', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const perLecture = new Map<string, number>();
        for (const r of [...rows].sort((x, y) => (x.day < y.day ? -1 : 1))) {
          perLecture.set(r.lectureId, (perLecture.get(r.lectureId) ?? 0) + r.creditedSec);
        }
        const expected = [...perLecture.values()].reduce((sum, sec) => sum + Math.round(sec * 1000), 0);
        expect(countStudy(DEFAULT_STUDY_RULES, rows).studyMs).toBe(expected);
      }),
    );
    expect(isDefaultStudyRules(DEFAULT_STUDY_RULES)).toBe(true);
    expect(isDefaultStudyRules({ ...DEFAULT_STUDY_RULES, minutesPerStudyHour: 45 })).toBe(false);
  });

  it.each<[string, Partial<StudyRules>, StudyDayRow[], InPersonRow[], number, number]>([
    ['3 h on a day with a 2 h limit', { dailyLimitHours: 2 }, [{ lectureId: 'a', day: DAYS[0], creditedSec: 3 * 3600 }], [], 2, 3600],
    [
      'two days under the limit',
      { dailyLimitHours: 2 },
      [
        { lectureId: 'a', day: DAYS[0], creditedSec: 3600 },
        { lectureId: 'a', day: DAYS[1], creditedSec: 3600 },
      ],
      [],
      2,
      0,
    ],
    ['45 minutes make a study hour', { minutesPerStudyHour: 45 }, [{ lectureId: 'a', day: DAYS[0], creditedSec: 45 * 60 }], [], 1, 0],
    ['audio not counted', { countsAudio: false }, [{ lectureId: 'a', day: DAYS[0], creditedSec: 3600, audioSec: 1800 }], [], 0.5, 0],
    [
      'overlapping excluded kinds take out their sum, not below 0',
      { countsAudio: false, countsSpeedup: false },
      [{ lectureId: 'a', day: DAYS[0], creditedSec: 3600, audioSec: 2400, speedupSec: 2400 }],
      [],
      0,
      0,
    ],
    [
      'in person capped at 1 h',
      { inPersonMaxHours: 1 },
      [],
      [
        { day: DAYS[0], sec: 2400 },
        { day: DAYS[1], sec: 2400 },
      ],
      1,
      0,
    ],
    ['in person not counted', { countsInPerson: false }, [], [{ day: DAYS[0], sec: 3600 }], 0, 0],
    [
      'in person and lectures share the daily limit',
      { dailyLimitHours: 1.5 },
      [{ lectureId: 'a', day: DAYS[0], creditedSec: 3600 }],
      [{ day: DAYS[0], sec: 3600 }],
      1.5,
      1800,
    ],
  ])('%s', (_name, rules, rows, inPerson, hours, cutSec) => {
    const count = countStudy({ ...DEFAULT_STUDY_RULES, ...rules }, rows, inPerson);
    expect(count.studyMs / 3_600_000).toBeCloseTo(hours, 9);
    expect(count.cutSec).toBe(cutSec);
  });

  it('per-lecture plans: only lectures long enough earn, and in-person time is converted', () => {
    expect(lectureLongEnough({ ...DEFAULT_STUDY_RULES, minLectureMinutes: 20 }, 1199)).toBe(false);
    expect(lectureLongEnough({ ...DEFAULT_STUDY_RULES, minLectureMinutes: 20 }, 1200)).toBe(true);
    const plan: PlanRules = {
      mode: 'per_lecture',
      creditHoursPerLecture: 1,
      requiredHours: 10,
      periodStartMs: 0,
      periodEndMs: 10,
      study: { ...DEFAULT_STUDY_RULES, minLectureMinutes: 20, minutesPerStudyHour: 45 },
    };
    const progress = planProgress(
      plan,
      [
        { lectureId: 'a', creditedSec: 1300, completed: true, durationSec: 1300 },
        { lectureId: 'b', creditedSec: 600, completed: true, durationSec: 600 },
      ],
      0,
      [],
      [],
      { rows: [], inPerson: [{ day: DAYS[0], sec: 45 * 60 }] },
    );
    expect(progress.earnedHours).toBe(2);
  });
});
