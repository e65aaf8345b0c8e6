/**
 * Pure rules of the in-page PDF reader: which pages to keep rendered, how large to draw a page, and what
 * a reading report claims. Kept apart from pdf.js so they are table-tested.
 */

/** Zoom steps a member moves through with the − and + buttons; 1 fits the page to the screen's width. */
export const ZOOM_STEPS = [1, 1.25, 1.5, 2, 2.5, 3] as const;

/**
 * The pages kept drawn around the one on screen: `radius` before and after it, within 1 … total.
 * A 100-page PDF so draws at most 2 × radius + 1 pages, never all of them.
 */
export function pageWindow(current: number, total: number, radius = 1): number[] {
  if (!(total >= 1)) return [];
  const page = clampPage(current, total);
  const pages: number[] = [];
  for (let p = Math.max(1, page - radius); p <= Math.min(total, page + radius); p += 1) pages.push(p);
  return pages;
}

/** A page number within 1 … total (1 for anything that is not a number). */
export function clampPage(page: number, total: number): number {
  if (!Number.isFinite(page) || total < 1) return 1;
  return Math.min(total, Math.max(1, Math.trunc(page)));
}

/** The next zoom step in a direction, staying at the ends. */
export function stepZoom(zoom: number, direction: 1 | -1): number {
  const index = ZOOM_STEPS.findIndex((step) => step >= zoom - 1e-9);
  const at = index < 0 ? ZOOM_STEPS.length - 1 : index;
  const next = Math.min(ZOOM_STEPS.length - 1, Math.max(0, at + direction));
  return ZOOM_STEPS[next]!;
}

export interface PageSize {
  /** CSS pixels the page takes on screen. */
  cssWidth: number;
  cssHeight: number;
  /** Canvas pixels: CSS pixels × device pixel ratio, so text stays sharp on a phone's dense screen. */
  pixelWidth: number;
  pixelHeight: number;
  /** The pdf.js viewport scale for the canvas (page points → canvas pixels). */
  scale: number;
}

/**
 * How large to draw a page of `pageWidth` × `pageHeight` points: fitted to `available` CSS pixels of width,
 * times the zoom, with the canvas at the device pixel ratio (capped at 3, and at 16 million canvas pixels,
 * which phones refuse beyond).
 */
export function pageSize(pageWidth: number, pageHeight: number, available: number, zoom: number, devicePixelRatio: number): PageSize {
  const width = Math.max(1, pageWidth);
  const height = Math.max(1, pageHeight);
  const fit = Math.max(100, available) / width;
  const cssScale = fit * Math.max(0.25, zoom);
  const cssWidth = Math.round(width * cssScale);
  const cssHeight = Math.round(height * cssScale);
  let ratio = Math.min(3, Math.max(1, Number.isFinite(devicePixelRatio) ? devicePixelRatio : 1));
  const maxPixels = 16_000_000;
  if (cssWidth * cssHeight * ratio * ratio > maxPixels) ratio = Math.max(0.5, Math.sqrt(maxPixels / (cssWidth * cssHeight)));
  return {
    cssWidth,
    cssHeight,
    pixelWidth: Math.round(cssWidth * ratio),
    pixelHeight: Math.round(cssHeight * ratio),
    scale: cssScale * ratio,
  };
}

/** How often the reader reports reading time while visible. */
export const READING_REPORT_MS = 30_000;

/**
 * Seconds of visible reading to report: the time the page was visible since the last report, in whole
 * seconds, at most `max` (the server takes no more than its own clock allows anyway).
 */
export function visibleSeconds(visibleMs: number, max = 120): number {
  if (!Number.isFinite(visibleMs) || visibleMs <= 0) return 0;
  return Math.min(max, Math.floor(visibleMs / 1000));
}

/** The plan form's reading minutes as typed: empty is null (reading does not count), else a whole 1 … 600. */
export function readMinutesInput(text: string): number | null | 'invalid' {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (!/^\d{1,3}$/.test(trimmed)) return 'invalid';
  const minutes = Number(trimmed);
  return minutes >= 1 && minutes <= 600 ? minutes : 'invalid';
}
