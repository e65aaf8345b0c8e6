import { Page } from '../components/page.js';
import { useT } from '../i18n/use-t.js';

interface PlaceholderPageProps {
  titleKey: 'study.title' | 'courses.title' | 'studio.title' | 'reports.title';
}

export function PlaceholderPage({ titleKey }: PlaceholderPageProps) {
  const { t } = useT();
  return (
    <Page title={t(titleKey)}>
      <p class="notice">{t('pages.comingSoon')}</p>
    </Page>
  );
}
