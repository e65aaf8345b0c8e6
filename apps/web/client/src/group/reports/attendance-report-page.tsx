import { Page } from '../../components/page.js';
import { useT } from '../../i18n/use-t.js';

/** Group study attendance by unit and member for a period, absentees and make-up, with exports. */
export function AttendanceReportPage() {
  const { t } = useT();
  return <Page title={t('groupAttendance.title')}>{null}</Page>;
}
