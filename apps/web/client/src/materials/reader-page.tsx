import { useEffect, useRef, useState } from 'preact/hooks';
import { getMaterial, type MaterialWithLinks } from '../api/material-reading.js';
import { Alert } from '../components/alert.js';
import { Page } from '../components/page.js';
import { bytes } from '../format/format.js';
import { useDuration } from '../format/use-format.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import { PdfView } from './pdf-view.js';
import { useReadingReports } from './use-reading-reports.js';
import './materials.css';

/**
 * A material read in the page: a PDF (or an Office document converted to one) page by page, an image or a
 * text as it is; the original is downloadable in every case. Reading time is reported while the page is on
 * screen.
 */
export function MaterialReaderPage({ materialId }: { materialId: string }) {
  const { t } = useT();
  const { duration } = useDuration();
  const material = useResource(() => getMaterial(materialId), [materialId]);
  // A fresh link was fetched after the last one was refused: a second refusal is then a plain failure.
  const [refreshed, setRefreshed] = useState(false);
  const page = useRef(1);
  const data = material.data;
  const secondsRead = useReadingReports(materialId, data !== null, page);

  useEffect(() => setRefreshed(false), [materialId]);

  if (!data) {
    return (
      <Page title={material.loading ? t('materialReader.loading') : t('materialReader.title')}>
        <Alert message={material.error && t(material.error)} />
        {material.error && (
          <p class="actions">
            <button type="button" class="button button--primary" onClick={material.reload}>
              {t('materialReader.retry')}
            </button>
          </p>
        )}
      </Page>
    );
  }

  const renew = () => {
    setRefreshed(true);
    material.reload();
  };
  return (
    <div class="material-reader">
      <p class="material-reader__back">
        <Link href={`/courses/${encodeURIComponent(data.courseId)}`}>{t('materialReader.backToCourse')}</Link>
      </p>
      <Page title={data.title}>
        <p class="material-reader__meta">
          <span>{t(`materialReader.kind.${data.kind}`)}</span>
          <span>{bytes(data.sizeBytes)}</span>
          {secondsRead !== null && secondsRead > 0 && <span>{t('materialReader.readTime', { time: duration(secondsRead) })}</span>}
        </p>
        <p class="material-reader__download">
          <DownloadLink material={data} />
        </p>
        <MaterialBody material={data} refreshed={refreshed} onExpired={renew} onPage={(n) => (page.current = n)} />
        <p class="material-reader__note">{t('materialReader.readingNote')}</p>
      </Page>
    </div>
  );
}

/** The original file, through its signed link, under its own name. */
export function DownloadLink({ material, compact = false }: { material: MaterialWithLinks; compact?: boolean }) {
  const { t } = useT();
  return (
    <a
      class={compact ? 'button' : 'button button--big'}
      href={material.links.downloadUrl}
      download={material.fileName}
      data-testid="material-download"
    >
      {compact ? t('materialReader.download') : t('materialReader.downloadOriginal', { size: bytes(material.sizeBytes) })}
    </a>
  );
}

function MaterialBody({
  material,
  refreshed,
  onExpired,
  onPage,
}: {
  material: MaterialWithLinks;
  refreshed: boolean;
  onExpired(): void;
  onPage(page: number): void;
}) {
  const { t } = useT();
  if (material.readable && material.links.readUrl) {
    return <PdfView url={material.links.readUrl} refreshed={refreshed} onExpired={onExpired} onPage={onPage} />;
  }
  if (material.kind === 'image') {
    return (
      <figure class="material-reader__image">
        <img src={material.links.downloadUrl} alt={t('materialReader.imageAlt', { title: material.title })} />
      </figure>
    );
  }
  if (material.kind === 'text') return <TextBody url={material.links.downloadUrl} />;
  const message =
    material.state === 'converting'
      ? 'materialReader.notReadableConverting'
      : material.state === 'failed'
        ? 'materialReader.notReadableFailed'
        : 'materialReader.notReadable';
  return <p class="notice">{t(message)}</p>;
}

/** A plain-text material shown as text, wrapped to the screen. */
function TextBody({ url }: { url: string }) {
  const { t } = useT();
  const text = useResource(async () => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(String(response.status));
    return response.text();
  }, [url]);
  if (text.data !== null) return <pre class="material-reader__text">{text.data}</pre>;
  if (text.error) {
    return (
      <div role="alert">
        <p>{t('materialReader.textFailed')}</p>
        <button type="button" class="button" onClick={text.reload}>
          {t('materialReader.retry')}
        </button>
      </div>
    );
  }
  return (
    <p class="status" role="status">
      {t('materialReader.loading')}
    </p>
  );
}
