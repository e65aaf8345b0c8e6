import { isWithinScope, type Role } from '#auth';
import { GROUP_REPORT_ABSENTEES_NAMED } from '#contracts';

/** Attendances over roster places, 0..1; null when no place was held (nothing to rate). */
export function attendanceRate(attendances: number, places: number): number | null {
  if (!(places > 0)) return null;
  return Math.min(1, Math.max(0, attendances / places));
}

/** Who asks to give a session's absentees make-up, and what they hold. */
export interface MakeupCaller {
  role: Role;
  /** The caller's own unit's path: an admin's scope. */
  unitPath: string;
  /** Whether the caller started the session. */
  startedIt: boolean;
  /** Paths of the units where the caller holds a leading position now (group leader, secretary). */
  positionPaths: readonly string[];
}

/**
 * Admins of the session's unit (it lies in their subtree) and the session's leaders (who started it, or who holds
 * a leading position now in its unit or a unit above it) may give its absentees make-up. Inspectors change nothing.
 */
export function mayGiveMakeup(caller: MakeupCaller, sessionUnitPath: string): boolean {
  if (caller.role === 'inspector') return false;
  if (caller.role === 'admin' && isWithinScope(sessionUnitPath, caller.unitPath)) return true;
  if (caller.startedIt) return true;
  return caller.positionPaths.some((path) => isWithinScope(sessionUnitPath, path));
}

export type MakeupRefusal =
  { status: 409; reason: 'not_collective' | 'not_ended' | 'no_lecture' | 'no_window' } | { status: 403; reason: 'not_leader' };

/** Why a make-up cannot be given now (null: it can). `newWithWindow` counts absentees to grant now who have a plan window. */
export function makeupRefusal(input: {
  allowed: boolean;
  kind: string;
  status: string;
  lectureId: string | null;
  newAbsentees: number;
  newWithWindow: number;
  withoutWindow: boolean;
}): MakeupRefusal | null {
  if (!input.allowed) return { status: 403, reason: 'not_leader' };
  if (input.kind !== 'collective') return { status: 409, reason: 'not_collective' };
  if (!input.lectureId) return { status: 409, reason: 'no_lecture' };
  if (input.status !== 'ended') return { status: 409, reason: 'not_ended' };
  if (input.newAbsentees > 0 && input.newWithWindow === 0 && !input.withoutWindow) return { status: 409, reason: 'no_window' };
  return null;
}

/** The make-up date a notice names: the earliest window among the member's plans, so the study counts toward all of them. */
export function makeupUntil(windows: ReadonlyArray<string | null>): string | null {
  const days = windows.filter((d): d is string => typeof d === 'string' && d.length > 0).sort();
  return days[0] ?? null;
}

/** An absentee as the list names them: name and login, since two members may share a name. */
export const absenteeLabel = (name: string, login: string, lang: 'zh-CN' | 'en') =>
  lang === 'en' ? `${name} (${login})` : `${name}（${login}）`;

/**
 * A session's absentees as one cell, the same on the screen and in the files: the first names joined, and how many
 * more when the list is longer than `GROUP_REPORT_ABSENTEES_NAMED`.
 */
export function absenteesText(names: readonly string[], total: number, lang: 'zh-CN' | 'en'): string {
  const shown = names.slice(0, GROUP_REPORT_ABSENTEES_NAMED);
  const rest = Math.max(0, total - shown.length);
  const joined = shown.join(lang === 'en' ? ', ' : '、');
  if (!rest) return joined || '—';
  return lang === 'en' ? `${joined} and ${rest} more` : `${joined} 等另外 ${rest} 人`;
}
