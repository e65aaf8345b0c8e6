import { languages, setLanguage } from '../i18n/index.js';
import { useT } from '../i18n/use-t.js';

export function LanguageSwitch() {
  const { t, lang } = useT();
  return (
    <div class="language-switch" role="group" aria-label={t('language.label')}>
      {languages.map(({ code, label }) => (
        <button
          key={code}
          type="button"
          lang={code}
          class="button button--quiet"
          aria-pressed={code === lang}
          onClick={() => void setLanguage(code)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
