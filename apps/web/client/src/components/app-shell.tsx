import type { ComponentChildren } from 'preact';
import { changePasswordPath, mustChangePassword, useSession } from '../auth/session.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import { navRoutesFor } from '../router/routes.js';
import { LanguageSwitch } from './language-switch.js';
import { TextSizeSwitch } from './text-size.js';
import { mainId, SkipLink } from './skip-link.js';

interface AppShellProps {
  /** The navigation entry the current page belongs to. */
  section: string | null;
  children: ComponentChildren;
}

export function AppShell({ section, children }: AppShellProps) {
  const { t } = useT();
  const { user, signOut } = useSession();
  // Until a reset password is replaced, the change-password page is the only one: no navigation.
  const held = mustChangePassword(user);
  return (
    <>
      <SkipLink />
      <header class="site-header">
        <div class="site-header__inner">
          <p class="brand">{t('app.name')}</p>
          <section class="user" aria-label={t('shell.userInfo')}>
            <p class="user__name">{user.name}</p>
            <p class="user__meta">
              <span class="badge">
                <span class="visually-hidden">{t('shell.role')}: </span>
                {t(`roles.${user.role}`)}
              </span>
              <span>
                <span class="visually-hidden">{t('shell.unit')}: </span>
                {user.orgUnit?.name ?? t('shell.noUnit')}
              </span>
            </p>
          </section>
          <div class="site-header__actions">
            <div class="site-settings">
              <LanguageSwitch />
              <TextSizeSwitch />
            </div>
            <div class="site-account">
              {!held && (
                <Link href={changePasswordPath} class="button" current={section === '/account'}>
                  {t('orgMembers.password.link')}
                </Link>
              )}
              <button type="button" class="button" onClick={signOut}>
                {t('shell.logout')}
              </button>
            </div>
          </div>
        </div>
      </header>
      {!held && (
        <nav class="main-nav" aria-label={t('shell.mainNav')}>
          <ul class="main-nav__list">
            {navRoutesFor(user.role).map((route) => (
              <li key={route.path}>
                <Link href={route.path} class="main-nav__link" current={route.path === section}>
                  {t(route.navKey!)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <main id={mainId} class="content" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
