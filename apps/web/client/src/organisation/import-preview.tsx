import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { listMemberCategories } from '../api/endpoints.js';
import { downloadRejected, type ImportPreview } from '../api/member-import.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import type { Column } from './fields.js';

const FIRST = 20;
const MORE = 50;

interface PreviewProps {
  preview: ImportPreview;
  confirming: boolean;
  onConfirm(): void;
  onStartAgain(): void;
}

/** What the file would do, row by row: counts, the rows that cannot be imported (with why), new and updated people. */
export function ImportPreviewView({ preview, confirming, onConfirm, onStartAgain }: PreviewProps) {
  const { t, lang } = useT();
  const { counts } = preview;
  const nothing = counts.create + counts.update === 0;
  const heading = useRef<HTMLHeadingElement>(null);
  // The preview replaces the file picker: move there, so a screen reader reads it next.
  useEffect(() => heading.current?.focus(), [preview.id]);
  const [download, setDownload] = useState<string>('');
  const [downloading, setDownloading] = useState(false);

  const getRejected = async (format: 'csv' | 'xlsx') => {
    setDownloading(true);
    setDownload('');
    try {
      const name = await downloadRejected(preview.id, lang, format, `rejected.${format}`);
      setDownload(t('orgImport.downloaded', { name }));
    } catch {
      setDownload(t('orgImport.downloadFailed'));
    } finally {
      setDownloading(false);
    }
  };
  const active = (value: boolean) => (value ? t('orgImport.yes') : t('orgImport.no'));
  // Categories by their name in the page's language (the preview carries their codes).
  const categories = useResource(() => listMemberCategories(), []);
  const shown = (code: string | null) => {
    if (code === null) return t('orgImport.none');
    const category = categories.data?.find((c) => c.code === code);
    return category ? (lang === 'en' ? category.nameEn : category.nameZh) : code;
  };

  // Columns the three kinds of row share.
  const line: Column<{ line: number }> = { label: t('orgImport.col.line'), cell: (row) => row.line };
  const login: Column<{ login: string }> = { label: t('orgImport.col.login'), class: 'import-table__code', cell: (row) => row.login };
  const name: Column<{ name: string }> = { label: t('orgImport.col.name'), cell: (row) => row.name };
  const unit: Column<{ unitPath: string }> = { label: t('orgImport.col.unit'), class: 'members__path', cell: (row) => row.unitPath };
  const changeList = (changes: ImportPreview['updated'][number]['changes']) => (
    <ul class="import-changes">
      {changes.name && (
        <li>
          {t('orgImport.change', {
            what: t('orgImport.changeWhat.name'),
            from: changes.name.from,
            to: changes.name.to,
          })}
        </li>
      )}
      {changes.category && (
        <li>
          {t('orgImport.change', {
            what: t('orgImport.changeWhat.category'),
            from: shown(changes.category.from),
            to: shown(changes.category.to),
          })}
        </li>
      )}
      {changes.active && (
        <li>
          {t('orgImport.change', {
            what: t('orgImport.changeWhat.active'),
            from: active(changes.active.from),
            to: active(changes.active.to),
          })}
        </li>
      )}
    </ul>
  );

  return (
    <section class="import-preview" aria-labelledby="import-preview-title">
      <h2 id="import-preview-title" ref={heading} tabIndex={-1}>
        {t('orgImport.previewTitle', { name: preview.fileName })}
      </h2>
      <p>{t('orgImport.previewIntro')}</p>
      <p class="hint">{t(`orgImport.encoding.${preview.encoding}`)}</p>
      <ul class="import-counts" aria-label={t('orgImport.tabs.label')}>
        <li>{t('orgImport.counts.total', { count: counts.total })}</li>
        <li class="import-counts__create">{t('orgImport.counts.create', { count: counts.create })}</li>
        <li class="import-counts__update">{t('orgImport.counts.update', { count: counts.update })}</li>
        {counts.unchanged > 0 && <li>{t('orgImport.counts.unchanged', { count: counts.unchanged })}</li>}
        <li class={counts.reject > 0 ? 'import-counts__reject' : undefined}>{t('orgImport.counts.reject', { count: counts.reject })}</li>
      </ul>

      <div class="actions import-actions">
        <button
          type="button"
          class="button button--primary button--big"
          disabled={nothing || confirming}
          aria-describedby={nothing ? 'import-nothing' : undefined}
          onClick={onConfirm}
        >
          {confirming ? t('orgImport.confirming') : t('orgImport.confirmCount', { create: counts.create, update: counts.update })}
        </button>
        <button type="button" class="button" disabled={confirming} onClick={onStartAgain}>
          {t('orgImport.startAgain')}
        </button>
      </div>
      {nothing && (
        <p id="import-nothing" class="hint">
          {t('orgImport.nothingToDo')}
        </p>
      )}

      <RowSection
        id="import-rejected"
        title={t('orgImport.tabs.reject', { count: counts.reject })}
        total={counts.reject}
        listed={preview.rejected.length}
        none={t('orgImport.noneReject')}
        moreKey="orgImport.andMoreRejected"
      >
        {(limit) => (
          <>
            <p class="actions">
              <button type="button" class="button" disabled={downloading} onClick={() => void getRejected('csv')}>
                {downloading ? t('orgImport.downloading') : t('orgImport.downloadRejected')}
              </button>
              <button type="button" class="button button--quiet" disabled={downloading} onClick={() => void getRejected('xlsx')}>
                {t('orgImport.downloadRejectedXlsx')}
              </button>
            </p>
            <p class="status" role="status">
              {download}
            </p>
            <p class="hint">{t('orgImport.fixHint')}</p>
            <ImportRowsTable
              rows={preview.rejected.slice(0, limit)}
              columns={[
                line,
                login,
                name,
                {
                  label: t('orgImport.col.reason'),
                  class: 'import-table__reason',
                  cell: (row) => (lang === 'en' ? row.reason : row.reasonZh),
                },
              ]}
            />
          </>
        )}
      </RowSection>

      <RowSection
        id="import-created"
        title={t('orgImport.tabs.create', { count: counts.create })}
        total={counts.create}
        listed={preview.created.length}
        none={t('orgImport.noneCreate')}
        moreKey="orgImport.andMore"
      >
        {(limit) => (
          <ImportRowsTable
            rows={preview.created.slice(0, limit)}
            columns={[
              line,
              login,
              name,
              unit,
              { label: t('orgImport.col.category'), cell: (row) => shown(row.category) },
              { label: t('orgImport.col.active'), cell: (row) => active(row.active) },
            ]}
          />
        )}
      </RowSection>

      <RowSection
        id="import-updated"
        title={t('orgImport.tabs.update', { count: counts.update })}
        total={counts.update}
        listed={preview.updated.length}
        none={t('orgImport.noneUpdate')}
        moreKey="orgImport.andMore"
      >
        {(limit) => (
          <ImportRowsTable
            rows={preview.updated.slice(0, limit)}
            columns={[line, login, unit, { label: t('orgImport.col.changes'), cell: ({ changes }) => changeList(changes) }]}
          />
        )}
      </RowSection>
    </section>
  );
}

interface RowSectionProps {
  id: string;
  title: string;
  /** Exact number of rows of this kind. */
  total: number;
  /** How many of them the preview lists. */
  listed: number;
  none: string;
  moreKey: 'orgImport.andMore' | 'orgImport.andMoreRejected';
  children(limit: number): ComponentChildren;
}

/** One kind of row: the first few, a button for more of those listed, and how many are not listed. */
function RowSection({ id, title, total, listed, none, moreKey, children }: RowSectionProps) {
  const { t } = useT();
  const [limit, setLimit] = useState(FIRST);
  const visible = Math.min(limit, listed);
  return (
    <section class="panel import-section" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {total === 0 ? <p class="hint">{none}</p> : children(limit)}
      {visible < listed && (
        <p class="actions">
          <button type="button" class="button" onClick={() => setLimit((n) => n + MORE)}>
            {t('orgImport.andMore', { count: total - visible })}
          </button>
        </p>
      )}
      {visible >= listed && total > listed && <p class="hint">{t(moreKey, { count: total - listed })}</p>}
    </section>
  );
}

/** One kind of row of the preview: its columns as data, each cell labelled for the stacked phone layout. */
function ImportRowsTable<Row extends { line: number }>({
  rows,
  columns,
}: {
  rows: readonly Row[];
  columns: readonly Column<NoInfer<Row>>[];
}) {
  return (
    <table class="members import-table">
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.label} scope="col">
              {column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.line}>
            {columns.map((column) => (
              <td key={column.label} data-label={column.label} class={column.class}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
