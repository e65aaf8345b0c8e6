import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  SEARCH_MAX,
  TEXT_PAGE_SIZE,
  questionnaireResultPaths,
  questionnaireResults,
  textAnswers,
  type BreakdownBy,
  type BreakdownGroup,
  type QuestionnaireResults,
  type QuestionTally,
  type QuestionnaireResultQuestion,
  type TextAnswerPage,
} from '../../api/questionnaire-results.js';
import { Alert } from '../../components/alert.js';
import { Breadcrumb } from '../../components/breadcrumb.js';
import { BarChart } from '../../components/charts.js';
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

type T = ReturnType<typeof useT>['t'];
type Lang = ReturnType<typeof useT>['lang'];

const decimal = (value: number, lang: Lang) => new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(value);
const short = (text: string, max = 40) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A questionnaire's results: figures per question as charts, a breakdown by category or unit, and the written answers. */
export function QuestionnaireResultsPage({ questionnaireId }: { questionnaireId: string }) {
  const { t, lang } = useT();
  const [by, setBy] = useState<BreakdownBy>('category');
  const [unitId, setUnitId] = useState<string | undefined>(undefined);
  const results = useResource(() => questionnaireResults(questionnaireId, by, lang, unitId), [questionnaireId, by, lang, unitId]);
  const data = results.data;
  const title = data?.questionnaire.title ?? t('questionnaireResults.title');
  return (
    <>
      <Breadcrumb trail={[{ href: '/voice/questionnaires', label: t('questionnaireResults.questionnaires') }]} current={title} />
      <Page title={title}>
        <Alert message={results.error && t(results.error)} />
        {results.loading && !data && (
          <p class="status" role="status">
            {t('app.loading')}
          </p>
        )}
        {data && (
          <Results
            data={data}
            by={by}
            onBy={setBy}
            ownUnit={unitId === undefined}
            onUnit={setUnitId}
            questionnaireId={questionnaireId}
            loading={results.loading}
          />
        )}
      </Page>
    </>
  );
}

function Results({
  data,
  by,
  onBy,
  ownUnit,
  onUnit,
  questionnaireId,
  loading,
}: {
  data: QuestionnaireResults;
  by: BreakdownBy;
  onBy(by: BreakdownBy): void;
  ownUnit: boolean;
  onUnit(unitId: string | undefined): void;
  questionnaireId: string;
  loading: boolean;
}) {
  const { t, lang } = useT();
  return (
    <div class="q-results" aria-busy={loading}>
      <p class="q-results__lead">
        <span class="badge">{data.questionnaire.anonymous ? t('questionnaireResults.anonymous') : t('questionnaireResults.named')}</span>{' '}
        {t('questionnaireResults.scope', { unit: data.unit.name })}
      </p>
      <div class="actions">
        <Link class="button" href={`/voice/questionnaires/${questionnaireId}/responses`}>
          {t('questionnaireResults.toResponses')}
        </Link>
        {!ownUnit && (
          <button type="button" class="button" onClick={() => onUnit(undefined)}>
            {t('questionnaireResults.backToMine')}
          </button>
        )}
      </div>
      <dl class="stat-grid">
        <Stat
          label={t('questionnaireResults.respondents')}
          value={data.respondents === null ? t('questionnaireResults.tooFew') : count(data.respondents, lang)}
        />
      </dl>
      <p class="hint">{t('questionnaireResults.rule', { min: data.minGroup })}</p>
      {data.suppressed ? (
        <p class="notice">{t('questionnaireResults.hiddenTotal')}</p>
      ) : (
        <>
          <fieldset class="choices q-results__by">
            <legend>{t('questionnaireResults.breakdown')}</legend>
            {(['category', 'unit'] as const).map((option) => (
              <label key={option} class="choice">
                <input type="radio" name="breakdown" value={option} checked={by === option} onChange={() => onBy(option)} />
                {option === 'category' ? t('questionnaireResults.byCategory') : t('questionnaireResults.byUnit')}
              </label>
            ))}
          </fieldset>
          <Groups groups={data.breakdown.groups} unitName={data.unit.name} onUnit={onUnit} />
        </>
      )}
      {data.questions.map((question, index) => (
        <QuestionResult
          key={question.questionId}
          question={question}
          groups={data.breakdown.groups.map((g) => ({ group: g, tally: g.tallies[index] ?? null }))}
          unitName={data.unit.name}
          questionnaireId={questionnaireId}
          unitId={ownUnit ? undefined : data.unit.id}
          anonymous={data.questionnaire.anonymous}
          suppressed={data.suppressed}
          options={question.tally && (question.tally.kind === 'single' || question.tally.kind === 'multiple') ? question.tally : null}
        />
      ))}
    </div>
  );
}

const groupLabel = (group: BreakdownGroup, unitName: string, t: T) =>
  group.kind === 'direct' ? t('questionnaireResults.direct', { unit: unitName }) : group.label;

function Groups({ groups, unitName, onUnit }: { groups: BreakdownGroup[]; unitName: string; onUnit(unitId: string): void }) {
  const { t, lang } = useT();
  const label = { group: t('questionnaireResults.colGroup'), respondents: t('questionnaireResults.colRespondents') };
  const units = groups.some((g) => g.kind === 'unit');
  return (
    <section aria-labelledby="q-groups">
      <h2 id="q-groups">{t('questionnaireResults.groupsTitle')}</h2>
      <div class="table-scroll">
        <table class="report-table" role="table">
          <caption class="visually-hidden">{t('questionnaireResults.groupsCaption')}</caption>
          <thead role="rowgroup">
            <tr role="row">
              <th role="columnheader" scope="col">
                {label.group}
              </th>
              <th role="columnheader" scope="col" class="numeric">
                {label.respondents}
              </th>
              {units && (
                <th role="columnheader" scope="col">
                  {t('questionnaireResults.colAction')}
                </th>
              )}
            </tr>
          </thead>
          <tbody role="rowgroup">
            {groups.map((g) => (
              <tr key={`${g.kind}-${g.key}`} role="row">
                <th role="rowheader" scope="row" data-label={label.group}>
                  {groupLabel(g, unitName, t)}
                </th>
                <NumericCell label={label.respondents}>
                  {g.respondents === null ? t('questionnaireResults.tooFew') : count(g.respondents, lang)}
                </NumericCell>
                {units && (
                  <td role="cell" data-label={t('questionnaireResults.colAction')}>
                    {g.kind === 'unit' && !g.suppressed && (
                      <button type="button" class="button button--quiet" onClick={() => onUnit(g.key)}>
                        {t('questionnaireResults.open')}
                        <span class="visually-hidden">{`: ${g.label}`}</span>
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

interface GroupTally {
  group: BreakdownGroup;
  tally: QuestionTally | null;
}

function QuestionResult({
  question,
  groups,
  unitName,
  questionnaireId,
  unitId,
  anonymous,
  suppressed,
  options,
}: {
  question: QuestionnaireResultQuestion;
  groups: GroupTally[];
  unitName: string;
  questionnaireId: string;
  unitId: string | undefined;
  anonymous: boolean;
  suppressed: boolean;
  options: Extract<QuestionTally, { kind: 'single' | 'multiple' }> | null;
}) {
  const { t } = useT();
  const headingId = `q-${question.questionId}`;
  const tally = question.tally;
  const hasOther = options?.options.some((o) => o.other) ?? false;
  return (
    <section class="q-question" aria-labelledby={headingId}>
      <h2 id={headingId}>
        <span class="q-question__number">{t('questionnaireResults.question', { n: question.number })}</span>
        <span class="q-question__kind">{t(`questionnaireResults.kind.${question.kind}`)}</span>
        <span class="q-question__prompt">{question.prompt}</span>
      </h2>
      {tally && tally.answered === 0 && <p class="notice">{t('questionnaireResults.noAnswers')}</p>}
      {tally && tally.answered > 0 && <QuestionChart question={question} tally={tally} />}
      {tally && tally.answered > 0 && groups.length > 0 && <GroupTable question={question} groups={groups} unitName={unitName} />}
      {!suppressed && (question.kind === 'text' || hasOther) && (
        <WrittenAnswers
          questionnaireId={questionnaireId}
          questionId={question.questionId}
          unitId={unitId}
          anonymous={anonymous}
          title={question.kind === 'text' ? t('questionnaireResults.written.title') : t('questionnaireResults.written.otherTitle')}
        />
      )}
    </section>
  );
}

function QuestionChart({ question, tally }: { question: QuestionnaireResultQuestion; tally: QuestionTally }) {
  const { t, lang } = useT();
  const title = `${t('questionnaireResults.question', { n: question.number })} ${short(question.prompt, 60)}`;
  if (tally.kind === 'single' || tally.kind === 'multiple') {
    const top = [...tally.options].sort((a, b) => b.count - a.count)[0]!;
    return (
      <BarChart
        title={title}
        summary={t('questionnaireResults.choiceSummary', { n: tally.answered, top: top.label, share: shareText(top.share, lang) })}
        bars={tally.options.map((o) => ({
          key: o.optionId,
          label: short(o.label, 30),
          value: o.share * 100,
          valueText: t('questionnaireResults.countShare', { n: count(o.count, lang), share: shareText(o.share, lang) }),
        }))}
        max={100}
        labelHeading={t('questionnaireResults.colOption')}
        valueHeading={t('questionnaireResults.colShare')}
      />
    );
  }
  if (tally.kind === 'rating') {
    return (
      <>
        <p class="q-question__figure">
          {t('questionnaireResults.mean', { mean: decimal(tally.mean ?? 0, lang), min: tally.min, max: tally.max })}
        </p>
        <BarChart
          title={title}
          summary={t('questionnaireResults.ratingSummary', { n: tally.answered, mean: decimal(tally.mean ?? 0, lang) })}
          bars={tally.distribution.map((d) => ({
            key: String(d.value),
            label: t('questionnaireResults.valueLabel', { value: d.value }),
            value: d.share * 100,
            valueText: t('questionnaireResults.countShare', { n: count(d.count, lang), share: shareText(d.share, lang) }),
          }))}
          max={100}
          labelHeading={t('questionnaireResults.colValue')}
          valueHeading={t('questionnaireResults.colShare')}
        />
      </>
    );
  }
  if (tally.kind === 'ranking') {
    const most = Math.max(1, tally.answered * Math.max(1, tally.options.length - 1));
    return (
      <>
        <BarChart
          title={title}
          summary={t('questionnaireResults.rankingSummary', { n: tally.answered, top: tally.options[0]?.label ?? '' })}
          bars={tally.options.map((o) => ({
            key: o.optionId,
            label: short(o.label, 30),
            value: o.borda,
            valueText: count(o.borda, lang),
          }))}
          max={most}
          labelHeading={t('questionnaireResults.colOption')}
          valueHeading={t('questionnaireResults.colPoints')}
        />
        <ul class="q-question__ranks">
          {tally.options.map((o) => (
            <li key={o.optionId}>
              {t('questionnaireResults.rankItem', {
                option: o.label,
                text: t('questionnaireResults.rankText', {
                  points: count(o.borda, lang),
                  rank: o.averageRank === null ? '—' : decimal(o.averageRank, lang),
                }),
              })}
            </li>
          ))}
        </ul>
        <p class="hint">{t('questionnaireResults.rankingHint')}</p>
      </>
    );
  }
  return <p class="q-question__figure">{t('questionnaireResults.answered', { n: count(tally.answered, lang) })}</p>;
}

/** The same question group by group: shares of each option, the average, the first-ranked, or how many wrote. */
function GroupTable({ question, groups, unitName }: { question: QuestionnaireResultQuestion; groups: GroupTally[]; unitName: string }) {
  const { t, lang } = useT();
  const tally = question.tally!;
  const columns: Array<{ key: string; label: string; value(g: QuestionTally): string }> = [];
  if (tally.kind === 'single' || tally.kind === 'multiple') {
    tally.options.forEach((o, i) =>
      columns.push({
        key: o.optionId,
        label: short(o.label, 24),
        value: (g) => {
          const option = g.kind === tally.kind ? g.options[i]! : null;
          return option
            ? t('questionnaireResults.countShare', { n: count(option.count, lang), share: shareText(option.share, lang) })
            : '—';
        },
      }),
    );
  } else if (tally.kind === 'rating') {
    columns.push({
      key: 'mean',
      label: t('questionnaireResults.colMean'),
      value: (g) => (g.kind === 'rating' && g.mean !== null ? decimal(g.mean, lang) : '—'),
    });
  } else if (tally.kind === 'ranking') {
    columns.push({
      key: 'top',
      label: t('questionnaireResults.colTop'),
      value: (g) => (g.kind === 'ranking' && g.answered > 0 ? (g.options[0]?.label ?? '—') : '—'),
    });
  } else {
    columns.push({ key: 'written', label: t('questionnaireResults.colWritten'), value: (g) => count(g.answered, lang) });
  }
  const groupHeading = t('questionnaireResults.colGroup');
  const answeredHeading = t('questionnaireResults.colAnswered');
  return (
    <details class="q-question__groups">
      <summary>{t('questionnaireResults.byGroup')}</summary>
      <div class="table-scroll">
        <table class="report-table" role="table">
          <caption class="visually-hidden">{t('questionnaireResults.byGroupCaption', { n: question.number })}</caption>
          <thead role="rowgroup">
            <tr role="row">
              <th role="columnheader" scope="col">
                {groupHeading}
              </th>
              <th role="columnheader" scope="col" class="numeric">
                {answeredHeading}
              </th>
              {columns.map((c) => (
                <th key={c.key} role="columnheader" scope="col" class="numeric">
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody role="rowgroup">
            {groups.map(({ group, tally: g }) => (
              <tr key={`${group.kind}-${group.key}`} role="row">
                <th role="rowheader" scope="row" data-label={groupHeading}>
                  {groupLabel(group, unitName, t)}
                </th>
                {g ? (
                  <>
                    <NumericCell label={answeredHeading}>{count(g.answered, lang)}</NumericCell>
                    {columns.map((c) => (
                      <NumericCell key={c.key} label={c.label}>
                        {c.value(g)}
                      </NumericCell>
                    ))}
                  </>
                ) : (
                  <td role="cell" colSpan={columns.length + 1} data-label={answeredHeading}>
                    {t('questionnaireResults.tooFew')}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

interface Listing {
  page: TextAnswerPage | null;
  loading: boolean;
  error: string | null;
}

/** What members wrote, a page at a time, searchable, with the same list as CSV and XLSX. */
function WrittenAnswers({
  questionnaireId,
  questionId,
  unitId,
  anonymous,
  title,
}: {
  questionnaireId: string;
  questionId: string;
  unitId: string | undefined;
  anonymous: boolean;
  title: string;
}) {
  const { t, lang } = useT();
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const [pageNo, setPageNo] = useState(1);
  const [listing, setListing] = useState<Listing>({ page: null, loading: true, error: null });
  const latest = useRef(0);
  const searchId = `search-${questionId}`;
  const hintId = `search-hint-${questionId}`;

  useEffect(() => {
    const mine = ++latest.current;
    setListing((l) => ({ ...l, loading: true, error: null }));
    textAnswers(questionnaireId, questionId, { unitId, q }, lang, pageNo)
      .then((page) => mine === latest.current && setListing({ page, loading: false, error: null }))
      .catch((failure: unknown) => mine === latest.current && setListing({ page: null, loading: false, error: t(errorKey(failure)) }));
  }, [questionnaireId, questionId, unitId, q, pageNo, lang]);

  const onSubmit = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setPageNo(1);
    setQ(draft.trim());
  };
  const page = listing.page;
  const pages = page ? Math.max(1, Math.ceil(page.total / TEXT_PAGE_SIZE)) : 1;
  const time = (iso: string) => new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  return (
    <div class="q-written">
      <h3>{title}</h3>
      {anonymous && <p class="hint">{t('questionnaireResults.written.anonymousOrder')}</p>}
      <form
        class="q-written__search"
        role="search"
        aria-label={`${title}: ${t('questionnaireResults.written.search')}`}
        onSubmit={onSubmit}
      >
        <div class="field">
          <label for={searchId}>{t('questionnaireResults.written.search')}</label>
          <input
            id={searchId}
            type="search"
            maxLength={SEARCH_MAX}
            aria-describedby={hintId}
            value={draft}
            onInput={(e) => setDraft(e.currentTarget.value)}
          />
          <p id={hintId} class="hint">
            {t('questionnaireResults.written.searchHint')}
          </p>
        </div>
        <div class="actions">
          <button type="submit" class="button button--primary">
            {t('questionnaireResults.written.submit')}
          </button>
          {q && (
            <button
              type="button"
              class="button"
              onClick={() => {
                setDraft('');
                setQ('');
                setPageNo(1);
              }}
            >
              {t('questionnaireResults.written.clear')}
            </button>
          )}
        </div>
      </form>
      <Alert message={listing.error} />
      <p class="status" role="status">
        {listing.loading
          ? t('app.loading')
          : page && !page.shown
            ? t('questionnaireResults.written.hidden')
            : page && page.total === 0
              ? t('questionnaireResults.written.none')
              : page
                ? t('questionnaireResults.written.total', { n: count(page.total, lang) })
                : ''}
      </p>
      {page && page.items.length > 0 && (
        <>
          <ul class="q-written__list" aria-label={`${title}: ${t('questionnaireResults.written.listLabel')}`}>
            {page.items.map((item, i) => (
              <li key={`${page.page}-${i}`} class="q-written__item">
                <p class="q-written__text">{item.text}</p>
                <p class="q-written__meta">
                  {item.memberName && item.submittedAt && (
                    <span>{t('questionnaireResults.written.by', { name: item.memberName, time: time(item.submittedAt) })}</span>
                  )}
                  {item.unitName && <span>{t('questionnaireResults.written.unit', { unit: item.unitName })}</span>}
                </p>
              </li>
            ))}
          </ul>
          {pages > 1 && (
            <nav class="pager" aria-label={`${title}: ${t('questionnaireResults.written.page', { page: pageNo, pages })}`}>
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
            path={questionnaireResultPaths.answers(questionnaireId, questionId, { unitId, q })}
            tableName={title}
            fileName={t('questionnaireResults.written.tableName')}
          />
        </>
      )}
    </div>
  );
}
