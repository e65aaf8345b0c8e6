/** Seconds after the deadline during which saves and submits are still accepted (a slow network's last save). */
export const SUBMIT_GRACE_SECONDS = 30;

/** When an attempt must end: the earlier of its start plus the time limit and the moment the exam closes. */
export function attemptDeadline(startedAt: Date, timeLimitMin: number, closesAt: Date): Date {
  const byLimit = startedAt.getTime() + timeLimitMin * 60_000;
  return new Date(Math.min(byLimit, closesAt.getTime()));
}

/** Whole seconds left until the deadline, rounded down, never negative. */
export function remainingSeconds(deadline: Date, now: Date): number {
  return Math.max(0, Math.floor((deadline.getTime() - now.getTime()) / 1000));
}

/** Whether a save or submit arriving at `now` is accepted: until the deadline plus the grace, refused after. */
export function acceptsWrite(deadline: Date, now: Date, graceSec: number = SUBMIT_GRACE_SECONDS): boolean {
  return now.getTime() <= deadline.getTime() + graceSec * 1000;
}

/** Whether the deadline has come (now ≥ deadline): the attempt is then submitted with what was saved. */
export function isOverdue(deadline: Date, now: Date): boolean {
  return now.getTime() >= deadline.getTime();
}
