import type { MemberListItem, MemberSort, SortOrder } from '../api/members.js';
import type { PositionKind } from '../api/positions.js';
import type { MemberCategory } from '../api/types.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';

interface MemberTableProps {
  items: MemberListItem[];
  sort: MemberSort;
  order: SortOrder;
  busy: boolean;
  categories: MemberCategory[];
  positionKinds: PositionKind[];
  sortLabels: Record<MemberSort, string>;
  onSort(sort: MemberSort): void;
}

/** The unit's names below the committee (the committee itself when the member belongs to it). */
export const unitLabel = (names: string[]) => (names.length > 1 ? names.slice(1) : names).join(' / ');

// Explicit table roles: on phones the rows are restyled as cards, and display:block would drop the implicit ones.
export function MemberTable({ items, sort, order, busy, categories, positionKinds, sortLabels, onSort }: MemberTableProps) {
  const { t, lang } = useT();
  const named = (entry: { nameZh: string; nameEn: string } | undefined, code: string) =>
    entry ? (lang === 'en' ? entry.nameEn : entry.nameZh) : code;
  const columns: Array<{ key: string; label: string; sort?: MemberSort }> = [
    { key: 'name', label: t('orgMembers.col.name'), sort: 'name' },
    { key: 'login', label: t('orgMembers.col.login'), sort: 'login' },
    { key: 'unit', label: t('orgMembers.col.unit'), sort: 'unit' },
    { key: 'category', label: t('orgMembers.col.category'), sort: 'category' },
    { key: 'positions', label: t('orgMembers.col.positions') },
    { key: 'status', label: t('orgMembers.col.status') },
    { key: 'createdAt', label: t('orgMembers.col.createdAt'), sort: 'createdAt' },
  ];
  const label = Object.fromEntries(columns.map((c) => [c.key, c.label]));
  return (
    <table class="members member-list" role="table" aria-busy={busy}>
      <caption class="visually-hidden">{t('orgMembers.caption')}</caption>
      <thead role="rowgroup">
        <tr role="row">
          {columns.map((c) => (
            <th
              key={c.key}
              role="columnheader"
              scope="col"
              aria-sort={c.sort && c.sort === sort ? (order === 'asc' ? 'ascending' : 'descending') : undefined}
            >
              {c.sort ? (
                <button
                  type="button"
                  class="member-sort-button"
                  title={t('orgMembers.sortBy', { column: sortLabels[c.sort] })}
                  onClick={() => onSort(c.sort!)}
                >
                  {c.label}
                  <span class="member-sort-button__arrow" aria-hidden="true">
                    {c.sort === sort ? (order === 'asc' ? '▲' : '▼') : ''}
                  </span>
                </button>
              ) : (
                c.label
              )}
            </th>
          ))}
        </tr>
      </thead>
      <tbody role="rowgroup">
        {items.map((m) => (
          <tr key={m.id} role="row" data-login={m.login}>
            <th role="rowheader" scope="row" data-label={label.name} class="members__name">
              <Link href={`/organisation/members/${encodeURIComponent(m.id)}`}>{m.name}</Link>
            </th>
            <td role="cell" data-label={label.login}>
              {m.login}
            </td>
            <td role="cell" data-label={label.unit} class="members__path">
              {unitLabel(m.unitNames)}
            </td>
            <td role="cell" data-label={label.category}>
              {m.category
                ? named(
                    categories.find((c) => c.code === m.category),
                    m.category,
                  )
                : t('orgMembers.noCategory')}
            </td>
            <td role="cell" data-label={label.positions}>
              {m.positions.length === 0 ? (
                '—'
              ) : (
                <span class="member-list__positions">
                  {m.positions.map((code) => (
                    <span key={code} class="badge">
                      {named(
                        positionKinds.find((p) => p.code === code),
                        code,
                      )}
                    </span>
                  ))}
                </span>
              )}
            </td>
            <td role="cell" data-label={label.status}>
              {m.active ? t('orgMembers.active') : <strong>{t('orgMembers.inactive')}</strong>}
            </td>
            <td role="cell" data-label={label.createdAt}>
              {new Date(m.createdAt).toLocaleDateString(lang === 'en' ? 'en-GB' : 'zh-CN')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
