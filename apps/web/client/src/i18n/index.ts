import i18next from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { chunk } from '../router/chunk.js';
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

/*
 * Chinese, the language of most members, is part of the first load; English is its own chunk, fetched only
 * when a person chooses it or their stored choice or browser asks for it. Awaiting whichever language is
 * active before the first paint instead would cost every Chinese reader a second round trip on a slow
 * connection; this way only English readers wait for one extra file (about 40 kB gzipped), requested as soon
 * as the stored choice or browser language is read, and their first paint is still in English: the app is
 * drawn only once it has arrived, so no Chinese or message keys ever flash.
 */
const english = chunk(() => import('./en.js').then((module) => module.default));

/** Fetches English once and adds it to i18next; settles at once when it is already here. */
async function loadEnglish(): Promise<void> {
  const messages = await english.load();
  if (!i18next.hasResourceBundle('en', 'translation')) i18next.addResourceBundle('en', 'translation', messages);
}

export async function initI18n(): Promise<void> {
  i18next.on('languageChanged', () => {
    // The language actually shown: Chinese while English is still (or could not be) fetched.
    document.documentElement.lang = currentLanguage();
  });
  await i18next.use(LanguageDetector).init({
    resources: { 'zh-CN': { translation: zhCN } },
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
  if (i18next.language !== 'en') return;
  try {
    await loadEnglish();
    await i18next.changeLanguage('en');
  } catch {
    // Offline between the page and its English: the app opens in Chinese (the fallback), and the stored
    // choice stays English, so the next load asks for English again.
  }
}

export function currentLanguage(): Language {
  return i18next.resolvedLanguage === 'en' ? 'en' : 'zh-CN';
}

/** The language last asked for, so a slow English fetch never overrides a later choice of Chinese. */
let requested: Language | null = null;

/**
 * Shows the app in `lng`, fetching English first if needed. Rejects, leaving the current language, when
 * English could not be fetched (offline, or a release replaced the files the open tab knows).
 */
export async function setLanguage(lng: Language): Promise<void> {
  requested = lng;
  if (lng === 'en') await loadEnglish();
  if (requested === lng) await i18next.changeLanguage(lng);
}
