import { REFLECTIONS_REPORT_PATH, reflectionsReport } from '../../api/reflections.js';
import { Alert } from '../../components/alert.js';
import { Breadcrumb } from '../../components/breadcrumb.js';
import { ExportButtons } from '../../components/export-buttons.js';
import { Page } from '../../components/page.js';
import { useResource } from '../../hooks/use-resource.js';
import { useT } from '../../i18n/use-t.js';
import { adminPaths } from '../../reports/paths.js';
import './reflections.css';

/** Reflections sent, reviewed and waiting per unit of the caller's subtree, with wait times; the table is the files' text. */
export function ReflectionsReportPage() {
  const { t, lang } = useT();
  const report = useResource(() => reflectionsReport(lang), [lang]);
  const data = report.data;
  const numeric = (key: string) => key !== 'unit' && key !== 'unitPath';
  return (
    <>
      <Breadcrumb trail={[{ href: adminPaths.reports, label: t('reports.title') }]} current={t('reflections.report.title')} />
      <Page title={t('reflections.report.title')}>
        <p class="lead">{t('reflections.report.intro')}</p>
        <Alert message={report.error && t(report.error)} />
        <p class="status" role="status">
          {report.loading ? t('app.loading') : ''}
        </p>
        {data && (
          <section aria-labelledby="reflections-report-table">
            <h2 id="reflections-report-table">{t('reflections.report.table')}</h2>
            {data.cells.length === 0 ? (
              <p class="notice">{t('reflections.report.empty')}</p>
            ) : (
              <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="reflections-report-table">
                <table class="report-table reflection-report" role="table">
                  <thead role="rowgroup">
                    <tr role="row">
                      {data.columns.map((c) => (
                        <th key={c.key} role="columnheader" scope="col" class={numeric(c.key) ? 'numeric' : undefined}>
                          {c.label}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody role="rowgroup">
                    {data.cells.map((row, i) => (
                      <tr key={data.items[i]?.unitId ?? i} role="row" data-unit-path={data.items[i]?.path}>
                        {data.columns.map((c, j) =>
                          j === 0 ? (
                            <th key={c.key} role="rowheader" scope="row" data-label={c.label}>
                              {row[c.key]}
                            </th>
                          ) : (
                            <td key={c.key} role="cell" class={numeric(c.key) ? 'numeric' : undefined} data-label={c.label}>
                              {row[c.key]}
                            </td>
                          ),
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <ExportButtons path={REFLECTIONS_REPORT_PATH} tableName={t('reflections.report.table')} fileName="reflections" />
          </section>
        )}
      </Page>
    </>
  );
}
