import { useState } from 'preact/hooks';
import { getMaterial, listCourseMaterials, listLectureMaterials, type MaterialView } from '../api/material-reading.js';
import { bytes } from '../format/format.js';
import { useResource } from '../hooks/use-resource.js';
import { errorKey } from '../i18n/error-key.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import './materials.css';

type Source = { courseId: string; lectureId?: undefined } | { lectureId: string; courseId?: undefined };

/**
 * The materials of a course (or of one lecture), in large type: title, kind and size, "Read" for those that
 * can be read in the page (PDFs, converted documents, images and texts) and "Download" for all. Nothing is
 * shown when there are none.
 */
export function MaterialsList(props: Source & { lectureTitles?: Map<string, string> }) {
  const { t } = useT();
  const list = useResource(
    () => (props.lectureId ? listLectureMaterials(props.lectureId) : listCourseMaterials(props.courseId!)),
    [props.courseId, props.lectureId],
  );
  const materials = list.data?.materials.filter((m) => m.archivedAt === null) ?? [];
  if (materials.length === 0) return null;
  const headingId = `materials-${props.lectureId ?? props.courseId}`;
  return (
    <section class="materials" aria-labelledby={headingId}>
      <h2 id={headingId} class="materials__title">
        {t(props.lectureId ? 'materialReader.lectureListTitle' : 'materialReader.listTitle')}
      </h2>
      <ul class="materials__list">
        {materials.map((material) => (
          <MaterialItem
            key={material.id}
            material={material}
            lectureTitle={material.lectureId ? props.lectureTitles?.get(material.lectureId) : undefined}
          />
        ))}
      </ul>
    </section>
  );
}

const readable = (m: MaterialView) => m.readable || m.kind === 'image' || m.kind === 'text';

function MaterialItem({ material, lectureTitle }: { material: MaterialView; lectureTitle?: string | undefined }) {
  const { t } = useT();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The list carries no links (they expire): a fresh signed link is fetched at the tap.
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const fresh = await getMaterial(material.id);
      const link = document.createElement('a');
      link.href = fresh.links.downloadUrl;
      link.download = fresh.fileName;
      document.body.append(link);
      link.click();
      link.remove();
    } catch (failure) {
      setError(t(errorKey(failure)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li class="materials__item" data-material-id={material.id}>
      <span class="materials__name">{material.title}</span>
      <span class="materials__meta">
        <span>{t(`materialReader.kind.${material.kind}`)}</span>
        <span>{bytes(material.sizeBytes)}</span>
        {material.pageCount ? <span>{t('materialReader.pages', { count: material.pageCount })}</span> : null}
        {lectureTitle && <span>{lectureTitle}</span>}
        {material.state === 'converting' && <span>{t('materialReader.converting')}</span>}
      </span>
      <span class="materials__actions">
        {readable(material) && (
          <Link href={`/materials/${encodeURIComponent(material.id)}`} class="button button--primary button--big">
            {t('materialReader.read')}
            <span class="visually-hidden">{t('materialReader.readWhat', { title: material.title })}</span>
          </Link>
        )}
        <button
          type="button"
          class="button button--big"
          onClick={download}
          disabled={busy}
          aria-label={t('materialReader.downloadLabel', { title: material.title })}
        >
          {t('materialReader.download')}
        </button>
      </span>
      {error && (
        <span class="materials__error" role="alert">
          {error}
        </span>
      )}
    </li>
  );
}
