import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

const NS = [
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"',
  'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"',
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"',
  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"',
  'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"',
  'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"',
  'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"',
  'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"',
].join(' ');

const document = (mimetype: string, body: string, head = '') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<office:document ${NS} office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.${mimetype}">${head}<office:body>${body}</office:body></office:document>\n`;

/** The words each fixture holds, in English and Chinese, to find in the converted PDF. */
export const FIXTURE_TEXT = {
  docx: ['Lecture notes', '学习材料', '第三页'],
  pptx: ['Slide one', '第一张幻灯片', '第二张'],
  xlsx: ['Budget', '预算'],
} as const;

/** Pages each fixture's PDF has: three pages of text, two slides, one sheet. */
export const FIXTURE_PAGES = { docx: 3, pptx: 2, xlsx: 1 } as const;

const FLAT_ODF = {
  docx: {
    extension: 'fodt',
    xml: document(
      'text',
      `<office:text><text:p>Lecture notes: 学习材料 page one</text:p>` +
        `<text:p text:style-name="Break">Page two 第二页</text:p><text:p text:style-name="Break">Page three 第三页</text:p></office:text>`,
      `<office:automatic-styles><style:style style:name="Break" style:family="paragraph"><style:paragraph-properties fo:break-before="page"/></style:style></office:automatic-styles>`,
    ),
  },
  pptx: {
    extension: 'fodp',
    xml: document(
      'presentation',
      `<office:presentation>${['Slide one 第一张幻灯片', 'Slide two 第二张']
        .map(
          (line, i) =>
            `<draw:page draw:name="s${i + 1}" draw:master-page-name="Default"><draw:frame svg:x="2cm" svg:y="2cm" svg:width="20cm" svg:height="3cm"><draw:text-box><text:p>${line}</text:p></draw:text-box></draw:frame></draw:page>`,
        )
        .join('')}</office:presentation>`,
      `<office:master-styles><style:master-page style:name="Default"/></office:master-styles>`,
    ),
  },
  xlsx: {
    extension: 'fods',
    xml: document(
      'spreadsheet',
      `<office:spreadsheet><table:table table:name="Sheet1"><table:table-row>` +
        `<table:table-cell office:value-type="string"><text:p>Budget 预算</text:p></table:table-cell>` +
        `<table:table-cell office:value-type="float" office:value="42"><text:p>42</text:p></table:table-cell>` +
        `</table:table-row></table:table></office:spreadsheet>`,
    ),
  },
} as const;

export type FixtureKind = keyof typeof FLAT_ODF;

/**
 * Real Office documents made at test time, without binaries in the repository: Flat ODF written here, saved as
 * .docx/.pptx/.xlsx by LibreOffice itself (one soffice start per kind, a profile of their own).
 */
export async function makeOfficeDocuments(
  dir: string,
  kinds: FixtureKind[] = ['docx', 'pptx', 'xlsx'],
): Promise<Record<FixtureKind, string>> {
  await mkdir(dir, { recursive: true });
  const profile = join(dir, 'fixture-profile');
  const paths = {} as Record<FixtureKind, string>;
  try {
    for (const kind of kinds) {
      const { extension, xml } = FLAT_ODF[kind];
      const flat = join(dir, `fixture.${extension}`);
      await writeFile(flat, xml);
      await run(
        'soffice',
        [
          '--headless',
          '--norestore',
          '--nologo',
          `-env:UserInstallation=${pathToFileURL(profile).href}`,
          '--convert-to',
          kind,
          '--outdir',
          dir,
          flat,
        ],
        { env: { PATH: process.env.PATH, HOME: dir }, timeout: 180_000 },
      );
      paths[kind] = join(dir, `fixture.${kind}`);
    }
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
  return paths;
}

/** A file that starts like a ZIP (and so like an Office document) and holds nothing but random bytes. */
export async function makeCorruptDocx(path: string): Promise<string> {
  await writeFile(path, Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), randomBytes(4096)]));
  return path;
}

/** Pids of live processes in a process group, from /proc. */
export async function processesInGroup(pgid: number): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
    if (!stat) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // state ppid pgrp …; a zombie is already dead, only not yet reaped by its parent.
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') pids.push(Number(entry));
  }
  return pids;
}

/** Pids of live processes whose command line mentions `text` (e.g. a run's folder). */
export async function processesMentioning(text: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(text)) pids.push(Number(entry));
  }
  return pids;
}
