// pdf.js is loaded only when a member opens a material to read, in chunks of its own (the library and its
// worker), so no other page grows. The legacy build runs on the older phones and WebViews members use.
import type * as PdfJs from 'pdfjs-dist/legacy/build/pdf.mjs';

export type PdfJsModule = typeof PdfJs;
export type PdfDocument = PdfJs.PDFDocumentProxy;

let loading: Promise<PdfJsModule> | null = null;

/** pdf.js, with its worker served by the app itself (same origin, allowed by `worker-src 'self'`). */
export function loadPdfJs(): Promise<PdfJsModule> {
  loading ??= Promise.all([import('pdfjs-dist/legacy/build/pdf.mjs'), import('pdfjs-dist/legacy/build/pdf.worker.min.mjs?url')]).then(
    ([pdfjs, worker]) => {
      pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
      return pdfjs;
    },
  );
  loading.catch(() => {
    loading = null;
  });
  return loading;
}

/** Why a document did not open, as the reader tells the member. */
export type OpenFailure = 'expired' | 'network' | 'broken';

/** A signed link refused (401/403/404/410) has expired or been withdrawn; a bad file is broken; anything else is the line. */
export function openFailure(pdfjs: PdfJsModule | null, error: unknown): OpenFailure {
  if (pdfjs && error instanceof pdfjs.ResponseException) {
    return [401, 403, 404, 410].includes(error.status) ? 'expired' : 'network';
  }
  if (pdfjs && error instanceof pdfjs.InvalidPDFException) return 'broken';
  const name = error instanceof Error ? error.name : '';
  if (name === 'InvalidPDFException' || name === 'FormatError') return 'broken';
  return 'network';
}

/**
 * Opens a PDF at a URL: no eval (the CSP forbids it anyway) and no XFA forms. pdf.js never runs a document's
 * JavaScript without its separate scripting sandbox, which is not loaded.
 */
export async function openPdf(url: string): Promise<{ pdfjs: PdfJsModule; doc: PdfDocument }> {
  const pdfjs = await loadPdfJs();
  const doc = await pdfjs.getDocument({ url, isEvalSupported: false, enableXfa: false }).promise;
  return { pdfjs, doc };
}
