import type { Member, MemberCategory } from '../api/types.js';
import { useT } from '../i18n/use-t.js';

interface MemberTableProps {
  members: Member[];
  categories: MemberCategory[];
  busy: boolean;
}

// Explicit table roles: on phones the rows are restyled as cards, and display:block would drop the implicit ones.
export function MemberTable({ members, categories, busy }: MemberTableProps) {
  const { t, lang } = useT();
  const categoryName = (code: string | null) => {
    if (code === null) return t('organisation.noCategory');
    const category = categories.find((c) => c.code === code);
    if (!category) return code;
    return lang === 'en' ? category.nameEn : category.nameZh;
  };
  const columns = {
    name: t('organisation.name'),
    login: t('organisation.login'),
    unitPath: t('organisation.unitPath'),
    category: t('organisation.category'),
    active: t('organisation.active'),
  };
  return (
    <table class="members" role="table" aria-busy={busy}>
      <caption>{t('organisation.caption')}</caption>
      <thead role="rowgroup">
        <tr role="row">
          {Object.values(columns).map((label) => (
            <th key={label} role="columnheader" scope="col">
              {label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody role="rowgroup">
        {members.map((member) => (
          <tr key={member.id} role="row">
            <td role="cell" data-label={columns.name} class="members__name">
              {member.name}
            </td>
            <td role="cell" data-label={columns.login}>
              {member.login}
            </td>
            <td role="cell" data-label={columns.unitPath} class="members__path">
              {member.orgUnit.path}
            </td>
            <td role="cell" data-label={columns.category}>
              {categoryName(member.category)}
            </td>
            <td role="cell" data-label={columns.active}>
              {member.active ? t('organisation.isActive') : t('organisation.isInactive')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
