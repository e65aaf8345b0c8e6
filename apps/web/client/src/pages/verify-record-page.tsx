import { groupRecordCode, normaliseRecordCode } from '../../../../../libs/contracts/src/study-record.js';
import { ApiError } from '../api/api.js';
import { fetchVerification, type StudyRecordVerification } from '../api/study-record.js';
import { Alert } from '../components/alert.js';
import { Page } from '../components/page.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { RecordExams, RecordPlan } from './study-record-page.js';
import './study-record.css';

type Answer = { found: true; record: StudyRecordVerification } | { found: false };

/** A record number that was never issued (or cannot be one) is an answer, not a failure. */
async function check(code: string): Promise<Answer> {
  const normal = normaliseRecordCode(code);
  if (!normal) return { found: false };
  try {
    return { found: true, record: await fetchVerification(normal) };
  } catch (failure) {
    if (failure instanceof ApiError && failure.status === 404) return { found: false };
    throw failure;
  }
}

/** When the record was issued, in the organisation's time zone, in the reader's language. */
function issuedText(iso: string, timeZone: string, lang: string): string {
  try {
    return new Intl.DateTimeFormat(lang, { timeZone, dateStyle: 'long', timeStyle: 'short' }).format(new Date(iso));
  } catch {
    return iso;
  }
}

/** Public: what a study record's QR code opens, so anyone can check a printed record against the system's. */
export function VerifyRecordPage({ code }: { code: string }) {
  const { t, lang } = useT();
  const answer = useResource(() => check(code), [code]);
  const shown = normaliseRecordCode(code) ?? code;
  return (
    <Page title={t('studyRecord.verify.title')}>
      <Alert message={answer.error && t(answer.error)} />
      {answer.error && (
        <p>
          <button type="button" class="button" onClick={answer.reload}>
            {t('common.retry')}
          </button>
        </p>
      )}
      {!answer.data && answer.loading && (
        <p class="status" role="status">
          {t('studyRecord.verify.loading')}
        </p>
      )}
      {answer.data && !answer.data.found && (
        <div class="verdict verdict--missing" role="status">
          <span class="verdict__mark" aria-hidden="true">
            ✗
          </span>
          <div>
            <p>{t('studyRecord.verify.notFound')}</p>
            <p class="verdict__detail">
              {t('studyRecord.verify.number', { code: '' })}
              <span class="verify-code">{groupRecordCode(shown)}</span>
            </p>
            <p class="verdict__detail">{t('studyRecord.verify.notFoundHint')}</p>
          </div>
        </div>
      )}
      {answer.data?.found && <Genuine record={answer.data.record} lang={lang} />}
    </Page>
  );
}

function Genuine({ record, lang }: { record: StudyRecordVerification; lang: string }) {
  const { t } = useT();
  return (
    <>
      <div class="verdict verdict--genuine" role="status">
        <span class="verdict__mark" aria-hidden="true">
          ✓
        </span>
        <div>
          <p>{t('studyRecord.verify.genuine')}</p>
          <p class="verdict__detail">{t('studyRecord.verify.issuedOn', { time: issuedText(record.issuedAt, record.timeZone, lang) })}</p>
          <p class="verdict__detail">
            {t('studyRecord.verify.number', { code: '' })}
            <span class="verify-code">{groupRecordCode(record.code)}</span>
          </p>
        </div>
      </div>
      <p class={record.current.sameAsIssued ? 'notice' : 'notice notice--warning'}>
        {t(record.current.sameAsIssued ? 'studyRecord.verify.same' : 'studyRecord.verify.changed')}
      </p>
      <dl class="record-person">
        <dt>{t('studyRecord.name')}</dt>
        <dd>{record.name}</dd>
        <dt>{t('studyRecord.unit')}</dt>
        <dd>{record.unitPath.join(' / ')}</dd>
      </dl>
      {record.plans.length === 0 ? (
        <p>{t('studyRecord.verify.noPlans')}</p>
      ) : (
        <ul class="record-plans">
          {record.plans.map((plan, i) => (
            <li key={i}>
              <RecordPlan plan={plan} />
            </li>
          ))}
        </ul>
      )}
      <RecordExams exams={record.exams} />
      <p class="hint">{t('studyRecord.verify.privacy')}</p>
    </>
  );
}
