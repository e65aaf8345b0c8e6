import { useEffect, useState } from 'preact/hooks';
import type { HeldCheckin } from './checkin.js';

/** What the player shows of a check-in: it, and how answering it goes. */
export interface CheckinView {
  checkin: HeldCheckin;
  /** The answer is on its way. */
  answering: boolean;
  /** The last answer did not arrive (offline): the member may press again. */
  failed: boolean;
  answer(): void;
}

type Listener = (view: CheckinView | null) => void;

const views = new Map<string, CheckinView>();
const listeners = new Map<string, Set<Listener>>();

/**
 * From the heartbeats (which hear of a check-in) to the player (which asks it), per lecture: the lecture
 * page holds both, and a check-in belongs to what that lecture's page plays, whatever session it is under.
 */
export function publishCheckin(lectureId: string, view: CheckinView | null): void {
  if (view) views.set(lectureId, view);
  else views.delete(lectureId);
  for (const listener of listeners.get(lectureId) ?? []) listener(view);
}

export function currentCheckin(lectureId: string): CheckinView | null {
  return views.get(lectureId) ?? null;
}

export function subscribeCheckin(lectureId: string, listener: Listener): () => void {
  let set = listeners.get(lectureId);
  if (!set) listeners.set(lectureId, (set = new Set()));
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) listeners.delete(lectureId);
  };
}

/** The check-in to ask about the lecture now, re-rendering as it comes, changes and goes. */
export function useCheckin(lectureId: string): CheckinView | null {
  const [view, setView] = useState(() => currentCheckin(lectureId));
  useEffect(() => {
    setView(currentCheckin(lectureId));
    return subscribeCheckin(lectureId, setView);
  }, [lectureId]);
  return view;
}
