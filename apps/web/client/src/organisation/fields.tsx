import type { ComponentChildren } from 'preact';
import type { Role } from '../api/types.js';
import { useT } from '../i18n/use-t.js';

/** Anything named in both languages: member categories and kinds of position. */
export interface Named {
  code: string;
  nameZh: string;
  nameEn: string;
}

interface NamedSelectProps {
  id: string;
  label: string;
  value: string;
  /** The first option, for "none" or "any". */
  emptyLabel: string;
  options: readonly Named[];
  onChange(code: string): void;
}

/** A select of named codes, each shown in the page's language, after an empty first option. */
export function NamedSelect({ id, label, value, emptyLabel, options, onChange }: NamedSelectProps) {
  const { lang } = useT();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">{emptyLabel}</option>
        {options.map((option) => (
          <option key={option.code} value={option.code}>
            {lang === 'en' ? option.nameEn : option.nameZh}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The role an account has, among those an admin may give. */
export function RoleSelect({ id, value, onChange }: { id: string; value: Role; onChange(role: Role): void }) {
  const { t } = useT();
  return (
    <div class="field">
      <label for={id}>{t('orgMembers.role')}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value as Role)}>
        {(['member', 'editor', 'admin', 'inspector'] as const).map((r) => (
          <option key={r} value={r}>
            {t(`roles.${r}`)}
          </option>
        ))}
      </select>
    </div>
  );
}

export interface Column<Row> {
  /** The header, also each cell's label when the table is stacked on a phone. */
  label: string;
  class?: string;
  cell(row: Row): ComponentChildren;
}

interface DataTableProps<Row> {
  /** Named by a label, or by a caption shown above the rows. */
  label?: string;
  caption?: { id: string; text: string };
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey(row: Row): string | number;
}

/** A plain table of rows, one column per entry of `columns`, that stacks into labelled cards on a phone. */
export function DataTable<Row>({ label, caption, columns, rows, rowKey }: DataTableProps<Row>) {
  return (
    <table class="members" role="table" aria-label={label} aria-labelledby={caption?.id}>
      {caption && <caption id={caption.id}>{caption.text}</caption>}
      <thead role="rowgroup">
        <tr role="row">
          {columns.map((column) => (
            <th key={column.label} role="columnheader" scope="col">
              {column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody role="rowgroup">
        {rows.map((row) => (
          <tr key={rowKey(row)} role="row">
            {columns.map((column) => (
              <td key={column.label} role="cell" data-label={column.label} class={column.class}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
