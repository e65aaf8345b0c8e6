import { useT } from '../i18n/use-t.js';
import { durationParts } from './format.js';

/** A duration in words in the current language: "1 小时 5 分钟", "1 h 5 min", "30 s". */
export function useDuration(): { duration: (sec: number) => string } {
  const { t } = useT();
  return {
    duration: (sec) => {
      const { key, ...values } = durationParts(sec);
      return t(key, values);
    },
  };
}
