import type { Role } from '../api/types.js';
import { useSession } from '../auth/session.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import { type Audience, homePathFor, navRoutesFor } from '../router/routes.js';
import { Page } from './page.js';

const explanationKeys = {
  learners: 'memberShell.rolePage.learners',
  editors: 'memberShell.rolePage.editors',
  admins: 'memberShell.rolePage.admins',
  readers: 'memberShell.rolePage.readers',
  graders: 'memberShell.rolePage.graders',
} as const satisfies Record<Exclude<Audience, 'everyone'>, string>;

/** A button to the person's own start page, named after it ("前往我的学习"). */
export function HomeButton({ role }: { role: Role }) {
  const { t } = useT();
  const home = navRoutesFor(role)[0];
  return (
    <Link href={homePathFor(role)} class="button button--primary">
      {home?.navKey ? t('memberShell.rolePage.goHome', { page: t(home.navKey) }) : t('pages.backHome')}
    </Link>
  );
}

/**
 * Shown instead of a page that exists for other roles, e.g. a member following a link to the studio:
 * who the page is for, whom to ask, and the way back to the person's own start page.
 */
export function RolePage({ audience }: { audience: Audience }) {
  const { t } = useT();
  const { user } = useSession();
  return (
    <Page title={t('memberShell.rolePage.title')}>
      <div class="notice role-page">
        {audience !== 'everyone' && <p>{t(explanationKeys[audience])}</p>}
        {user.orgUnit && <p>{t('memberShell.rolePage.yourUnit', { unit: user.orgUnit.name })}</p>}
      </div>
      <p>
        <HomeButton role={user.role} />
      </p>
    </Page>
  );
}
