import { useT } from '../i18n/use-t.js';

export const mainId = 'main';

export function SkipLink() {
  const { t } = useT();
  // Focus explicitly: the router owns the URL, so the #main fragment must not become a navigation.
  const onClick = (event: Event) => {
    event.preventDefault();
    document.getElementById(mainId)?.focus();
  };
  return (
    <a class="skip-link" href={`#${mainId}`} onClick={onClick}>
      {t('app.skipToContent')}
    </a>
  );
}
