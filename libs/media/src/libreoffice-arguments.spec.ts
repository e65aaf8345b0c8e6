import { describe, expect, it } from '@jest/globals';
import {
  LIBREOFFICE_PROFILE_SETTINGS,
  buildLibreOfficeCommand,
  isOfficeDocumentKind,
  libreOfficeCouldNotLoad,
  libreOfficeProfileUrl,
  pdfExportFilter,
  type LibreOfficeRun,
} from './libreoffice-arguments.js';

const base: LibreOfficeRun = {
  kind: 'docx',
  input: '/work/documents/m1-t/in/document.docx',
  outDir: '/work/documents/m1-t/out',
  profileDir: '/work/documents/m1-t/profile',
  isolateNetwork: true,
  memoryLimitBytes: 2 * 1024 ** 3,
  fileSizeLimitBytes: 512 * 1024 ** 2,
  killWithParent: true,
};

const line = (run: LibreOfficeRun) => {
  const { command, args } = buildLibreOfficeCommand(run);
  return [command, ...args];
};

/** The wrappers before soffice: everything up to the soffice program itself. */
const wrappers = (run: LibreOfficeRun) => {
  const all = line(run);
  return all.slice(0, all.indexOf(run.sofficePath ?? 'soffice')).join(' ');
};

describe('buildLibreOfficeCommand: the wrappers around soffice', () => {
  it.each<[string, Partial<LibreOfficeRun>, string]>([
    [
      'everything on',
      {},
      'setpriv --pdeathsig KILL -- unshare --net --pid --fork --kill-child --map-root-user -- prlimit --as=2147483648 --fsize=536870912 --',
    ],
    ['no unshare on this machine', { isolateNetwork: false }, 'setpriv --pdeathsig KILL -- prlimit --as=2147483648 --fsize=536870912 --'],
    [
      'no memory limit',
      { memoryLimitBytes: null },
      'setpriv --pdeathsig KILL -- unshare --net --pid --fork --kill-child --map-root-user -- prlimit --fsize=536870912 --',
    ],
    [
      'no limits at all: no prlimit',
      { memoryLimitBytes: null, fileSizeLimitBytes: null, killWithParent: false, isolateNetwork: false },
      '',
    ],
    ['no setpriv', { killWithParent: false, isolateNetwork: false, fileSizeLimitBytes: null }, 'prlimit --as=2147483648 --'],
  ])('%s', (_name, changes, expected) => {
    expect(wrappers({ ...base, ...changes })).toBe(expected);
  });

  it('ends with the soffice conversion: own profile, forced import filter, PDF options, out folder, input last', () => {
    const all = line({ ...base, isolateNetwork: false, killWithParent: false, memoryLimitBytes: null, fileSizeLimitBytes: null });
    expect(all).toEqual([
      'soffice',
      '--headless',
      '--invisible',
      '--norestore',
      '--nologo',
      '--nolockcheck',
      '--nodefault',
      '--nofirststartwizard',
      '-env:UserInstallation=file:///work/documents/m1-t/profile',
      '--infilter=MS Word 2007 XML',
      '--convert-to',
      pdfExportFilter('docx'),
      '--outdir',
      '/work/documents/m1-t/out',
      '/work/documents/m1-t/in/document.docx',
    ]);
  });

  it.each<[LibreOfficeRun['kind'], string, string]>([
    ['docx', 'MS Word 2007 XML', 'writer_pdf_Export'],
    ['pptx', 'Impress MS PowerPoint 2007 XML', 'impress_pdf_Export'],
    ['xlsx', 'Calc MS Excel 2007 XML', 'calc_pdf_Export'],
  ])('%s is read with "%s" and written with %s', (kind, importFilter, exportFilter) => {
    const all = line({ ...base, kind, input: `/in/document.${kind}` });
    expect(all).toContain(`--infilter=${importFilter}`);
    expect(all[all.indexOf('--convert-to') + 1]).toMatch(new RegExp(`^pdf:${exportFilter}:\\{`));
  });

  it('exports without form fields, comments or an embedded original (valid JSON after the filter name)', () => {
    const options = JSON.parse(pdfExportFilter('pptx').replace(/^pdf:impress_pdf_Export:/, '')) as Record<string, { value: string }>;
    expect(options.ExportFormFields?.value).toBe('false');
    expect(options.ExportNotes?.value).toBe('false');
    expect(options.IsAddStream?.value).toBe('false');
  });

  it('passes a profile path with spaces and Chinese as a percent-encoded file URL', () => {
    expect(libreOfficeProfileUrl('/var/work/文档 1/profile')).toBe('file:///var/work/%E6%96%87%E6%A1%A3%201/profile');
  });

  it.each<[string, Partial<LibreOfficeRun>]>([
    ['a relative input', { input: 'document.docx' }],
    ['a relative out folder', { outDir: 'out' }],
    ['a relative profile', { profileDir: 'profile' }],
    ['a zero memory limit', { memoryLimitBytes: 0 }],
    ['a fractional file size limit', { fileSizeLimitBytes: 1.5 }],
  ])('refuses %s', (_name, changes) => {
    expect(() => buildLibreOfficeCommand({ ...base, ...changes })).toThrow();
  });
});

describe('the profile settings', () => {
  it('turn macros off and never update links while loading', () => {
    expect(LIBREOFFICE_PROFILE_SETTINGS).toContain('<prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value>');
    expect(LIBREOFFICE_PROFILE_SETTINGS).toContain('<prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value>');
    expect(LIBREOFFICE_PROFILE_SETTINGS).toMatch(/Writer\/Content\/Update"><prop oor:name="Link" oor:op="fuse"><value>0</);
    expect(LIBREOFFICE_PROFILE_SETTINGS).toMatch(/Calc\/Content\/Update"><prop oor:name="Link" oor:op="fuse"><value>1</);
  });
});

describe('libreOfficeCouldNotLoad and isOfficeDocumentKind', () => {
  it.each<[string, boolean]>([
    ['Warning: failed to launch javaldx - java may not function correctly\nError: source file could not be loaded\n', true],
    ['convert /in/document.docx -> /out/document.pdf using filter : writer_pdf_Export', false],
    ['', false],
  ])('%j → %s', (output, expected) => {
    expect(libreOfficeCouldNotLoad(output)).toBe(expected);
  });

  it.each<[string, boolean]>([
    ['docx', true],
    ['pptx', true],
    ['xlsx', true],
    ['pdf', false],
    ['image', false],
    ['doc', false],
  ])('%s → %s', (kind, expected) => {
    expect(isOfficeDocumentKind(kind)).toBe(expected);
  });
});
