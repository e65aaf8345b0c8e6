import type { ComponentChildren } from 'preact';
import { useT } from '../i18n/use-t.js';
import { LanguageSwitch } from './language-switch.js';
import { TextSizeSwitch } from './text-size.js';
import { mainId, SkipLink } from './skip-link.js';

/** Frame for pages seen before signing in. */
export function PublicLayout({ children }: { children: ComponentChildren }) {
  const { t } = useT();
  return (
    <>
      <SkipLink />
      <header class="site-header">
        <div class="site-header__inner">
          <div>
            <p class="brand">{t('app.name')}</p>
            <p class="tagline">{t('app.tagline')}</p>
          </div>
          <div class="site-header__actions">
            <div class="site-settings">
              <LanguageSwitch />
              <TextSizeSwitch />
            </div>
          </div>
        </div>
      </header>
      <main id={mainId} class="content content--narrow" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
