import { useState } from 'preact/hooks';
import {
  PENDING_PAGE_SIZE,
  nonRespondents,
  questionnaireResultPaths,
  responseRates,
  sendReminders,
  type NonRespondentPage,
  type ResponseRates,
} from '../../api/questionnaire-results.js';
import { Alert } from '../../components/alert.js';
import { Breadcrumb } from '../../components/breadcrumb.js';
import { ExportButtons } from '../../components/export-buttons.js';
import { Page } from '../../components/page.js';
import { Stat } from '../../components/stat.js';
import { count, shareText } from '../../format/numbers.js';
import { useResource } from '../../hooks/use-resource.js';
import { errorKey } from '../../i18n/error-key.js';
import { useT } from '../../i18n/use-t.js';
import { NumericCell } from '../../reports/numeric-cell.js';
import { Link } from '../../router/link.js';
import './results.css';

/** How many of the audience answered, per unit; who has not yet (to phone, or remind in the app). */
export function ResponseRatePage({ questionnaireId }: { questionnaireId: string }) {
  const { t, lang } = useT();
  const rates = useResource(() => responseRates(questionnaireId, lang), [questionnaireId, lang]);
  const data = rates.data;
  const title = data ? `${data.questionnaire.title}：${t('questionnaireResults.rates.title')}` : t('questionnaireResults.rates.title');
  return (
    <>
      <Breadcrumb
        trail={[
          { href: '/voice/questionnaires', label: t('questionnaireResults.questionnaires') },
          { href: `/voice/questionnaires/${questionnaireId}/results`, label: data?.questionnaire.title ?? t('questionnaireResults.title') },
        ]}
        current={t('questionnaireResults.rates.title')}
      />
      <Page title={title}>
        <Alert message={rates.error && t(rates.error)} />
        {rates.loading && !data && (
          <p class="status" role="status">
            {t('app.loading')}
          </p>
        )}
        {data && (
          <>
            {data.questionnaire.anonymous && <p class="notice">{t('questionnaireResults.rates.anonymousNote')}</p>}
            <div class="actions">
              <Link class="button" href={`/voice/questionnaires/${questionnaireId}/results`}>
                {t('questionnaireResults.toResults')}
              </Link>
            </div>
            <dl class="stat-grid">
              <Stat label={t('questionnaireResults.rates.audience')} value={count(data.audience, lang)} />
              <Stat label={t('questionnaireResults.rates.responded')} value={count(data.responded, lang)} />
              <Stat label={t('questionnaireResults.rates.rate')} value={data.rate === null ? '—' : shareText(data.rate, lang)} />
            </dl>
            <RateTable questionnaireId={questionnaireId} rates={data} />
            <Pending questionnaireId={questionnaireId} rates={data} onReminded={rates.reload} />
          </>
        )}
      </Page>
    </>
  );
}

function RateTable({ questionnaireId, rates }: { questionnaireId: string; rates: ResponseRates }) {
  const { t, lang } = useT();
  const label = {
    unit: t('questionnaireResults.rates.colUnit'),
    audience: t('questionnaireResults.rates.audience'),
    responded: t('questionnaireResults.rates.responded'),
    rate: t('questionnaireResults.rates.rate'),
  };
  return (
    <section aria-labelledby="q-rates">
      <h2 id="q-rates">{t('questionnaireResults.rates.unitsTitle')}</h2>
      <div class="table-scroll">
        <table class="report-table" role="table">
          <caption class="visually-hidden">{t('questionnaireResults.rates.unitsCaption')}</caption>
          <thead role="rowgroup">
            <tr role="row">
              <th role="columnheader" scope="col">
                {label.unit}
              </th>
              <th role="columnheader" scope="col" class="numeric">
                {label.audience}
              </th>
              <th role="columnheader" scope="col" class="numeric">
                {label.responded}
              </th>
              <th role="columnheader" scope="col" class="numeric">
                {label.rate}
              </th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            {rates.items.map((u) => (
              <tr key={u.unitId} role="row">
                <th role="rowheader" scope="row" data-label={label.unit}>
                  <span class="q-rates__unit unit-cell__inner" style={{ paddingInlineStart: `${Math.min(u.depth, 4) * 1}rem` }}>
                    {u.name}
                  </span>
                </th>
                <NumericCell label={label.audience}>{count(u.audience, lang)}</NumericCell>
                <NumericCell label={label.responded}>{count(u.responded, lang)}</NumericCell>
                <NumericCell label={label.rate}>{u.rate === null ? '—' : shareText(u.rate, lang)}</NumericCell>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ExportButtons
        path={questionnaireResultPaths.rates(questionnaireId)}
        tableName={t('questionnaireResults.rates.tableName')}
        fileName={t('questionnaireResults.rates.tableName')}
      />
    </section>
  );
}

/** The members not yet answered under a unit of the caller's choice, with the files and the in-app reminder. */
function Pending({ questionnaireId, rates, onReminded }: { questionnaireId: string; rates: ResponseRates; onReminded(): void }) {
  const { t, lang } = useT();
  const [unitId, setUnitId] = useState<string>(rates.unit.id);
  const [pageNo, setPageNo] = useState(1);
  const scoped = unitId === rates.unit.id ? undefined : unitId;
  const list = useResource(() => nonRespondents(questionnaireId, lang, scoped, pageNo), [questionnaireId, lang, scoped, pageNo]);
  const [confirming, setConfirming] = useState(false);
  const [sending, setSending] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const page: NonRespondentPage | null = list.data;
  const pages = page ? Math.max(1, Math.ceil(page.total / PENDING_PAGE_SIZE)) : 1;
  const label = {
    name: t('questionnaireResults.rates.colName'),
    login: t('questionnaireResults.rates.colLogin'),
    unit: t('questionnaireResults.rates.colUnit'),
    category: t('questionnaireResults.rates.colCategory'),
    progress: t('questionnaireResults.rates.colProgress'),
  };

  const remind = async () => {
    setSending(true);
    setMessage(null);
    try {
      const { reminded } = await sendReminders(questionnaireId, scoped);
      setMessage({ text: t('questionnaireResults.rates.reminded', { n: count(reminded, lang) }), error: false });
      setConfirming(false);
      onReminded();
    } catch (failure) {
      setMessage({ text: t(errorKey(failure)), error: true });
    } finally {
      setSending(false);
    }
  };

  return (
    <section aria-labelledby="q-pending">
      <h2 id="q-pending">{t('questionnaireResults.rates.pendingTitle')}</h2>
      <p class="hint">{t('questionnaireResults.rates.pendingHint')}</p>
      <div class="field">
        <label for="q-pending-unit">{t('questionnaireResults.rates.unitFilter')}</label>
        <select
          id="q-pending-unit"
          value={unitId}
          onChange={(e) => {
            setUnitId(e.currentTarget.value);
            setPageNo(1);
            setConfirming(false);
          }}
        >
          {rates.items.map((u) => (
            <option key={u.unitId} value={u.unitId}>
              {`${'　'.repeat(Math.min(u.depth, 4))}${u.name}`}
            </option>
          ))}
        </select>
      </div>
      <Alert message={list.error && t(list.error)} />
      <p class="status" role="status">
        {list.loading
          ? t('app.loading')
          : page && page.total === 0
            ? t('questionnaireResults.rates.noneLeft')
            : page
              ? t('questionnaireResults.rates.total', { n: count(page.total, lang) })
              : ''}
      </p>
      {page && page.items.length > 0 && (
        <>
          <div class="table-scroll">
            <table class="report-table" role="table" aria-busy={list.loading}>
              <caption class="visually-hidden">{t('questionnaireResults.rates.pendingCaption')}</caption>
              <thead role="rowgroup">
                <tr role="row">
                  {Object.entries(label).map(([key, text]) => (
                    <th key={key} role="columnheader" scope="col">
                      {text}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody role="rowgroup">
                {page.items.map((m) => (
                  <tr key={m.userId} role="row">
                    <th role="rowheader" scope="row" data-label={label.name}>
                      {m.name}
                    </th>
                    <td role="cell" data-label={label.login}>
                      {m.login}
                    </td>
                    <td role="cell" data-label={label.unit}>
                      {m.unitName}
                    </td>
                    <td role="cell" data-label={label.category}>
                      {m.category ?? '—'}
                    </td>
                    <td role="cell" data-label={label.progress}>
                      {m.started ? t('questionnaireResults.rates.started') : t('questionnaireResults.rates.notStarted')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {pages > 1 && (
            <nav class="pager" aria-label={t('questionnaireResults.written.page', { page: pageNo, pages })}>
              <button type="button" class="button" disabled={pageNo <= 1} onClick={() => setPageNo((p) => p - 1)}>
                {t('questionnaireResults.written.previous')}
              </button>
              <span>{t('questionnaireResults.written.page', { page: pageNo, pages })}</span>
              <button type="button" class="button" disabled={pageNo >= pages} onClick={() => setPageNo((p) => p + 1)}>
                {t('questionnaireResults.written.next')}
              </button>
            </nav>
          )}
          <ExportButtons
            path={questionnaireResultPaths.pending(questionnaireId, scoped)}
            tableName={t('questionnaireResults.rates.pendingTableName')}
            fileName={t('questionnaireResults.rates.pendingTableName')}
          />
          <div class="q-remind">
            {!confirming ? (
              <button type="button" class="button button--primary button--big" onClick={() => setConfirming(true)}>
                {t('questionnaireResults.rates.remind')}
              </button>
            ) : (
              <>
                <p>{t('questionnaireResults.rates.remindConfirm', { n: count(page.total, lang) })}</p>
                <div class="actions">
                  <button type="button" class="button button--primary" aria-disabled={sending} onClick={() => !sending && void remind()}>
                    {sending ? t('questionnaireResults.rates.sending') : t('questionnaireResults.rates.confirm')}
                  </button>
                  <button type="button" class="button" onClick={() => setConfirming(false)}>
                    {t('questionnaireResults.rates.cancel')}
                  </button>
                </div>
              </>
            )}
          </div>
        </>
      )}
      <p class={message?.error ? 'export__message export__message--error' : 'export__message'} role="status">
        {message?.text}
      </p>
    </section>
  );
}
