import { stoppedInOf } from '../api/chapters.js';
import { useT } from '../i18n/use-t.js';
import './chapters.css';

/** On My study: "stopped in chapter 3, «…»" for a lecture in progress, when it has chapters. */
export function StoppedInLine({ lecture }: { lecture: object }) {
  const { t } = useT();
  const stopped = stoppedInOf(lecture);
  if (!stopped) return null;
  return <p class="stopped-in">{t('chapters.stoppedIn', { number: stopped.number, title: stopped.title })}</p>;
}
