import { Page } from '../components/page.js';
import { useT } from '../i18n/use-t.js';

/** One session: roster with ticks, the rotating code, attendance events, ending it. */
export function GroupSessionPage(_props: { sessionId: string }) {
  const { t } = useT();
  return <Page title={t('groupSessions.title')}>{null}</Page>;
}
