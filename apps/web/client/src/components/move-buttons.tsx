export type MoveDirection = 'up' | 'down';

interface MoveButtonsProps {
  /** The first item cannot move up, the last cannot move down. */
  first: boolean;
  last: boolean;
  /** Visible words of the move buttons (an arrow is put before them). */
  upText: string;
  downText: string;
  /** What screen readers hear, naming the item. */
  upLabel: string;
  downLabel: string;
  onMove(direction: MoveDirection): void;
  /** The edit button: its visible words, what screen readers hear, and whether its form is open. */
  editText: string;
  editLabel: string;
  editing: boolean;
  onEdit(): void;
}

/**
 * Move up, move down and edit buttons of one item in an ordered list: buttons instead of dragging, so the keyboard
 * and shaky hands can reorder too. `data-move` lets the list put focus back on the button after the item moved.
 */
export function MoveButtons(props: MoveButtonsProps) {
  const { first, last, upText, downText, upLabel, downLabel, onMove, editText, editLabel, editing, onEdit } = props;
  return (
    <>
      <button type="button" class="button" data-move="up" disabled={first} aria-label={upLabel} onClick={() => onMove('up')}>
        ↑ {upText}
      </button>
      <button type="button" class="button" data-move="down" disabled={last} aria-label={downLabel} onClick={() => onMove('down')}>
        ↓ {downText}
      </button>
      <button type="button" class="button" aria-expanded={editing} aria-label={editLabel} onClick={onEdit}>
        {editText}
      </button>
    </>
  );
}

/**
 * Reordering moves the item's DOM node, which drops focus: puts it back on the item's button just pressed, or on
 * its other move button once the item reached an end of the list.
 */
export function focusMoveButton(item: Element | null | undefined, direction: MoveDirection): void {
  const same = item?.querySelector<HTMLButtonElement>(`[data-move="${direction}"]:not([disabled])`);
  (same ?? item?.querySelector<HTMLButtonElement>('[data-move]:not([disabled])'))?.focus();
}
