import { createCourse } from '../api/studio.js';
import { Breadcrumb } from '../components/breadcrumb.js';
import { Page } from '../components/page.js';
import { useT } from '../i18n/use-t.js';
import { navigate } from '../router/router.js';
import { CourseForm, emptyCourse } from './course-form.js';
import { editorHref } from './studio-page.js';

export function NewCoursePage() {
  const { t } = useT();
  return (
    <>
      <Breadcrumb trail={[{ href: '/studio', label: t('studio.title') }]} current={t('courseForm.newTitle')} />
      <Page title={t('courseForm.newTitle')}>
        <CourseForm
          initial={emptyCourse}
          submitLabel={t('courseForm.create')}
          busyLabel={t('courseForm.creating')}
          onSubmit={async (input) => {
            const course = await createCourse(input);
            // Replace: Back from the new course should not reopen an empty form.
            navigate(editorHref(course.id), { replace: true });
          }}
          onCancel={() => navigate('/studio')}
        />
      </Page>
    </>
  );
}
