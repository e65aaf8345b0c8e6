import type { CaptionLang } from '../api/captions.js';
import { useT } from '../i18n/use-t.js';
import type { CaptionsState } from './captions-overlay.js';
import { ChoiceMenu, type Choice } from './choice-menu.js';

/** The control bar's caption menu: off, each language the lecture has, and large captions. */
export function CaptionsMenu({ captions, onAnnounce }: { captions: CaptionsState; onAnnounce(text: string): void }) {
  const { t } = useT();
  if (captions.available.length === 0) return null;
  const choices: Choice<CaptionLang | null>[] = [
    { value: null, label: t('captions.off') },
    ...captions.available.map((lang) => ({ value: lang, label: t(`captions.langName.${lang}`), lang })),
  ];
  return (
    <ChoiceMenu
      className="captions-menu"
      label={t('captions.menu')}
      current={captions.showing ? t(`captions.langName.${captions.showing}`) : t('captions.off')}
      choices={choices}
      selected={captions.showing}
      onChoose={(lang) => {
        captions.show(lang);
        onAnnounce(lang ? t('captions.announceOn', { lang: t(`captions.langName.${lang}`) }) : t('captions.announceOff'));
      }}
      extra={(close) => (
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
      )}
    />
  );
}
