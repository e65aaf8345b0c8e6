import { useEffect, useRef, useState } from 'preact/hooks';
import { useT } from '../i18n/use-t.js';
import { loadPdfJs, openFailure, type OpenFailure, type PdfDocument, type PdfJsModule } from './pdf-loader.js';
import { clampPage, pageSize, pageWindow, stepZoom } from './reader-logic.js';

interface PdfViewProps {
  url: string;
  /** The signed link was refused: fetch a new one (the view opens the new `url` it is then given). */
  onExpired(): void;
  /** Whether a fresh link was already fetched for this failure (then an expired link is a plain failure). */
  refreshed: boolean;
  onPage?(page: number): void;
}

type Status = { state: 'opening' } | { state: 'ready'; doc: PdfDocument } | { state: 'failed'; why: OpenFailure };

/**
 * A PDF read page by page on a phone: each page fitted to the width at the screen's pixel density, large
 * previous / next buttons with "page 3 of 12", zoom. Only the page on screen and its neighbours are drawn
 * (the neighbours hidden, so turning a page is instant); a 100-page document never draws all its pages.
 */
export function PdfView({ url, onExpired, refreshed, onPage }: PdfViewProps) {
  const { t } = useT();
  const [status, setStatus] = useState<Status>({ state: 'opening' });
  const [attempt, setAttempt] = useState(0);
  const [page, setPage] = useState(1);
  const [zoom, setZoom] = useState(1);
  const frame = useRef<HTMLDivElement>(null);
  const width = useWidth(frame, status.state === 'ready');

  useEffect(() => {
    let stale = false;
    let opened: PdfDocument | null = null;
    let pdfjs: PdfJsModule | null = null;
    setStatus({ state: 'opening' });
    (async () => {
      try {
        pdfjs = await loadPdfJs();
        const doc = await pdfjs.getDocument({ url, isEvalSupported: false, enableXfa: false }).promise;
        opened = doc;
        if (stale) return void doc.destroy();
        setPage((p) => clampPage(p, doc.numPages));
        setStatus({ state: 'ready', doc });
      } catch (error) {
        if (stale) return;
        const why = openFailure(pdfjs, error);
        if (why === 'expired' && !refreshed) onExpired();
        setStatus({ state: 'failed', why: why === 'expired' && refreshed ? 'network' : why });
      }
    })();
    return () => {
      stale = true;
      void opened?.destroy();
    };
  }, [url, attempt]);

  useEffect(() => onPage?.(page), [page]);

  if (status.state === 'opening') {
    return (
      <p class="status" role="status">
        {t('materialReader.opening')}
      </p>
    );
  }
  if (status.state === 'failed') {
    if (status.why === 'expired') {
      return (
        <p class="status" role="status">
          {t('materialReader.expired')}
        </p>
      );
    }
    return (
      <div class="pdf-view__failed" role="alert">
        <p>{t(status.why === 'broken' ? 'materialReader.brokenFile' : 'materialReader.loadFailed')}</p>
        {status.why === 'network' && (
          <button
            type="button"
            class="button button--primary button--big"
            onClick={() => (refreshed ? onExpired() : setAttempt((a) => a + 1))}
          >
            {t('materialReader.retry')}
          </button>
        )}
      </div>
    );
  }

  const doc = status.doc;
  const total = doc.numPages;
  const go = (to: number) => {
    setPage(clampPage(to, total));
    frame.current?.scrollTo?.({ top: 0, left: 0 });
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowRight' || event.key === 'PageDown') go(page + 1);
    else if (event.key === 'ArrowLeft' || event.key === 'PageUp') go(page - 1);
    else return;
    event.preventDefault();
  };
  const pager = (where: 'top' | 'bottom') => (
    <div class="pdf-view__pager">
      <button type="button" class="button button--big pdf-view__turn" onClick={() => go(page - 1)} disabled={page <= 1}>
        {t('materialReader.previousPage')}
      </button>
      <span
        class="pdf-view__position"
        aria-live={where === 'top' ? 'polite' : undefined}
        data-testid={where === 'top' ? 'page-position' : undefined}
      >
        {t('materialReader.pageOf', { page, total })}
      </span>
      <button type="button" class="button button--big button--primary pdf-view__turn" onClick={() => go(page + 1)} disabled={page >= total}>
        {t('materialReader.nextPage')}
      </button>
    </div>
  );
  return (
    <div class="pdf-view">
      {pager('top')}
      <div class="pdf-view__zoom">
        <button
          type="button"
          class="button"
          onClick={() => setZoom((z) => stepZoom(z, -1))}
          disabled={zoom <= 1}
          aria-label={t('materialReader.zoomOut')}
        >
          −
        </button>
        <span>{t('materialReader.zoomLevel', { percent: Math.round(zoom * 100) })}</span>
        <button
          type="button"
          class="button"
          onClick={() => setZoom((z) => stepZoom(z, 1))}
          disabled={zoom >= 3}
          aria-label={t('materialReader.zoomIn')}
        >
          +
        </button>
      </div>
      {/* Scrolls both ways once zoomed; arrow keys turn the page. */}
      <div
        class="pdf-view__frame"
        ref={frame}
        tabIndex={0}
        onKeyDown={onKey}
        aria-label={t('materialReader.pageLabel', { page })}
        role="region"
      >
        {width > 0 &&
          pageWindow(page, total, 1).map((n) => <PdfPage key={n} doc={doc} number={n} shown={n === page} width={width} zoom={zoom} />)}
      </div>
      {pager('bottom')}
    </div>
  );
}

/** One page drawn on a canvas; re-drawn when the width or the zoom changes, its drawing cancelled when it leaves. */
function PdfPage({ doc, number, shown, width, zoom }: { doc: PdfDocument; number: number; shown: boolean; width: number; zoom: number }) {
  const { t } = useT();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [drawn, setDrawn] = useState(false);
  useEffect(() => {
    let cancelled = false;
    let cancel: (() => void) | null = null;
    setDrawn(false);
    (async () => {
      const pdfPage = await doc.getPage(number);
      const element = canvas.current;
      if (cancelled || !element) return;
      const base = pdfPage.getViewport({ scale: 1 });
      const size = pageSize(base.width, base.height, width, zoom, window.devicePixelRatio || 1);
      element.width = size.pixelWidth;
      element.height = size.pixelHeight;
      element.style.width = `${size.cssWidth}px`;
      element.style.height = `${size.cssHeight}px`;
      const task = pdfPage.render({ canvas: element, viewport: pdfPage.getViewport({ scale: size.scale }) });
      cancel = () => task.cancel();
      await task.promise;
      if (!cancelled) setDrawn(true);
    })().catch(() => undefined);
    return () => {
      cancelled = true;
      cancel?.();
    };
  }, [doc, number, width, zoom]);
  return (
    <div class="pdf-view__page" hidden={!shown}>
      <canvas
        ref={canvas}
        class="pdf-view__canvas"
        role="img"
        aria-label={t('materialReader.pageLabel', { page: number })}
        data-page={number}
        data-drawn={drawn ? 'true' : 'false'}
      />
      {shown && !drawn && (
        <p class="status pdf-view__drawing" role="status">
          {t('materialReader.rendering', { page: number })}
        </p>
      )}
    </div>
  );
}

/** The CSS width available to a page inside the frame, followed as the screen turns or resizes. */
function useWidth(frame: { current: HTMLElement | null }, mounted: boolean): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = frame.current;
    if (!element) return;
    const measure = () => setWidth(Math.floor(element.clientWidth));
    measure();
    const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(measure) : null;
    observer?.observe(element);
    window.addEventListener('resize', measure);
    return () => {
      observer?.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, [mounted]);
  return width;
}
