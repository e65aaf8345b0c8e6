import { Page } from '../components/page.js';
import { useT } from '../i18n/use-t.js';

/** Starting a collective viewing, or recording an in-person session. */
export function NewGroupSessionPage() {
  const { t } = useT();
  return <Page title={t('groupSessions.title')}>{null}</Page>;
}
