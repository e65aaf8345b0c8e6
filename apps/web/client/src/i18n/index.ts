import i18next from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import en from './en.js';
import zhCN from './zh-CN.js';

export const languages = [
  { code: 'zh-CN', label: '中文' },
  { code: 'en', label: 'English' },
] as const;

export type Language = (typeof languages)[number]['code'];

const storageKey = 'lectern.lang';

declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: typeof zhCN };
  }
}

export async function initI18n(): Promise<void> {
  i18next.on('languageChanged', (lng) => {
    document.documentElement.lang = lng;
  });
  await i18next.use(LanguageDetector).init({
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    supportedLngs: languages.map((l) => l.code),
    // Most members read Chinese, so it wins whenever the browser offers neither language.
    fallbackLng: 'zh-CN',
    load: 'currentOnly',
    interpolation: { escapeValue: false },
    detection: {
      order: ['localStorage', 'navigator'],
      lookupLocalStorage: storageKey,
      caches: ['localStorage'],
    },
  });
}

export function currentLanguage(): Language {
  return i18next.resolvedLanguage === 'en' ? 'en' : 'zh-CN';
}

export function setLanguage(lng: Language): Promise<unknown> {
  return i18next.changeLanguage(lng);
}
