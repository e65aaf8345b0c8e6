import { Page } from '../components/page.js';
import { useT } from '../i18n/use-t.js';

/** A member checks in from their phone: the QR link fills in the code, or they type its six digits. */
export function CheckinPage() {
  const { t } = useT();
  return <Page title={t('groupSessions.title')}>{null}</Page>;
}
