import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { hasNavigated } from '../router/router.js';
import { useT } from '../i18n/use-t.js';

interface PageProps {
  title: string;
  children?: ComponentChildren;
}

/** Page heading plus document title; after in-app navigation focus moves to the heading so screen readers announce the new page. */
export function Page({ title, children }: PageProps) {
  const { t } = useT();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = `${title} – ${t('app.name')}`;
  }, [title, t]);

  useEffect(() => {
    if (hasNavigated()) heading.current?.focus();
  }, []);

  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </>
  );
}
