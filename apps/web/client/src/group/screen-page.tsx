import { Page } from '../components/page.js';
import { useT } from '../i18n/use-t.js';

/** The big-screen player of a collective viewing: large controls, the rotating QR, no member's credit on the device. */
export function GroupScreenPage(_props: { sessionId: string }) {
  const { t } = useT();
  return <Page title={t('groupSessions.title')}>{null}</Page>;
}
