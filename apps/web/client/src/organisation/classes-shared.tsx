import { ApiError } from '../api/api.js';
import type { OrgUnitNode } from '../api/types.js';
import { errorKey } from '../i18n/error-key.js';
import type { useT } from '../i18n/use-t.js';

export type Translate = ReturnType<typeof useT>['t'];

/** A failed request in the reader's words, with the server's own sentence when it refused the input. */
export function failureText(failure: unknown, t: Translate): string {
  const base = t(errorKey(failure));
  if (failure instanceof ApiError && [400, 404, 409].includes(failure.status) && failure.message) {
    return `${base} ${t('errors.details', { message: failure.message })}`;
  }
  return base;
}

export const isWithin = (path: string, root: string) => path === root || path.startsWith(`${root}/`);

/** Unit options indented by depth, so the tree reads in a plain select. */
export function UnitOptions({ units }: { units: OrgUnitNode[] }) {
  const top = Math.min(...units.map((u) => u.depth));
  return (
    <>
      {units.map((unit) => (
        <option key={unit.id} value={unit.id}>
          {`${'\u3000'.repeat(unit.depth - top)}${unit.name}`}
        </option>
      ))}
    </>
  );
}

/** A timestamp as a calendar day in the reader's language. */
export function dayOf(timestamp: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium' }).format(new Date(timestamp));
}
