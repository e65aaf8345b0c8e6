/** A window whose short side is at most this (CSS px) is a phone's; tablets and desktops keep their layout. */
export const PHONE_SHORT_SIDE = 600;

export interface TurnFacts {
  landscape: boolean;
  /** Short side of the window in CSS pixels. */
  shortSide: number;
  playing: boolean;
  /** The player is full screen now. */
  fullscreen: boolean;
  /** The player went full screen because the phone was turned (not by its button). */
  enteredByTurn: boolean;
}

/**
 * What turning the phone does: to landscape while a video plays, the player fills the screen; back to
 * portrait, it leaves the full screen it entered for the turn (one chosen with the button stays).
 */
export function fullscreenForTurn(facts: TurnFacts): 'enter' | 'exit' | null {
  if (facts.landscape) return facts.playing && !facts.fullscreen && facts.shortSide <= PHONE_SHORT_SIDE ? 'enter' : null;
  return facts.fullscreen && facts.enteredByTurn ? 'exit' : null;
}
