import { Link } from '../router/link.js';
import { usePath } from '../router/router.js';

export interface SubNavTab {
  href: string;
  label: string;
}

/**
 * A section's pages as a row of links that wraps on a phone. The tab whose address is the longest prefix of
 * the current path is current, so /organisation/members/123 marks "Members".
 */
export function SubNav({ label, tabs }: { label: string; tabs: readonly SubNavTab[] }) {
  const path = usePath();
  const current = tabs
    .filter((tab) => path === tab.href || path.startsWith(`${tab.href}/`))
    .reduce<string | null>((best, tab) => (!best || tab.href.length > best.length ? tab.href : best), null);
  return (
    <nav class="subnav" aria-label={label}>
      <ul class="subnav__list">
        {tabs.map((tab) => (
          <li key={tab.href}>
            <Link href={tab.href} class="subnav__link" current={tab.href === current}>
              {tab.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
