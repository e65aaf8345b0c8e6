import type { CourseCategory } from '../api/types.js';
import type { Language } from '../i18n/index.js';

export { clock } from '../../../../../libs/contracts/src/format.js';

const units = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** "830 KB", "1.4 GB": one decimal below 10 units, none above. */
export function bytes(count: number): string {
  let value = Math.max(0, count);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

export function categoryName(category: Pick<CourseCategory, 'nameZh' | 'nameEn'>, lang: Language): string {
  return lang === 'en' ? category.nameEn : category.nameZh;
}

export function date(iso: string, lang: Language): string {
  const value = new Date(iso);
  if (Number.isNaN(value.getTime())) return '';
  return new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'long', day: 'numeric' }).format(value);
}
