import type { ComponentType, FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../components/alert.js';
import { Page } from '../components/page.js';
import { useT } from '../i18n/use-t.js';
import { chunk } from './chunk.js';

/** Shown when a page's code could not be fetched: offline, or a release replaced the files the open tab knows. */
function PageLoadFailed() {
  const { t } = useT();
  return (
    <Page title={t('app.pageLoadFailed.title')}>
      <Alert message={t('app.pageLoadFailed.hint')} />
      <p>
        {/* A full reload also picks up a new release's index.html and the names of its files. */}
        <button type="button" class="button button--primary" onClick={() => location.reload()}>
          {t('app.pageLoadFailed.reload')}
        </button>
      </p>
    </Page>
  );
}

/**
 * A page whose code is fetched the first time it is shown, so the first load of the app carries only what
 * members use. Until it arrives the app's loading status is shown; once fetched it renders at once.
 */
export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): FunctionComponent<P> {
  const page = chunk(load);
  return function LazyPage(props: P) {
    const { t } = useT();
    const [failed, setFailed] = useState(false);
    const [, setArrived] = useState(false);
    useEffect(() => {
      if (page.loaded) return;
      let shown = true;
      page.load().then(
        () => shown && setArrived(true),
        () => shown && setFailed(true),
      );
      return () => {
        shown = false;
      };
    }, []);
    const Loaded = page.loaded;
    if (Loaded) return <Loaded {...props} />;
    if (failed) return <PageLoadFailed />;
    return (
      <p class="status" role="status">
        {t('app.loading')}
      </p>
    );
  };
}
