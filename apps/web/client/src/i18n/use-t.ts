import i18next from 'i18next';
import { useEffect, useState } from 'preact/hooks';
import { currentLanguage, type Language } from './index.js';

/** Translation function plus the active language; re-renders the caller when the language changes. */
export function useT(): { t: typeof i18next.t; lang: Language } {
  const [lang, setLang] = useState<Language>(currentLanguage);
  useEffect(() => {
    const onChange = () => setLang(currentLanguage());
    i18next.on('languageChanged', onChange);
    return () => i18next.off('languageChanged', onChange);
  }, []);
  return { t: i18next.t, lang };
}
