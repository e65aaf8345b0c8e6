import { useT } from '../../i18n/use-t.js';
import { Link } from '../../router/link.js';
import './reflections.css';

interface ReflectionPromptProps {
  kind: 'lecture' | 'course';
  id: string;
  /** The member has finished it (a course's prompt words it so). */
  finished?: boolean;
}

/** An invitation to write a reflection on a lecture or course, leading to a new reflection about it. */
export function ReflectionPrompt({ kind, id, finished = false }: ReflectionPromptProps) {
  const { t } = useT();
  const param = kind === 'lecture' ? 'lectureId' : 'courseId';
  const text =
    kind === 'lecture' ? t('reflections.prompt.lecture') : finished ? t('reflections.prompt.courseDone') : t('reflections.prompt.course');
  return (
    <aside class="notice reflection-prompt" aria-label={t('reflections.title')}>
      <p>{text}</p>
      <p class="actions">
        <Link href={`/reflections/new?${param}=${encodeURIComponent(id)}`} class="button button--primary">
          {t('reflections.prompt.write')}
        </Link>
      </p>
    </aside>
  );
}
