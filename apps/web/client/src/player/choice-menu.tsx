import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';

export interface Choice<T> {
  value: T;
  label: string;
  /** The language the label is written in, when it is not the page's (a caption language's own name). */
  lang?: string;
}

interface ChoiceMenuProps<T> {
  /** The menu's name, e.g. "Quality"; the button shows it with the current choice. */
  label: string;
  current: string;
  choices: readonly Choice<T>[];
  selected: T;
  onChoose(value: T): void;
  icon?: ComponentChildren;
  /** Another class on the menu, for its own styles and tests. */
  className?: string;
  /** Items after the choices that are not one of them (a toggle); `close` closes the menu and returns focus. */
  extra?: (close: () => void) => ComponentChildren;
}

/**
 * A disclosure button opening a short list of choices, each a button marked pressed when chosen.
 * Tab moves through the choices, Escape closes and returns focus, choosing closes too.
 */
export function ChoiceMenu<T>({ label, current, choices, selected, onChoose, icon, className, extra }: ChoiceMenuProps<T>) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onFocus = (event: FocusEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('focusin', onFocus);
    root.current?.querySelector<HTMLButtonElement>('[aria-pressed="true"]')?.focus();
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('focusin', onFocus);
    };
  }, [open]);

  const close = () => {
    setOpen(false);
    toggle.current?.focus();
  };

  return (
    <div
      class={className ? `choice-menu ${className}` : 'choice-menu'}
      ref={root}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) {
          event.stopPropagation();
          close();
        }
      }}
    >
      <button
        ref={toggle}
        type="button"
        class="player__button choice-menu__toggle"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
      >
        {icon}
        <span class="choice-menu__label">{label}</span> <span class="choice-menu__current">{current}</span>
      </button>
      <div id={id} class="choice-menu__panel" role="group" aria-label={label} hidden={!open}>
        {choices.map((choice) => (
          <button
            key={choice.label}
            type="button"
            class="choice-menu__item"
            lang={choice.lang}
            aria-pressed={choice.value === selected}
            onClick={() => {
              onChoose(choice.value);
              close();
            }}
          >
            {choice.label}
          </button>
        ))}
        {extra?.(close)}
      </div>
    </div>
  );
}
