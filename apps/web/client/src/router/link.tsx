import type { ComponentChildren, TargetedMouseEvent } from 'preact';
import { navigate } from './router.js';

interface LinkProps {
  href: string;
  current?: boolean;
  class?: string;
  /** The name a screen reader says when the visible words alone would be ambiguous ("阅读" of which material). */
  'aria-label'?: string;
  children: ComponentChildren;
}

export function Link({ href, current, class: className, 'aria-label': label, children }: LinkProps) {
  const onClick = (event: TargetedMouseEvent<HTMLAnchorElement>) => {
    // Let the browser handle new-tab and new-window clicks.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} class={className} aria-label={label} aria-current={current ? 'page' : undefined} onClick={onClick}>
      {children}
    </a>
  );
}
