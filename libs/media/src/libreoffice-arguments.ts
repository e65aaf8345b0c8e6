import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The Office formats converted to PDF for reading in the page. */
export type OfficeDocumentKind = 'docx' | 'pptx' | 'xlsx';

export const OFFICE_DOCUMENT_KINDS: readonly OfficeDocumentKind[] = ['docx', 'pptx', 'xlsx'];

export const isOfficeDocumentKind = (kind: string): kind is OfficeDocumentKind =>
  (OFFICE_DOCUMENT_KINDS as readonly string[]).includes(kind);

/**
 * The import filter per kind. Forcing it means LibreOffice reads the file only as what the upload checks accepted:
 * without it, a file it cannot read as Word would be tried as RTF, HTML (which loads pictures from the web) or text.
 */
export const LIBREOFFICE_IMPORT_FILTERS: Readonly<Record<OfficeDocumentKind, string>> = {
  docx: 'MS Word 2007 XML',
  pptx: 'Impress MS PowerPoint 2007 XML',
  xlsx: 'Calc MS Excel 2007 XML',
};

const PDF_EXPORT_FILTERS: Readonly<Record<OfficeDocumentKind, string>> = {
  docx: 'writer_pdf_Export',
  pptx: 'impress_pdf_Export',
  xlsx: 'calc_pdf_Export',
};

/**
 * PDF export options: no form fields (LibreOffice writes JavaScript format actions for some of them, which the PDF
 * check refuses), no comments as annotations, and no embedded copy of the original document.
 */
const PDF_EXPORT_OPTIONS = {
  ExportFormFields: { type: 'boolean', value: 'false' },
  ExportNotes: { type: 'boolean', value: 'false' },
  IsAddStream: { type: 'boolean', value: 'false' },
} as const;

/** The `--convert-to` value: PDF through the kind's export filter with the options above. */
export function pdfExportFilter(kind: OfficeDocumentKind): string {
  return `pdf:${PDF_EXPORT_FILTERS[kind]}:${JSON.stringify(PDF_EXPORT_OPTIONS)}`;
}

/**
 * Settings written into each run's fresh user profile before LibreOffice starts: macros never run, links to other
 * files and web pages are never updated while loading, and pictures linked from untrusted places are not fetched.
 * The network namespace is the real barrier; these keep LibreOffice from trying.
 */
export const LIBREOFFICE_PROFILE_SETTINGS = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>1</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="UseLocking" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
`;

/** Where the settings go inside a profile folder. */
export const LIBREOFFICE_PROFILE_SETTINGS_PATH = 'user/registrymodifications.xcu';

export interface LibreOfficeRun {
  kind: OfficeDocumentKind;
  /** Absolute path of the document, in the run's own folder. */
  input: string;
  /** Absolute folder the PDF is written to (named after the input, with .pdf). */
  outDir: string;
  /** Absolute folder of the run's own, fresh user profile. */
  profileDir: string;
  /** `soffice` by default. */
  sofficePath?: string;
  /** Run in a network namespace of its own (util-linux `unshare`): no interface but a loopback that is down. */
  isolateNetwork: boolean;
  /** Address-space limit (prlimit --as); null for none. */
  memoryLimitBytes: number | null;
  /** Largest file it may write (prlimit --fsize); null for none. */
  fileSizeLimitBytes: number | null;
  /** SIGKILL the run when the process that started it dies (util-linux `setpriv --pdeathsig`). */
  killWithParent: boolean;
}

export interface LibreOfficeCommand {
  command: string;
  args: string[];
}

/** The `-env:UserInstallation` URL of a profile folder (percent-encoded like LibreOffice expects). */
export function libreOfficeProfileUrl(profileDir: string): string {
  return pathToFileURL(profileDir).href;
}

/**
 * One headless conversion to PDF as a command line, wrapped outside-in:
 * `setpriv --pdeathsig KILL` (dies with the worker) → `unshare --net --pid --fork --kill-child --map-root-user`
 * (no network; its own PID namespace, so the whole tree dies with it) → `prlimit` (memory and file size) → soffice.
 */
export function buildLibreOfficeCommand(run: LibreOfficeRun): LibreOfficeCommand {
  for (const [name, path] of [
    ['input', run.input],
    ['outDir', run.outDir],
    ['profileDir', run.profileDir],
  ] as const) {
    if (!isAbsolute(path)) throw new Error(`LibreOffice ${name} must be an absolute path, not ${JSON.stringify(path)}`);
  }
  const soffice = [
    run.sofficePath ?? 'soffice',
    '--headless',
    '--invisible',
    '--norestore',
    '--nologo',
    '--nolockcheck',
    '--nodefault',
    '--nofirststartwizard',
    `-env:UserInstallation=${libreOfficeProfileUrl(run.profileDir)}`,
    `--infilter=${LIBREOFFICE_IMPORT_FILTERS[run.kind]}`,
    '--convert-to',
    pdfExportFilter(run.kind),
    '--outdir',
    run.outDir,
    // A name starting with '-' would read as an option; an absolute path never does.
    run.input,
  ];
  const limits = [
    ...(run.memoryLimitBytes !== null ? [`--as=${positive(run.memoryLimitBytes, 'memoryLimitBytes')}`] : []),
    ...(run.fileSizeLimitBytes !== null ? [`--fsize=${positive(run.fileSizeLimitBytes, 'fileSizeLimitBytes')}`] : []),
  ];
  const limited = limits.length > 0 ? ['prlimit', ...limits, '--', ...soffice] : soffice;
  const isolated = run.isolateNetwork
    ? ['unshare', '--net', '--pid', '--fork', '--kill-child', '--map-root-user', '--', ...limited]
    : limited;
  const all = run.killWithParent ? ['setpriv', '--pdeathsig', 'KILL', '--', ...isolated] : isolated;
  return { command: all[0], args: all.slice(1) };
}

function positive(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number of bytes`);
  return value;
}

/**
 * Whether LibreOffice's output says it could not read the document. It exits 0 even then, writing no PDF and
 * "Error: source file could not be loaded" on stderr; any other missing PDF is trouble on our side.
 */
export function libreOfficeCouldNotLoad(output: string): boolean {
  return /source file could not be loaded/i.test(output);
}
