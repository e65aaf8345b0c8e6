import { useEffect, useState } from 'preact/hooks';
import { listCourseCategories } from '../api/catalog.js';
import { updateCourse } from '../api/studio.js';
import type { CourseCategory, StudioCourse } from '../api/types.js';
import { LiveStatus } from '../components/live-status.js';
import { categoryName } from '../format/format.js';
import { useT } from '../i18n/use-t.js';
import { CourseForm } from './course-form.js';

interface PanelProps {
  course: StudioCourse;
  onChange(course: StudioCourse): void;
}

export function CourseDetailsPanel({ course, onChange }: PanelProps) {
  const { t, lang } = useT();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [categories, setCategories] = useState<CourseCategory[]>([]);

  useEffect(() => {
    listCourseCategories()
      .then(setCategories)
      .catch(() => undefined);
  }, []);

  const category = categories.find((c) => c.id === course.category.id) ?? course.category;
  return (
    <section class="panel" aria-labelledby="details-heading">
      <h2 id="details-heading">{t('editor.details')}</h2>
      <LiveStatus message={saved} />
      {editing ? (
        <CourseForm
          initial={{
            title: course.title,
            description: course.description,
            categoryId: course.category.id,
            compulsory: course.compulsory,
            visibleUnitIds: course.visibleUnitIds,
            publishWhenPreviewable: course.publishWhenPreviewable,
          }}
          submitLabel={t('common.save')}
          busyLabel={t('common.saving')}
          onSubmit={async (input) => {
            onChange(await updateCourse(course.id, input));
            setEditing(false);
            setSaved(t('common.saved'));
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <>
          <dl class="facts">
            <dt>{t('courseForm.category')}</dt>
            <dd>{categoryName(category, lang)}</dd>
            <dt>{t('courseForm.kind')}</dt>
            <dd>{course.compulsory ? t('courseForm.compulsory') : t('courseForm.elective')}</dd>
            <dt>{t('courseForm.visibility')}</dt>
            <dd>
              {course.visibleUnitIds.length === 0
                ? t('courseForm.visibleAll')
                : t('courseForm.unitsChosen', { count: course.visibleUnitIds.length })}
            </dd>
            <dt>{t('preview.earlyPublish')}</dt>
            <dd>{course.publishWhenPreviewable ? t('preview.earlyPublishOn') : t('preview.earlyPublishOff')}</dd>
          </dl>
          {course.description && <p class="description">{course.description}</p>}
          <button
            type="button"
            class="button"
            onClick={() => {
              setSaved(null);
              setEditing(true);
            }}
          >
            {t('editor.editDetails')}
          </button>
        </>
      )}
    </section>
  );
}
