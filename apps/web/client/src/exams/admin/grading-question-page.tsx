import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api/api.js';
import { getExam, gradeAnswer, gradingAnswers, gradingQueue, type GradingAnswer } from '../../api/exam-admin.js';
import { Alert } from '../../components/alert.js';
import { Breadcrumb } from '../../components/breadcrumb.js';
import { Page } from '../../components/page.js';
import { useResource } from '../../hooks/use-resource.js';
import { useT } from '../../i18n/use-t.js';
import { Link } from '../../router/link.js';
import { dateTime, examAdminPaths, failureText, halfOf, parseScore, pointsText } from './shared.js';
import './exam-admin.css';

const keyOf = (answer: GradingAnswer) => `${answer.attemptId}/${answer.item}`;

/** The answers to one short-answer question of one exam, graded one by one; graded ones can be opened again. */
export function GradingQuestionPage({ examId, questionId }: { examId: string; questionId: string }) {
  const { t } = useT();
  const answers = useResource(() => gradingAnswers(examId, questionId), [examId, questionId]);
  // The exam's title, from the queue while answers wait there, else from the exam; grading works without it.
  const exam = useResource(async () => {
    const waiting = (await gradingQueue().catch(() => [])).find((item) => item.examId === examId);
    return waiting ? { title: waiting.examTitle } : await getExam(examId).catch(() => null);
  }, [examId]);
  const [current, setCurrent] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const list = answers.data ?? [];
  // First the oldest waiting answer; once all are graded, nothing is open until one is chosen.
  useEffect(() => {
    if (answers.data && current === null) {
      const first = answers.data.find((a) => a.awarded === null);
      if (first) setCurrent(keyOf(first));
    }
  }, [answers.data]);

  const index = list.findIndex((a) => keyOf(a) === current);
  const open = index >= 0 ? list[index]! : null;
  const graded = list.filter((a) => a.awarded !== null).length;
  const pending = list.length - graded;
  const title = exam.data ? t('examAdmin.grading.questionTitle', { exam: exam.data.title }) : t('examAdmin.grading.title');

  const onSaved = (saved: GradingAnswer, goNext: boolean) => {
    const next = list.map((a) => (keyOf(a) === keyOf(saved) ? { ...a, ...saved } : a));
    answers.set(next);
    setNotice(t('examAdmin.grading.saved', { name: saved.member.name, points: saved.awarded ?? 0 }));
    if (!goNext) return;
    // The next waiting answer after this one, then from the start.
    const at = next.findIndex((a) => keyOf(a) === keyOf(saved));
    const after = [...next.slice(at + 1), ...next.slice(0, at)].find((a) => a.awarded === null);
    setCurrent(after ? keyOf(after) : null);
  };

  const error = answers.error === 'errors.notFound' ? t('examAdmin.grading.notFound') : answers.error && t(answers.error);
  return (
    <>
      <Breadcrumb trail={[{ href: examAdminPaths.grading, label: t('examAdmin.grading.title') }]} current={title} />
      <Page title={title}>
        <Alert message={error} />
        {answers.loading && !answers.data && (
          <p class="status" role="status">
            {t('app.loading')}
          </p>
        )}
        {answers.data && (
          <p class="status grading-progress" role="status">
            {notice && <span class="grading-progress__saved">{notice} </span>}
            {t('examAdmin.grading.progress', { total: list.length, graded, pending })}
          </p>
        )}
        {answers.data && pending === 0 && !open && (
          <div class="notice grading-done">
            <p class="grading-done__title">{t('examAdmin.grading.allDone')}</p>
            <p class="actions">
              <Link href={examAdminPaths.grading} class="button button--primary">
                {t('examAdmin.grading.backToQueue')}
              </Link>
            </p>
          </div>
        )}
        {open && (
          <AnswerCard
            key={keyOf(open)}
            answer={open}
            position={index + 1}
            total={list.length}
            onPrevious={index > 0 ? () => setCurrent(keyOf(list[index - 1]!)) : undefined}
            onNext={index < list.length - 1 ? () => setCurrent(keyOf(list[index + 1]!)) : undefined}
            onSaved={onSaved}
          />
        )}
        {list.length > 0 && (
          <section aria-labelledby="grading-list" class="grading-list">
            <h2 id="grading-list">{t('examAdmin.grading.list')}</h2>
            <ol class="grading-list__items">
              {list.map((answer) => (
                <li key={keyOf(answer)}>
                  <button
                    type="button"
                    class="grading-list__button"
                    aria-current={keyOf(answer) === current ? 'true' : undefined}
                    onClick={() => {
                      setNotice(null);
                      setCurrent(keyOf(answer));
                    }}
                  >
                    <span class="grading-list__name">
                      {answer.member.name} <span class="grading-list__unit">{answer.member.unitName}</span>
                    </span>
                    <span class={answer.awarded === null ? 'badge grading-list__pending' : 'badge grading-list__graded'}>
                      {answer.awarded === null
                        ? t('examAdmin.grading.pendingShort')
                        : t('examAdmin.grading.gradedShort', { points: answer.awarded })}
                    </span>
                  </button>
                </li>
              ))}
            </ol>
          </section>
        )}
      </Page>
    </>
  );
}

interface AnswerCardProps {
  answer: GradingAnswer;
  position: number;
  total: number;
  onPrevious?: () => void;
  onNext?: () => void;
  onSaved(saved: GradingAnswer, goNext: boolean): void;
}

function AnswerCard({ answer, position, total, onPrevious, onNext, onSaved }: AnswerCardProps) {
  const { t, lang } = useT();
  const [score, setScore] = useState(answer.awarded === null ? '' : String(answer.awarded));
  const [comment, setComment] = useState(answer.comment ?? '');
  const [invalid, setInvalid] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const scoreRef = useRef<HTMLInputElement>(null);
  const goNext = useRef(true);
  const max = answer.points;

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const points = parseScore(score, max);
    if (points === null) {
      setInvalid(true);
      setProblem(t('examAdmin.grading.scoreRequired', { max: pointsText(max, lang) }));
      scoreRef.current?.focus();
      return;
    }
    setInvalid(false);
    setProblem(null);
    setBusy(true);
    try {
      const saved = await gradeAnswer({ attemptId: answer.attemptId, item: answer.item, points, comment: comment.trim() });
      onSaved(saved, goNext.current);
    } catch (failure) {
      setProblem(failure instanceof ApiError && failure.status === 403 ? t('examAdmin.grading.forbidden') : failureText(failure, t));
    } finally {
      setBusy(false);
    }
  };

  const quick = [
    { label: t('examAdmin.grading.quickZero'), value: 0 },
    { label: t('examAdmin.grading.quickHalf', { points: pointsText(halfOf(max), lang) }), value: halfOf(max) },
    { label: t('examAdmin.grading.quickFull', { points: pointsText(max, lang) }), value: max },
  ];
  return (
    <article class="grading-card" aria-labelledby="grading-card-title">
      <h2 id="grading-card-title" class="grading-card__position">
        {t('examAdmin.grading.answerOf', { n: position, total })}
      </h2>
      <dl class="facts facts--compact grading-card__member">
        <div>
          <dt>{t('examAdmin.grading.member')}</dt>
          <dd>{answer.member.name}</dd>
        </div>
        <div>
          <dt>{t('examAdmin.grading.unit')}</dt>
          <dd>{answer.member.unitName}</dd>
        </div>
        <div>
          <dt>{t('examAdmin.grading.submittedAt')}</dt>
          <dd>{dateTime(answer.submittedAt, lang)}</dd>
        </div>
      </dl>
      <h3 class="grading-card__label">{t('examAdmin.grading.question')}</h3>
      <p class="grading-card__stem">{answer.stem}</p>
      <h3 class="grading-card__label">{t('examAdmin.grading.reference')}</h3>
      <p class="grading-card__reference">{answer.reference.trim() || t('examAdmin.grading.noReference')}</p>
      <h3 class="grading-card__label">{t('examAdmin.grading.memberAnswer')}</h3>
      <div class="grading-card__answer">{answer.text.trim() || t('examAdmin.grading.emptyAnswer')}</div>
      {answer.awarded !== null && (
        <p class="notice grading-card__graded">
          {t('examAdmin.grading.graded', {
            points: pointsText(answer.awarded, lang),
            by: answer.gradedBy?.name ?? '—',
            at: dateTime(answer.gradedAt, lang),
          })}
        </p>
      )}
      <form class="form grading-form" noValidate aria-busy={busy} onSubmit={submit}>
        <Alert message={problem} />
        <div class="field">
          <label for="grading-score">{t('examAdmin.grading.score', { max: pointsText(max, lang) })}</label>
          <input
            ref={scoreRef}
            id="grading-score"
            class="grading-form__score"
            type="number"
            inputMode="decimal"
            min={0}
            max={max}
            step={0.5}
            required
            aria-invalid={invalid}
            aria-describedby="grading-score-hint"
            value={score}
            onInput={(e) => setScore(e.currentTarget.value)}
          />
          <p id="grading-score-hint" class="hint">
            {t('examAdmin.grading.scoreHint')}
          </p>
        </div>
        <div class="grading-form__quick" role="group" aria-label={t('examAdmin.grading.quick')}>
          {quick.map((q) => (
            <button
              key={q.label}
              type="button"
              class="button"
              aria-pressed={score !== '' && Number(score) === q.value}
              onClick={() => {
                setScore(String(q.value));
                setInvalid(false);
              }}
            >
              {q.label}
            </button>
          ))}
        </div>
        <div class="field">
          <label for="grading-comment">{t('examAdmin.grading.comment')}</label>
          <textarea id="grading-comment" rows={3} maxLength={2000} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
        </div>
        <div class="actions">
          <button type="submit" class="button button--primary button--big" aria-disabled={busy} onClick={() => (goNext.current = true)}>
            {busy
              ? t('examAdmin.grading.saving')
              : answer.awarded === null
                ? t('examAdmin.grading.saveNext')
                : t('examAdmin.grading.regrade')}
          </button>
        </div>
      </form>
      <nav class="grading-card__nav" aria-label={t('examAdmin.grading.list')}>
        <button type="button" class="button" disabled={!onPrevious} onClick={onPrevious}>
          {t('examAdmin.grading.previous')}
        </button>
        <button type="button" class="button" disabled={!onNext} onClick={onNext}>
          {t('examAdmin.grading.next')}
        </button>
      </nav>
    </article>
  );
}
