import { downloadTemplate } from '../api/member-import.js';
import { useT } from '../i18n/use-t.js';

const COLUMNS = ['name', 'login', 'unit', 'category', 'active'] as const;

/** What the list's columns mean, and a template to fill in (CSV with a BOM and Chinese headers). */
export function ImportHelp() {
  const { t } = useT();
  const template = () =>
    downloadTemplate(
      [t('orgImport.templateRows.header'), t('orgImport.templateRows.example1'), t('orgImport.templateRows.example2')].map((line) =>
        line.split(','),
      ),
      t('orgImport.templateName'),
    );
  return (
    <section class="panel import-help" aria-labelledby="import-columns">
      <h2 id="import-columns">{t('orgImport.columnsTitle')}</h2>
      <p>{t('orgImport.columnsIntro')}</p>
      <ul class="import-help__columns">
        {COLUMNS.map((column) => (
          <li key={column}>{t(`orgImport.columns.${column}`)}</li>
        ))}
      </ul>
      <p class="hint">{t('orgImport.encodings')}</p>
      <p class="hint">{t('orgImport.passwords')}</p>
      <p class="actions">
        <button type="button" class="button" onClick={template}>
          {t('orgImport.template')}
        </button>
      </p>
    </section>
  );
}
