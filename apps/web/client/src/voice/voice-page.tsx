import { useSession } from '../auth/session.js';
import { Page } from '../components/page.js';
import { useT } from '../i18n/use-t.js';
import { HubCard } from './hub-card.js';
import './voice.css';

/** The editors' and admins' start for members' voice: questionnaires, program requests, reviews, and the admins' reports. */
export function VoicePage() {
  const { t } = useT();
  const { user } = useSession();
  return (
    <Page title={t('notices.voice.title')}>
      <p>{t('notices.voice.intro')}</p>
      <ul class="voice-cards">
        <li>
          <HubCard
            href="/voice/questionnaires"
            title={t('notices.voice.questionnairesTitle')}
            hint={t('notices.voice.questionnairesHint')}
          />
        </li>
        <li>
          <HubCard href="/voice/requests" title={t('notices.voice.requestsTitle')} hint={t('notices.voice.requestsHint')} />
        </li>
        <li>
          <HubCard href="/review/reflections" title={t('notices.voice.reviewTitle')} hint={t('notices.voice.reviewHint')} />
        </li>
      </ul>
      {user.role === 'admin' && (
        <section class="voice-hub__section" aria-labelledby="voice-reports">
          <h2 id="voice-reports">{t('notices.voice.reportsHeading')}</h2>
          <VoiceReportCards />
        </section>
      )}
    </Page>
  );
}

/** The program-requests and reflections reports, for the voice hub and the reports page. */
export function VoiceReportCards() {
  const { t } = useT();
  return (
    <ul class="voice-cards">
      <li>
        <HubCard href="/reports/requests" title={t('notices.voice.requestsReportTitle')} hint={t('notices.voice.requestsReportHint')} />
      </li>
      <li>
        <HubCard
          href="/reports/reflections"
          title={t('notices.voice.reflectionsReportTitle')}
          hint={t('notices.voice.reflectionsReportHint')}
        />
      </li>
    </ul>
  );
}
