import { useState } from 'preact/hooks';
import { languages, setLanguage, type Language } from '../i18n/index.js';
import { useT } from '../i18n/use-t.js';
import { Alert } from './alert.js';

export function LanguageSwitch() {
  const { t, lang } = useT();
  // English is fetched on first choosing it; if that fails the page stays as it is and says why.
  const [failed, setFailed] = useState(false);
  const choose = (code: Language) => {
    setFailed(false);
    setLanguage(code).catch(() => setFailed(true));
  };
  return (
    <>
      <div class="language-switch" role="group" aria-label={t('language.label')}>
        {languages.map(({ code, label }) => (
          <button
            key={code}
            type="button"
            lang={code}
            class="button button--quiet"
            aria-pressed={code === lang}
            onClick={() => choose(code)}
          >
            {label}
          </button>
        ))}
      </div>
      {failed && <Alert message={t('language.loadFailed')} />}
    </>
  );
}
