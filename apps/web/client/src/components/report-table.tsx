import type { ComponentChildren } from 'preact';

interface ReportTableProps<K extends string> {
  /** Read by screen readers as the table's name. */
  caption: string;
  /** The columns in order: key → header. */
  columns: Record<K, string>;
  /** Columns of text (left-aligned); every other column holds figures. */
  textColumns?: readonly K[];
  /** Classes beside `report-table`. */
  tableClass?: string;
  /** Given, the scrolling frame is a focusable region with this name, so a keyboard can scroll a wide table. */
  scrollLabel?: string;
  /** The body's rows. */
  children: ComponentChildren;
}

/** A report's table in its scrolling frame: a caption for screen readers, the header row of its columns, and the rows given. */
export function ReportTable<K extends string>({
  caption,
  columns,
  textColumns = [],
  tableClass,
  scrollLabel,
  children,
}: ReportTableProps<K>) {
  const headers = Object.entries(columns) as Array<[K, string]>;
  const table = (
    <table class={tableClass ? `report-table ${tableClass}` : 'report-table'} role="table">
      <caption class="visually-hidden">{caption}</caption>
      <thead role="rowgroup">
        <tr role="row">
          {headers.map(([key, label]) => (
            <th key={key} role="columnheader" scope="col" class={textColumns.includes(key) ? undefined : 'numeric'}>
              {label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody role="rowgroup">{children}</tbody>
    </table>
  );
  return scrollLabel ? (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={scrollLabel}>
      {table}
    </div>
  ) : (
    <div class="table-scroll">{table}</div>
  );
}
