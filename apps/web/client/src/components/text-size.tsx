import { useState } from 'preact/hooks';
import { useT } from '../i18n/use-t.js';
import './shell.css';

/** The text sizes a person can choose, smallest first: a base of 20, 24 and 28 px (shell.css). */
export const textSizes = ['standard', 'large', 'extra-large'] as const;
export type TextSize = (typeof textSizes)[number];

/** Per device, like the language: the same phone is read by the same eyes. */
export const textSizeStorageKey = 'lectern.textSize';

const labelKeys = {
  standard: 'memberShell.textSize.standard',
  large: 'memberShell.textSize.large',
  'extra-large': 'memberShell.textSize.extraLarge',
} as const satisfies Record<TextSize, string>;

const isTextSize = (value: unknown): value is TextSize => textSizes.includes(value as TextSize);

/** The size saved on this device; standard when none was chosen or storage is unavailable (private modes, some WebViews). */
export function readTextSize(): TextSize {
  try {
    const saved = localStorage.getItem(textSizeStorageKey);
    return isTextSize(saved) ? saved : 'standard';
  } catch {
    return 'standard';
  }
}

/** Sets the root font size through `data-text-size` on <html>; everything in rem follows. */
export function applyTextSize(size: TextSize): void {
  document.documentElement.dataset.textSize = size;
}

function saveTextSize(size: TextSize): void {
  applyTextSize(size);
  try {
    localStorage.setItem(textSizeStorageKey, size);
  } catch {
    // Not saved (storage full or blocked): the size still applies until the page is reloaded.
  }
}

const labelId = 'text-size-label';

/** Three buttons in the header, beside the language switch: 标准 / 大 / 特大. */
export function TextSizeSwitch() {
  const { t } = useT();
  const [size, setSize] = useState<TextSize>(() => {
    const current = document.documentElement.dataset.textSize;
    return isTextSize(current) ? current : readTextSize();
  });
  return (
    <div class="text-size-switch" role="group" aria-labelledby={labelId}>
      <span id={labelId} class="text-size-switch__label">
        {t('memberShell.textSize.label')}
      </span>
      <span class="text-size-switch__buttons">
        {textSizes.map((choice) => (
          <button
            key={choice}
            type="button"
            class={`button button--quiet text-size-switch__button text-size-switch__button--${choice}`}
            aria-pressed={choice === size}
            onClick={() => {
              saveTextSize(choice);
              setSize(choice);
            }}
          >
            {t(labelKeys[choice])}
          </button>
        ))}
      </span>
    </div>
  );
}
