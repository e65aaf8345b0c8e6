import { listMyQuestionnaires } from '../../api/questionnaires.js';
import { useResource } from '../../hooks/use-resource.js';
import { useT } from '../../i18n/use-t.js';
import { Link } from '../../router/link.js';
import { questionnairePaths, whenText } from './questionnaire-bits.js';
import './questionnaires.css';

/**
 * The questionnaires open to the signed-in member, for their home page and the take-part page: each with
 * whether they have started or submitted it and when it closes. Nothing at all when there are none (or they
 * cannot be read). With `pendingOnly` (the home page), only those still to be sent: the home page stays calm.
 */
export function OpenQuestionnaires({ pendingOnly = false }: { pendingOnly?: boolean }) {
  const { t, lang } = useT();
  const mine = useResource(listMyQuestionnaires, []);
  const items = (mine.data ?? []).filter((item) => !pendingOnly || item.state !== 'submitted');
  if (!items.length) return null;
  return (
    <section class="qn-panel" aria-labelledby="qn-panel-title">
      <h2 id="qn-panel-title">{t('questionnaires.panel.title')}</h2>
      <p>{t('questionnaires.panel.intro')}</p>
      <ul class="qn-panel__list">
        {items.map((item) => (
          <li key={item.id}>
            <Link href={questionnairePaths.fill(item.id)} class="qn-panel__item">
              <span class="qn-panel__title">{item.title}</span>
              <span class={`badge${item.state === 'submitted' ? ' badge--closed' : item.state === 'new' ? ' badge--open' : ''}`}>
                {t(`questionnaires.panel.state.${item.state}`)}
              </span>
              {item.anonymous && <span class="badge">{t('questionnaires.panel.anonymous')}</span>}
              <span class="qn-panel__when">{t('questionnaires.panel.closes', { when: whenText(item.closesAt, lang) })}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
