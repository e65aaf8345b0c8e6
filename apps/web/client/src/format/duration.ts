/**
 * The one rule for durations and percentages, shared with the server's report exports
 * (`libs/contracts/src/format.ts`), so a page and the file exported from it say the same.
 */
export {
  decimalHours,
  durationParts,
  formatDuration,
  formatHours,
  percentText,
  shareText,
} from '../../../../../libs/contracts/src/format.js';
