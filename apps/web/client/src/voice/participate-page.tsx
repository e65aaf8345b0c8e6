import { Page } from '../components/page.js';
import { useT } from '../i18n/use-t.js';
import { HubCard } from './hub-card.js';
import { OpenQuestionnaires } from './questionnaires/open-questionnaires.js';
import './voice.css';

/**
 * Where a member takes part: the questionnaires open to them, asking for a program, their reflections and the
 * reflections wall. Reviewing reflections is offered on their reflections page to those who review.
 */
export function ParticipatePage() {
  const { t } = useT();
  return (
    <Page title={t('notices.participate.title')}>
      <p>{t('notices.participate.intro')}</p>
      <OpenQuestionnaires />
      <ul class="voice-cards">
        <li>
          <HubCard href="/requests" title={t('notices.participate.requestTitle')} hint={t('notices.participate.requestHint')} />
        </li>
        <li>
          <HubCard href="/reflections" title={t('notices.participate.reflectionsTitle')} hint={t('notices.participate.reflectionsHint')} />
        </li>
        <li>
          <HubCard href="/reflections/wall" title={t('notices.participate.wallTitle')} hint={t('notices.participate.wallHint')} />
        </li>
      </ul>
    </Page>
  );
}
