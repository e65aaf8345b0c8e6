/**
 * A PDF written by hand for tests: one A4 page per entry of `pages`, each drawing that content stream (PDF
 * operators, e.g. `BT /F1 28 Tf 60 600 Td (Page 1) Tj ET`, with Helvetica as /F1) or nothing (`null`), and a
 * correct cross-reference table (every offset counted), so pdf.js counts and draws it without repairing anything
 * and nothing depends on a converter.
 */
export function pdfOfPages(pages: ReadonlyArray<string | null>): Buffer {
  const count = pages.length;
  const font = 3 + 2 * count;
  const objects: string[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${pages.map((_, i) => `${3 + i} 0 R`).join(' ')}] /Count ${count} >>`,
    ...pages.map((content, i) =>
      content === null
        ? '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>'
        : `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents ${3 + count + i} 0 R /Resources << /Font << /F1 ${font} 0 R >> >> >>`,
    ),
    ...pages.map((content) => `<< /Length ${Buffer.byteLength(content ?? '', 'latin1')} >>\nstream\n${content ?? ''}\nendstream`),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
