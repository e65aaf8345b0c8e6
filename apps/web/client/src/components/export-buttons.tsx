import { useState } from 'preact/hooks';
import { downloadFile } from '../api/download.js';
import { withLang, type ReportFormat } from '../api/reports.js';
import { errorKey } from '../i18n/error-key.js';
import { useT } from '../i18n/use-t.js';
import { Icon } from '../player/icons.js';

interface ExportButtonsProps {
  /** The report's own endpoint, with the same filters as the table on screen. */
  path: string;
  /** Names the table, e.g. "Members", for the buttons' spoken labels. */
  tableName: string;
  /** File name if the server does not suggest one (without extension). */
  fileName: string;
}

/** CSV and Excel downloads of a table, from the endpoint the table itself came from, in the page's language. */
export function ExportButtons({ path, tableName, fileName }: ExportButtonsProps) {
  const { t, lang } = useT();
  const [busy, setBusy] = useState<ReportFormat | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  const download = async (format: ReportFormat) => {
    if (busy) return;
    setBusy(format);
    setMessage({ text: t('exports.preparing'), error: false });
    try {
      const name = await downloadFile(withLang(path, lang, format), `${fileName}.${format}`);
      setMessage({ text: t('exports.done', { name }), error: false });
    } catch (failure) {
      setMessage({ text: t(errorKey(failure)), error: true });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div class="export">
      <div class="export__buttons" role="group" aria-label={t('exports.group', { table: tableName })}>
        {(['xlsx', 'csv'] as const).map((format) => (
          <button key={format} type="button" class="button" aria-disabled={busy !== null} onClick={() => void download(format)}>
            <Icon name="download" />
            <span>{busy === format ? t('exports.preparingShort') : t(format === 'xlsx' ? 'exports.xlsx' : 'exports.csv')}</span>
            {/* The visible words stay the start of the spoken name; which table is said after them. */}
            <span class="visually-hidden">{t('exports.ofTable', { table: tableName })}</span>
          </button>
        ))}
      </div>
      <p class={message?.error ? 'export__message export__message--error' : 'export__message'} role="status">
        {message?.text}
      </p>
    </div>
  );
}
