/**
 * The lecture that should start playing by itself when its page opens: set by the previous lecture's
 * countdown just before it navigates, taken (once) by the next page. Kept in memory only, so a reload or a
 * shared link never plays anything by itself.
 */
let pending: string | null = null;

export function autoplayOnArrival(lectureId: string): void {
  pending = lectureId;
}

/** Whether the page of `lectureId` was opened by the countdown; forgets it either way. */
export function takeAutoplay(lectureId: string): boolean {
  const yes = pending === lectureId;
  pending = null;
  return yes;
}
