import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { grantExtraAttempt, memberAttempts, voidAttempt, type AttemptSummary, type ExamMemberRow } from '../../api/exam-admin.js';
import { Alert } from '../../components/alert.js';
import { useResource } from '../../hooks/use-resource.js';
import { useT } from '../../i18n/use-t.js';
import { NumericCell } from '../../reports/numeric-cell.js';
import { Link } from '../../router/link.js';
import { dateTime, examAdminPaths, failureText, pointsText } from './shared.js';

type Member = ExamMemberRow['member'];
type Action = { kind: 'void'; attempt: AttemptSummary } | { kind: 'grant' } | null;

/** A member's attempts at one exam, with the admin's two remedies: void an attempt, grant another. */
export function MemberAttempts({
  examId,
  member,
  onClose,
  onChanged,
}: {
  examId: string;
  member: Member;
  onClose(): void;
  onChanged(): void;
}) {
  const { t, lang } = useT();
  const attempts = useResource(() => memberAttempts(examId, member.id), [examId, member.id]);
  const [action, setAction] = useState<Action>(null);
  const [done, setDone] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const finished = (message: string) => {
    setAction(null);
    setDone(message);
    attempts.reload();
    onChanged();
  };
  const label = {
    number: t('examAdmin.attempts.colNumber'),
    status: t('examAdmin.attempts.colStatus'),
    started: t('examAdmin.attempts.colStarted'),
    submitted: t('examAdmin.attempts.colSubmitted'),
    score: t('examAdmin.attempts.colScore'),
    actions: t('examAdmin.report.colActions'),
  };
  const list = attempts.data ?? [];
  return (
    <section class="member-attempts" aria-labelledby="member-attempts-title">
      <div class="member-attempts__head">
        <h3 id="member-attempts-title" ref={heading} tabIndex={-1}>
          {t('examAdmin.attempts.title', { name: member.name })}
        </h3>
        <button type="button" class="button" onClick={onClose}>
          {t('examAdmin.attempts.close')}
        </button>
      </div>
      <p class="hint">
        {member.login} · {member.unitName}
      </p>
      <Alert message={attempts.error && t(attempts.error)} />
      <p class="status" role="status">
        {attempts.loading ? t('app.loading') : done}
      </p>
      {attempts.data && list.length === 0 && <p class="notice">{t('examAdmin.attempts.none')}</p>}
      {list.length > 0 && (
        <div class="table-scroll">
          <table class="report-table attempt-table" role="table">
            <caption class="visually-hidden">{t('examAdmin.attempts.caption', { name: member.name })}</caption>
            <thead role="rowgroup">
              <tr role="row">
                {(['number', 'status', 'started', 'submitted', 'score', 'actions'] as const).map((key) => (
                  <th key={key} role="columnheader" scope="col" class={key === 'score' ? 'numeric' : undefined}>
                    {label[key]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody role="rowgroup">
              {list.map((a) => (
                <tr key={a.attemptId} role="row" class={a.status === 'voided' ? 'attempt-table__void' : undefined}>
                  <th role="rowheader" scope="row" data-label={label.number}>
                    {t('examAdmin.attempts.number', { n: a.number })}
                  </th>
                  <td role="cell" data-label={label.status}>
                    <span class="attempt-table__status">
                      <span class={`badge attempt-status attempt-status--${a.status}`}>{t(`examAdmin.attempts.status.${a.status}`)}</span>
                      {a.passed !== null && a.status === 'graded' && (
                        <span> {a.passed ? t('examAdmin.attempts.passed') : t('examAdmin.attempts.failed')}</span>
                      )}
                      {a.voidReason && (
                        <span class="attempt-table__reason">{t('examAdmin.attempts.voidedBecause', { reason: a.voidReason })}</span>
                      )}
                    </span>
                  </td>
                  <td role="cell" data-label={label.started}>
                    {dateTime(a.startedAt, lang)}
                  </td>
                  <td role="cell" data-label={label.submitted}>
                    <span>
                      {a.submittedAt ? dateTime(a.submittedAt, lang) : '—'}
                      {a.submitReason === 'time_out' && ` (${t('examAdmin.attempts.timedOut')})`}
                    </span>
                  </td>
                  <NumericCell label={label.score}>
                    {a.score === null
                      ? '—'
                      : t('examAdmin.report.score', { score: pointsText(a.score, lang), max: pointsText(a.maxScore, lang) })}
                  </NumericCell>
                  <td role="cell" data-label={label.actions}>
                    <span class="attempt-table__actions">
                      <Link href={examAdminPaths.audit(a.attemptId, examId)} class="button">
                        {t('examAdmin.attempts.audit')}
                        <span class="visually-hidden">{t('examAdmin.attempts.auditOf', { n: a.number })}</span>
                      </Link>
                      {a.status !== 'voided' && (
                        <button
                          type="button"
                          class="button button--danger"
                          aria-expanded={action?.kind === 'void' && action.attempt.attemptId === a.attemptId}
                          onClick={() => {
                            setDone(null);
                            setAction({ kind: 'void', attempt: a });
                          }}
                        >
                          {t('examAdmin.attempts.void')}
                          <span class="visually-hidden">{t('examAdmin.attempts.voidOf', { n: a.number })}</span>
                        </button>
                      )}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {action?.kind === 'void' && (
        <ReasonForm
          key={action.attempt.attemptId}
          title={t('examAdmin.attempts.voidTitle', { n: action.attempt.number })}
          hint={t('examAdmin.attempts.voidHint')}
          submitLabel={t('examAdmin.attempts.void')}
          confirmQuestion={t('examAdmin.attempts.voidAsk', { name: member.name, n: action.attempt.number })}
          confirmLabel={t('examAdmin.attempts.voidConfirm')}
          danger
          onCancel={() => setAction(null)}
          onSubmit={async (reason) => {
            await voidAttempt(action.attempt.attemptId, reason);
            finished(t('examAdmin.attempts.voided', { n: action.attempt.number }));
          }}
        />
      )}
      {action?.kind === 'grant' ? (
        <ReasonForm
          title={t('examAdmin.attempts.grantTitle', { name: member.name })}
          hint={t('examAdmin.attempts.grantHint')}
          submitLabel={t('examAdmin.attempts.grantConfirm')}
          onCancel={() => setAction(null)}
          onSubmit={async (reason) => {
            await grantExtraAttempt(examId, member.id, reason);
            finished(t('examAdmin.attempts.granted', { name: member.name }));
          }}
        />
      ) : (
        <p class="actions">
          <button
            type="button"
            class="button"
            onClick={() => {
              setDone(null);
              setAction({ kind: 'grant' });
            }}
          >
            {t('examAdmin.attempts.grant')}
          </button>
        </p>
      )}
    </section>
  );
}

interface ReasonFormProps {
  title: string;
  hint: string;
  submitLabel: string;
  /** When given, a second step asks this before anything is sent. */
  confirmQuestion?: string;
  confirmLabel?: string;
  danger?: boolean;
  onCancel(): void;
  onSubmit(reason: string): Promise<void>;
}

/** A remedy that needs a reason (kept in the attempt's record), optionally confirmed in a second step. */
function ReasonForm({ title, hint, submitLabel, confirmQuestion, confirmLabel, danger, onCancel, onSubmit }: ReasonFormProps) {
  const { t } = useT();
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const ids = `reason-${useId()}`;
  useEffect(() => field.current?.focus(), []);
  useEffect(() => {
    if (asking) confirmButton.current?.focus();
  }, [asking]);

  const send = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await onSubmit(reason.trim());
    } catch (failure) {
      setProblem(failureText(failure, t));
      setAsking(false);
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    if (reason.trim().length === 0) {
      setInvalid(true);
      setProblem(t('examAdmin.attempts.reasonRequired'));
      field.current?.focus();
      return;
    }
    setInvalid(false);
    setProblem(null);
    if (confirmQuestion && !asking) setAsking(true);
    else void send();
  };

  return (
    <form class="form reason-form" noValidate aria-busy={busy} aria-label={title} onSubmit={submit}>
      <h4 class="reason-form__title">{title}</h4>
      <p class="hint" id={`${ids}-hint`}>
        {hint}
      </p>
      <Alert message={problem} />
      <div class="field">
        <label for={`${ids}-text`}>{t('examAdmin.attempts.reason')}</label>
        <textarea
          ref={field}
          id={`${ids}-text`}
          rows={2}
          maxLength={500}
          required
          aria-invalid={invalid}
          aria-describedby={`${ids}-hint`}
          readOnly={asking}
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
      </div>
      {asking ? (
        <div class="reason-form__confirm" role="group" aria-label={confirmQuestion}>
          <p class="reason-form__question">{confirmQuestion}</p>
          <div class="actions">
            <button ref={confirmButton} type="submit" class="button button--danger-strong" aria-disabled={busy}>
              {busy ? t('examAdmin.attempts.working') : confirmLabel}
            </button>
            <button type="button" class="button" onClick={() => setAsking(false)}>
              {t('examAdmin.attempts.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <div class="actions">
          <button type="submit" class={danger ? 'button button--danger' : 'button button--primary'} aria-disabled={busy}>
            {busy ? t('examAdmin.attempts.working') : submitLabel}
          </button>
          <button type="button" class="button" onClick={onCancel}>
            {t('examAdmin.attempts.cancel')}
          </button>
        </div>
      )}
    </form>
  );
}
