import type { ReflectionStatus, ReflectionVerdict } from '#contracts';

/** Positions whose holders review the reflections of members in their unit's subtree. */
export const REVIEWING_POSITIONS = ['group-leader', 'secretary'] as const;

export const isAccepted = (status: ReflectionStatus): boolean => status === 'read' || status === 'excellent';

/** The author may change the text while it is a draft or has been returned for revision. */
export const authorMayEdit = (status: ReflectionStatus): boolean => status === 'draft' || status === 'returned';
/** Sending for review: a draft the first time, a returned one again. */
export const authorMaySubmit = authorMayEdit;
/** The author may take it back until it is accepted. */
export const authorMayWithdraw = (status: ReflectionStatus): boolean =>
  status === 'draft' || status === 'submitted' || status === 'returned';
/** Consent to show it on a wall is for excellent ones. */
export const authorMayConsent = (status: ReflectionStatus): boolean => status === 'excellent';
/** A reviewer gives a verdict on a submitted version. */
export const mayBeReviewed = (status: ReflectionStatus): boolean => status === 'submitted';

/** The status a verdict leads to. */
export const statusAfterVerdict = (verdict: ReflectionVerdict): ReflectionStatus => verdict;

export type ReflectionAction = 'save' | 'submit' | 'withdraw' | 'consent' | 'review';

/** Whether an action is allowed on a reflection in `status`, and if not, a message saying what to do. */
export function checkAction(action: ReflectionAction, status: ReflectionStatus): string | null {
  const allowed = {
    save: authorMayEdit,
    submit: authorMaySubmit,
    withdraw: authorMayWithdraw,
    consent: authorMayConsent,
    review: mayBeReviewed,
  }[action](status);
  if (allowed) return null;
  if (status === 'withdrawn') return 'This reflection was withdrawn. Write a new one instead.';
  switch (action) {
    case 'save':
    case 'submit':
      return status === 'submitted'
        ? 'This reflection is waiting for review and cannot be changed now. Wait for the review, or withdraw it.'
        : 'This reflection has been accepted and can no longer be changed.';
    case 'withdraw':
      return 'An accepted reflection stays on record and cannot be withdrawn.';
    case 'consent':
      return 'Only a reflection marked excellent can be shown on a wall.';
    case 'review':
      return status === 'draft'
        ? 'This reflection has not been sent for review yet.'
        : 'This reflection is not waiting for review: it has already been reviewed, or it was returned.';
  }
}

/** A position a person holds: the unit's path and the position's code. */
export interface HeldPosition {
  unitPath: string;
  positionCode: string;
}

export interface Reviewer {
  userId: string;
  role: string;
  /** The reviewer's own unit (an admin reviews its subtree). */
  orgPath: string;
  positions: readonly HeldPosition[];
}

const within = (path: string, scope: string) => path === scope || path.startsWith(`${scope}/`);

/** The unit paths under which a person reviews reflections: their admin scope and the units of reviewing positions. */
export function reviewScopes(reviewer: Reviewer): string[] {
  const scopes = reviewer.positions
    .filter((p) => (REVIEWING_POSITIONS as readonly string[]).includes(p.positionCode))
    .map((p) => p.unitPath);
  if (reviewer.role === 'admin') scopes.push(reviewer.orgPath);
  // Drop scopes inside another one.
  return [...new Set(scopes)].filter((s, _, all) => !all.some((o) => o !== s && within(s, o))).sort();
}

/** Whether `reviewer` may review a reflection by `authorId` counted for the unit at `unitPath`. Nobody reviews their own. */
export function mayReview(reviewer: Reviewer, authorId: string, unitPath: string): boolean {
  if (reviewer.userId === authorId) return false;
  return reviewScopes(reviewer).some((scope) => within(unitPath, scope));
}
