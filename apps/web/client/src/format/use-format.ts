import { useT } from '../i18n/use-t.js';
import { formatDuration, formatHours } from './duration.js';

/**
 * Durations in words in the current language, by the one rule every page and export uses:
 * "45 秒", "1 分 30 秒", "12 分钟", "1 小时 5 分" / "45 s", "1 min 30 s", "12 min", "1 h 5 min".
 */
export function useDuration(): { duration: (sec: number) => string; hours: (hours: number) => string } {
  const { lang } = useT();
  return {
    duration: (sec) => formatDuration(sec, lang),
    hours: (hours) => formatHours(hours, lang),
  };
}
