import { Link } from '../router/link.js';

/** One large card of a hub: the whole card leads to `href`, its title says where and its hint what for. */
export function HubCard({ href, title, hint }: { href: string; title: string; hint: string }) {
  return (
    <Link href={href} class="voice-card">
      <span class="voice-card__title">{title}</span>
      <span class="voice-card__hint">{hint}</span>
    </Link>
  );
}
