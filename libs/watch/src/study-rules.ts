import { secToMs } from './intervals.js';

/**
 * How a study plan counts a member's study time: the one rule behind My study, the live plan standings, the
 * plan rollup (mirrored in SQL by `apps/catalog/src/reports/plan-rollup.ts`) and the results frozen at closing.
 *
 * Per member, over the days that count toward the plan:
 *
 * 1. **Kinds.** Each `study_daily` row (member, lecture, day) counts `max(0, credited − excluded)`, where
 *    `excluded` is the sum of the parts of kinds the plan does not count (`audio_sec`, `speedup_sec`,
 *    `collective_sec`, added in that order). The parts may overlap (audio at 1.5× is both audio and speed-up),
 *    so when two excluded kinds overlap the overlap is taken out twice; the clamp at 0 keeps a row from going
 *    negative. The rule may so over-exclude, never under-exclude: a plan that refuses a kind never counts any
 *    second of it. (The parts are not kept per second, so the exact union cannot be known.)
 * 2. **Lectures.** A lecture's counted seconds are summed over its days and rounded to whole ms (as before
 *    kinds existed, so a plan with the default rules counts exactly as it always did).
 * 3. **Daily limit.** A day's lectures' counted seconds above `dailyLimitHours` are cut (`studyCut`).
 * 4. **In person.** If the plan counts in-person study, each day's attended seconds (sessions held that day) fill
 *    the room the lectures leave under the limit (`fits`); what fits uses up `inPersonMaxHours` over the whole
 *    plan, earliest days first: the in-person seconds counted up to a day are min(cap, Σ fits up to that day).
 *    What the limit cuts does not use up the cap, so attending more, or studying more, never counts less.
 *    Counted ms = Σ lectures' ms + Σ days' in-person ms − Σ days' cut lecture ms (each day's part rounded to ms).
 * 5. **Conversion.** Study ms (hours × 3,600,000) = round(counted ms × 60 / `minutesPerStudyHour`).
 *
 * Per-lecture plans earn fixed hours per completed lecture (at least `minLectureMinutes` long, if set); their
 * lectures' time is not counted by the clock, so steps 1–2 add nothing and steps 3–5 apply to in-person study.
 *
 * Figures in hours with two decimals (limits, caps, conversions) are taken in hundredths, so the same
 * numbers come out of PostgreSQL's `numeric` columns and of this code.
 */

export interface StudyRules {
  /** Most hours (of study time, before conversion) credited on one day; null: no limit. */
  dailyLimitHours: number | null;
  /** Minutes of study that make one study hour (60: an hour is an hour). */
  minutesPerStudyHour: number;
  /** Per-lecture plans: only lectures at least this long earn their hours; null: any length. */
  minLectureMinutes: number | null;
  countsSpeedup: boolean;
  countsAudio: boolean;
  countsCollective: boolean;
  countsInPerson: boolean;
  /** Most in-person hours counted over the whole plan; null: no cap. */
  inPersonMaxHours: number | null;
}

/** The rules of a plan that says nothing: everything counts as it is, an hour is an hour. */
export const DEFAULT_STUDY_RULES: StudyRules = {
  dailyLimitHours: null,
  minutesPerStudyHour: 60,
  minLectureMinutes: null,
  countsSpeedup: true,
  countsAudio: true,
  countsCollective: true,
  countsInPerson: true,
  inPersonMaxHours: null,
};

/** One `study_daily` row that counts toward the plan (a lecture of the plan, on a day that counts). */
export interface StudyDayRow {
  lectureId: string;
  /** YYYY-MM-DD on the study calendar. */
  day: string;
  creditedSec: number;
  audioSec?: number;
  speedupSec?: number;
  collectiveSec?: number;
}

/** Seconds a member attended one in-person session, on the day it was held (a day that counts toward the plan). */
export interface InPersonRow {
  day: string;
  sec: number;
}

/** One day of the count, for the member's explanation. */
export interface CountedDay {
  day: string;
  /** Lectures' counted seconds that day (after kinds). */
  studySec: number;
  /** In-person seconds counted that day (after the cap). */
  inPersonSec: number;
  /** Seconds the daily limit cut that day. */
  cutSec: number;
  /** studySec + inPersonSec − cutSec: never above the daily limit. */
  countedSec: number;
}

/** How a member's study was counted toward a plan. */
export interface StudyCount {
  /** Credited seconds in all, and the parts of each kind (they may overlap). */
  creditedSec: number;
  audioSec: number;
  speedupSec: number;
  collectiveSec: number;
  /** Seconds of lectures taken out because their kind does not count. */
  excludedSec: number;
  /** In-person seconds attended, and those counted (0 when the plan does not count them; at most the cap). */
  inPersonSec: number;
  inPersonCountedSec: number;
  /** Seconds the daily limit cut, in all and per day (only days with a cut, in day order). */
  cutSec: number;
  cutDays: Array<{ day: string; cutSec: number }>;
  /** Every day with study or in-person time, in day order. */
  days: CountedDay[];
  /** Whole ms per lecture of counted lecture time (before the limit), by lecture id. */
  lectureMs: Map<string, number>;
  /** Σ lectures' ms + in-person ms − cut ms: time counted, before conversion. */
  countedMs: number;
  /** countedMs converted to study hours (as ms of an hour). */
  studyMs: number;
}

/** Hundredths of a figure kept with two decimals (numeric(·, 2) in the database). */
export const hundredths = (value: number) => Math.round(value * 100);

/** A figure in hours as seconds, exactly as `(hours * 3600)::float8` from a numeric(·, 2). */
export const hoursToSec = (hours: number) => hundredths(hours) * 36;

/** Lecture seconds that count from one row: credited less the kinds the plan does not count, never below 0. */
export function rowCountedSec(rules: StudyRules, row: StudyDayRow): number {
  const excluded =
    (rules.countsAudio ? 0 : pos(row.audioSec)) +
    (rules.countsSpeedup ? 0 : pos(row.speedupSec)) +
    (rules.countsCollective ? 0 : pos(row.collectiveSec));
  return Math.max(0, pos(row.creditedSec) - excluded);
}

/** ms of counted time as ms of study hours: round(ms × 60 / minutes per study hour). */
export function convertMs(ms: number, minutesPerStudyHour: number): number {
  const perHour = hundredths(minutesPerStudyHour);
  if (!(perHour > 0) || !(ms > 0)) return 0;
  return Math.round((ms * 6000) / perHour);
}

/** Whether a completed lecture of this length earns a per-lecture plan's hours. */
export function lectureLongEnough(rules: StudyRules, durationSec: number | undefined): boolean {
  if (rules.minLectureMinutes === null || durationSec === undefined) return true;
  return durationSec >= (hundredths(rules.minLectureMinutes) * 60) / 100;
}

const pos = (n: number | undefined) => (n !== undefined && Number.isFinite(n) && n > 0 ? n : 0);
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Counts a member's study toward a plan (see the rule above). `lectureTime` is false for per-lecture plans:
 * their lectures earn by completion, so only in-person time is counted by the clock.
 * The rows are taken in (day, lecture) order, so the result does not depend on the order they come in.
 */
export function countStudy(
  rules: StudyRules,
  rows: readonly StudyDayRow[],
  inPerson: readonly InPersonRow[] = [],
  lectureTime = true,
): StudyCount {
  const sorted = [...rows].sort((a, b) => byText(a.day, b.day) || byText(a.lectureId, b.lectureId));
  let creditedSec = 0;
  let audioSec = 0;
  let speedupSec = 0;
  let collectiveSec = 0;
  let excludedSec = 0;
  const lectureSec = new Map<string, number>();
  const studyByDay = new Map<string, number>();
  for (const row of sorted) {
    creditedSec += pos(row.creditedSec);
    audioSec += pos(row.audioSec);
    speedupSec += pos(row.speedupSec);
    collectiveSec += pos(row.collectiveSec);
    if (!lectureTime) continue;
    const counted = rowCountedSec(rules, row);
    excludedSec += pos(row.creditedSec) - counted;
    lectureSec.set(row.lectureId, (lectureSec.get(row.lectureId) ?? 0) + counted);
    studyByDay.set(row.day, (studyByDay.get(row.day) ?? 0) + counted);
  }
  const lectureMs = new Map<string, number>();
  for (const [id, sec] of lectureSec) lectureMs.set(id, secToMs(sec));

  const attended = new Map<string, number>();
  let inPersonSec = 0;
  for (const row of [...inPerson].sort((a, b) => byText(a.day, b.day) || a.sec - b.sec)) {
    inPersonSec += pos(row.sec);
    attended.set(row.day, (attended.get(row.day) ?? 0) + pos(row.sec));
  }
  const capSec = rules.inPersonMaxHours === null ? null : hoursToSec(rules.inPersonMaxHours);
  const limitSec = rules.dailyLimitHours === null ? null : hoursToSec(rules.dailyLimitHours);

  const dayKeys = [...new Set([...studyByDay.keys(), ...(rules.countsInPerson ? attended.keys() : [])])].sort(byText);
  const days: CountedDay[] = [];
  let fittedBefore = 0;
  let inPersonCountedSec = 0;
  let inPersonMs = 0;
  let cutSec = 0;
  let studyCutMs = 0;
  const cutDays: Array<{ day: string; cutSec: number }> = [];
  for (const day of dayKeys) {
    const studySec = studyByDay.get(day) ?? 0;
    const ip = rules.countsInPerson ? (attended.get(day) ?? 0) : 0;
    // In-person time fills the room the lectures leave under the limit; what fits uses up the cap, earliest days first.
    const fits = limitSec === null ? ip : Math.min(ip, Math.max(0, limitSec - studySec));
    const allowed = capSec === null ? fits : Math.min(fits, Math.max(0, capSec - fittedBefore));
    fittedBefore += fits;
    const studyCut = limitSec === null ? 0 : Math.max(0, studySec - limitSec);
    const cut = studyCut + (ip - fits);
    inPersonCountedSec += allowed;
    inPersonMs += secToMs(allowed);
    studyCutMs += secToMs(studyCut);
    cutSec += cut;
    if (cut > 0) cutDays.push({ day, cutSec: cut });
    days.push({ day, studySec, inPersonSec: allowed, cutSec: cut, countedSec: studySec - studyCut + allowed });
  }
  const lectureTotalMs = [...lectureMs.values()].reduce((sum, ms) => sum + ms, 0);
  const countedMs = Math.max(0, lectureTotalMs + inPersonMs - studyCutMs);
  return {
    creditedSec,
    audioSec,
    speedupSec,
    collectiveSec,
    excludedSec,
    inPersonSec,
    inPersonCountedSec,
    cutSec,
    cutDays,
    days,
    lectureMs,
    countedMs,
    studyMs: convertMs(countedMs, rules.minutesPerStudyHour),
  };
}

/** Whether the rules are the defaults, under which a plan counts exactly as before kinds and limits existed. */
export function isDefaultStudyRules(rules: StudyRules): boolean {
  return (
    rules.dailyLimitHours === null &&
    hundredths(rules.minutesPerStudyHour) === 6000 &&
    rules.minLectureMinutes === null &&
    rules.countsSpeedup &&
    rules.countsAudio &&
    rules.countsCollective &&
    rules.countsInPerson &&
    rules.inPersonMaxHours === null
  );
}
