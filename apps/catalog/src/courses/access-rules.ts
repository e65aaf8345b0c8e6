import { isWithinScope, type Role } from '#auth';
import type { CourseStatus } from './course.entities.js';

/**
 * Who may change which course, open which lecture and hand out which role. Pure: the caller's unit
 * path comes from the database (ScopeService), never from the token's copy.
 *
 * - Editors edit the courses owned by their unit's subtree; a committee (root) editor edits them all.
 * - Admins read and report; they edit no course. Roles are single-valued, so an admin who must edit
 *   courses needs an editor account.
 * - Anyone opens published lectures of courses shown to their unit; editors also preview the courses
 *   they may edit, in any state.
 * - Things the whole committee shares (course and member categories, editor and admin accounts) are
 *   created by the committee's own editors and admins only.
 */
export interface Caller {
  role: Role;
  /** Materialized path of the caller's unit, e.g. `committee/east`. */
  unitPath: string;
}

/** The root unit's path has no `/`: its people act for the whole organisation. */
export const isCommittee = (caller: Caller) => !caller.unitPath.includes('/');

export const mayEditCourse = (caller: Caller, ownerPath: string) => caller.role === 'editor' && isWithinScope(ownerPath, caller.unitPath);

/**
 * An audience may name only units inside the editor's subtree. No unit at all means everyone, the
 * whole organisation, which only a committee editor may choose.
 */
export const mayNameAudience = (caller: Caller, unitPaths: string[]) =>
  caller.role === 'editor' && (unitPaths.length === 0 ? isCommittee(caller) : unitPaths.every((p) => isWithinScope(p, caller.unitPath)));

export type PlaybackAccess = 'preview' | 'learner' | 'none';

/** `visibleToCaller`: the course names no unit, or the caller's unit or one above it. */
export function playbackAccess(
  caller: Caller,
  course: { status: CourseStatus; ownerPath: string; visibleToCaller: boolean },
): PlaybackAccess {
  if (mayEditCourse(caller, course.ownerPath)) return 'preview';
  if (course.status === 'published' && course.visibleToCaller) return 'learner';
  return 'none';
}

/**
 * Admins manage the accounts of their subtree. A committee admin manages every account; any other
 * admin manages members only, and cannot make anyone an editor, an admin or an inspector: editor and
 * admin accounts act beyond one branch (shared categories, course audiences) or could take over one,
 * and inspectors are appointed by the committee. Inspectors manage no account.
 */
export function mayManageAccount(caller: Caller, account: { role: Role } | null, newRole: Role | undefined): boolean {
  if (caller.role !== 'admin') return false;
  if (isCommittee(caller)) return true;
  return (account === null || account.role === 'member') && (newRole === undefined || newRole === 'member');
}

/** Course and member categories are one list for the whole organisation. */
export const mayAddSharedCategory = (caller: Caller, kind: 'course' | 'member') =>
  isCommittee(caller) && (kind === 'course' ? caller.role === 'editor' || caller.role === 'admin' : caller.role === 'admin');
