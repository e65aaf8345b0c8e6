import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';

export interface Crumb {
  href: string;
  label: string;
}

/** Where this page sits; the last entry is the page itself and is not a link. */
export function Breadcrumb({ trail, current }: { trail: Crumb[]; current: string }) {
  const { t } = useT();
  return (
    <nav class="breadcrumb" aria-label={t('common.breadcrumb')}>
      <ol>
        {trail.map((crumb) => (
          <li key={crumb.href}>
            <Link href={crumb.href}>{crumb.label}</Link>
          </li>
        ))}
        <li aria-current="page">{current}</li>
      </ol>
    </nav>
  );
}
