import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { CaptionLang } from '../api/captions.js';
import { useT } from '../i18n/use-t.js';
import type { CaptionsState } from './captions-overlay.js';

/**
 * The control bar's caption menu: off, each language the lecture has, and large captions. Built like the other
 * player menus (a disclosure with pressed buttons; Escape closes and returns focus).
 */
export function CaptionsMenu({ captions, onAnnounce }: { captions: CaptionsState; onAnnounce(text: string): void }) {
  const { t } = useT();
  const [open, setOpen] = useState(false);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const away = (event: Event) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', away);
    document.addEventListener('focusin', away);
    root.current?.querySelector<HTMLButtonElement>('.choice-menu__item[aria-pressed="true"]')?.focus();
    return () => {
      document.removeEventListener('pointerdown', away);
      document.removeEventListener('focusin', away);
    };
  }, [open]);

  if (captions.available.length === 0) return null;
  const close = () => {
    setOpen(false);
    toggle.current?.focus();
  };
  const choose = (lang: CaptionLang | null) => {
    captions.show(lang);
    onAnnounce(lang ? t('captions.announceOn', { lang: t(`captions.langName.${lang}`) }) : t('captions.announceOff'));
    close();
  };
  const current = captions.showing ? t(`captions.langName.${captions.showing}`) : t('captions.off');

  return (
    <div
      class="choice-menu captions-menu"
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
        <span class="choice-menu__label">{t('captions.menu')}</span> <span class="choice-menu__current">{current}</span>
      </button>
      <div id={id} class="choice-menu__panel" role="group" aria-label={t('captions.menu')} hidden={!open}>
        <button type="button" class="choice-menu__item" aria-pressed={captions.showing === null} onClick={() => choose(null)}>
          {t('captions.off')}
        </button>
        {captions.available.map((lang) => (
          <button
            key={lang}
            type="button"
            class="choice-menu__item"
            lang={lang}
            aria-pressed={captions.showing === lang}
            onClick={() => choose(lang)}
          >
            {t(`captions.langName.${lang}`)}
          </button>
        ))}
        <button
          type="button"
          class="choice-menu__item captions-menu__large"
          aria-pressed={captions.large}
          onClick={() => {
            captions.setLarge(!captions.large);
            close();
          }}
        >
          {t('captions.large')}
        </button>
      </div>
    </div>
  );
}
