import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';

/** One entry of a ZIP built for tests; the `declared*` and `crc` fields let a test write a lying header. */
export interface FixtureEntry {
  name: string;
  data?: Uint8Array | string;
  /** 0 = stored, 8 = deflated (default). */
  method?: number;
  /** Already-compressed bytes to store as the entry's data (with `declaredUncompressedSize`). */
  compressed?: Uint8Array;
  flags?: number;
  declaredUncompressedSize?: number;
  declaredCompressedSize?: number;
  crc?: number;
}

export interface FixtureZipOptions {
  /** Write the ZIP64 end of central directory record and locator, with 0xFFFF/0xFFFFFFFF in the classic record. */
  zip64?: boolean;
  comment?: string;
  /** Overrides the entry count in the end of central directory record. */
  declaredEntryCount?: number;
}

const u16 = (value: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(value);
  return b;
};
const u32 = (value: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value >>> 0);
  return b;
};
const u64 = (value: number) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(value));
  return b;
};

/** Builds a ZIP file (local headers, central directory, end record) in memory. */
export function buildZip(entries: readonly FixtureEntry[], options: FixtureZipOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const raw = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : Buffer.from(entry.data ?? []);
    const method = entry.method ?? 8;
    const body = entry.compressed ? Buffer.from(entry.compressed) : method === 8 ? deflateRawSync(raw) : raw;
    const name = Buffer.from(entry.name, 'utf8');
    const flags = (entry.flags ?? 0) | 0x800;
    const crc = entry.crc ?? crc32(raw);
    const compressedSize = entry.declaredCompressedSize ?? body.length;
    const uncompressedSize = entry.declaredUncompressedSize ?? raw.length;
    const common = [u16(20), u16(flags), u16(method), u16(0), u16(0x21), u32(crc), u32(compressedSize), u32(uncompressedSize)];
    const local = Buffer.concat([u32(0x04034b50), ...common, u16(name.length), u16(0), name, body]);
    centrals.push(
      Buffer.concat([u32(0x02014b50), u16(0x031e), ...common, u16(name.length), u16(0), u16(0), u16(0), u16(0), u32(0), u32(offset), name]),
    );
    locals.push(local);
    offset += local.length;
  }
  const central = Buffer.concat(centrals);
  const count = options.declaredEntryCount ?? entries.length;
  const comment = Buffer.from(options.comment ?? '', 'latin1');
  const tail: Buffer[] = [];
  if (options.zip64) {
    const recordOffset = offset + central.length;
    tail.push(
      Buffer.concat([u32(0x06064b50), u64(44), u16(45), u16(45), u32(0), u32(0), u64(count), u64(count), u64(central.length), u64(offset)]),
      Buffer.concat([u32(0x07064b50), u32(0), u64(recordOffset), u32(1)]),
      Buffer.concat([
        u32(0x06054b50),
        u16(0xffff),
        u16(0xffff),
        u16(0xffff),
        u16(0xffff),
        u32(0xffffffff),
        u32(0xffffffff),
        u16(comment.length),
        comment,
      ]),
    );
  } else {
    tail.push(
      Buffer.concat([
        u32(0x06054b50),
        u16(0),
        u16(0),
        u16(count),
        u16(count),
        u32(central.length),
        u32(offset),
        u16(comment.length),
        comment,
      ]),
    );
  }
  return Buffer.concat([...locals, central, ...tail]);
}

const CONTENT_TYPES = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
  docm: 'application/vnd.ms-word.document.macroEnabled.main+xml',
} as const;

const MAIN_PARTS = { docx: 'word/document.xml', pptx: 'ppt/presentation.xml', xlsx: 'xl/workbook.xml', docm: 'word/document.xml' } as const;

export function contentTypesXml(kind: keyof typeof CONTENT_TYPES): string {
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    `<Override PartName="/${MAIN_PARTS[kind]}" ContentType="${CONTENT_TYPES[kind]}"/>` +
    '</Types>'
  );
}

/** The entries of a minimal Office Open XML package of the given kind, in the order Office writes them. */
export function officeEntries(kind: keyof typeof CONTENT_TYPES, extra: readonly FixtureEntry[] = []): FixtureEntry[] {
  return [
    { name: '[Content_Types].xml', data: contentTypesXml(kind) },
    {
      name: '_rels/.rels',
      data:
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${MAIN_PARTS[kind]}"/></Relationships>`,
    },
    {
      name: MAIN_PARTS[kind],
      data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<root>${'<p>Lecture notes</p>'.repeat(20)}</root>`,
    },
    ...extra,
  ];
}

/** Raw DEFLATE data for `totalBytes` zeros, built chunk by chunk so the zeros never sit in memory at once. */
export async function deflatedZeros(totalBytes: number, chunkBytes = 1024 * 1024): Promise<Buffer> {
  const deflate = createDeflateRaw({ level: 9 });
  const output: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => output.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  const chunk = Buffer.alloc(chunkBytes);
  for (let written = 0; written < totalBytes; written += chunkBytes) {
    const piece = written + chunkBytes <= totalBytes ? chunk : chunk.subarray(0, totalBytes - written);
    if (!deflate.write(piece)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await finished;
  return Buffer.concat(output);
}
