import { countColumn, decimalHoursColumn, durationColumn, type ReportLabels } from './report-columns.js';
import type { Column } from './report-table.js';
import type { UnitStudyRow } from '#contracts';

/** The period report's unit table, as the page shows it: each unit's own study, then its subtree's. */
export const unitStudyColumns = (labels: ReportLabels): Column<UnitStudyRow>[] => [
  { key: 'unit', zh: '单位', en: 'Unit', text: (r) => r.name },
  { key: 'unitPath', zh: '单位路径', en: 'Unit path', text: (r) => labels.unitTrail(r.path) },
  durationColumn(labels.lang, 'ownHours', '本单位学时', 'Hours in this unit', (r) => r.ownSec),
  decimalHoursColumn('ownHoursDecimal', '本单位学时', 'Hours in this unit', (r) => r.ownSec),
  countColumn('ownMembers', '本单位学习人数', 'Members studying in this unit', (r) => r.ownMembers),
  durationColumn(labels.lang, 'totalHours', '含下级学时', 'Hours with units below', (r) => r.totalSec),
  decimalHoursColumn('totalHoursDecimal', '含下级学时', 'Hours with units below', (r) => r.totalSec),
  countColumn('totalMembers', '含下级学习人数', 'Members studying with units below', (r) => r.totalMembers),
];
