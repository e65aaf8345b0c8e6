import type { zh } from './nav.js';

// Fetched only with the rest of the English messages; `en` has exactly the shape of `zh`.
export const en: typeof zh = {
  label: 'Organisation',
  units: 'Units',
  members: 'Members',
  import: 'Import',
  classes: 'Training classes',
  transfers: 'Transfers',
  settings: 'Positions and categories',
};
