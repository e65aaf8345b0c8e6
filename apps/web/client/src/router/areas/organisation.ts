// Organisation administration (units, members, imports, classes, transfers, settings), fetched on first use.
export { ClassPage } from '../../organisation/class-page.js';
export { ClassesPage } from '../../organisation/classes-page.js';
export { ImportPage } from '../../organisation/import-page.js';
export { MemberPage } from '../../organisation/member-page.js';
export { MembersPage } from '../../organisation/members-page.js';
export { SettingsPage } from '../../organisation/settings-page.js';
export { TransfersPage } from '../../organisation/transfers-page.js';
export { UnitsPage } from '../../organisation/units-page.js';
