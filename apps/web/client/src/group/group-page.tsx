import { Page } from '../components/page.js';
import { useT } from '../i18n/use-t.js';

/** Group study's start: check in with a code; leaders' sessions and starting one. */
export function GroupPage() {
  const { t } = useT();
  return <Page title={t('groupSessions.title')}>{null}</Page>;
}
