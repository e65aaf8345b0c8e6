import { gradingQueue, type GradingQueueItem } from '../../api/exam-admin.js';
import { Alert } from '../../components/alert.js';
import { Page } from '../../components/page.js';
import { useResource } from '../../hooks/use-resource.js';
import { useT } from '../../i18n/use-t.js';
import { Link } from '../../router/link.js';
import { examAdminPaths } from './shared.js';
import './exam-admin.css';

/** The grader's queue: every short-answer question with answers waiting, per exam, with how many wait. */
export function GradingQueuePage() {
  const { t } = useT();
  const queue = useResource(gradingQueue, []);
  const items = (queue.data ?? []).filter((item) => item.pending > 0);
  return (
    <Page title={t('examAdmin.grading.title')}>
      <p class="lead">{t('examAdmin.grading.lead')}</p>
      <Alert message={queue.error && t(queue.error)} />
      {queue.loading && !queue.data && (
        <p class="status" role="status">
          {t('app.loading')}
        </p>
      )}
      {queue.data && items.length === 0 && (
        <div class="notice grading-done" role="status">
          <p class="grading-done__title">{t('examAdmin.grading.allDone')}</p>
          <p>{t('examAdmin.grading.allDoneHint')}</p>
        </div>
      )}
      {items.length > 0 && (
        <ul class="grading-queue" aria-label={t('examAdmin.grading.queueCaption')}>
          {items.map((item) => (
            <QueueItem key={`${item.examId}/${item.questionId}`} item={item} />
          ))}
        </ul>
      )}
    </Page>
  );
}

function QueueItem({ item }: { item: GradingQueueItem }) {
  const { t } = useT();
  return (
    <li class="grading-queue__item">
      <p class="grading-queue__exam">{item.examTitle}</p>
      <p class="grading-queue__stem">{item.stem}</p>
      <p class="grading-queue__facts">
        <span class="badge grading-queue__pending">{t('examAdmin.grading.pendingCount', { count: item.pending })}</span>
        <span>{t('examAdmin.grading.points', { count: item.points })}</span>
      </p>
      <Link href={examAdminPaths.question(item.examId, item.questionId)} class="button button--primary">
        {t('examAdmin.grading.open')}
        <span class="visually-hidden">{t('examAdmin.grading.openOf', { exam: item.examTitle, stem: item.stem })}</span>
      </Link>
    </li>
  );
}
