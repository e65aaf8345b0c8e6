import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  countPdfPages,
  LIBREOFFICE_PROFILE_SETTINGS,
  LIBREOFFICE_PROFILE_SETTINGS_PATH,
  ProcessGroups,
  buildLibreOfficeCommand,
  describeExit,
  describeSpawnFailure,
  inspectPdf,
  libreOfficeCouldNotLoad,
  spawnSupervised,
  type OfficeDocumentKind,
} from '#media';
import type { Sandbox } from './sandbox.js';

export type DocumentConvertFailure =
  /** LibreOffice said it could not load the document: a retry fails the same way. */
  | 'unreadable'
  /** The run took longer than the time limit and was killed. */
  | 'timeout'
  /** LibreOffice died (a signal, the memory limit, a non-zero exit) or wrote no PDF without saying why. */
  | 'crashed'
  /** The job was cancelled or the worker is stopping. */
  | 'aborted'
  /** LibreOffice could not be started at all. */
  | 'spawn'
  /** The PDF is larger than allowed. */
  | 'too_large'
  /** The PDF failed the same checks as an uploaded PDF (active content, damage) or pdf.js cannot read it. */
  | 'bad_output';

export class DocumentConvertError extends Error {
  override readonly name = 'DocumentConvertError';

  constructor(
    readonly reason: DocumentConvertFailure,
    message: string,
    /** The last part of LibreOffice's stdout and stderr, for logs. */
    readonly output: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface ConvertDocumentOptions {
  kind: OfficeDocumentKind;
  /** The original, anywhere readable; it is copied into the run's folder under a fixed name. */
  source: string;
  /** A folder of this run alone; created here, and everything in it but `out/` is removed before returning. */
  runDir: string;
  timeoutMs: number;
  sandbox: Sandbox;
  memoryLimitBytes: number | null;
  pdfMaxBytes: number;
  sofficePath?: string;
  signal?: AbortSignal;
  /** Called with the pid (= process-group id) once LibreOffice's wrapper has started. */
  onStart?: (pid: number) => void;
}

export interface ConvertedDocument {
  /** The checked PDF, inside `runDir/out`. */
  pdfPath: string;
  pdfBytes: number;
  pageCount: number;
  elapsedMs: number;
  /** The last part of LibreOffice's output, for logs. */
  output: string;
}

const OUTPUT_KEEP_CHARS = 8 * 1024;

/** Process groups of LibreOffice runs still alive, so the worker's exit can kill them. */
const liveProcessGroups = new ProcessGroups();

/** SIGKILLs every LibreOffice run this process started that is still alive; returns how many. */
export function killLiveLibreOffice(): number {
  return liveProcessGroups.killAll();
}

let exitHookInstalled = false;
/** Kills live runs when this process exits (setpriv's parent-death signal covers a SIGKILLed worker). */
export function killLibreOfficeOnProcessExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  liveProcessGroups.killOnProcessExit();
}

/**
 * Converts one Office document to PDF with LibreOffice headless, fenced in: a fresh profile, HOME and TMPDIR of
 * its own, a scrubbed environment, no network (when the sandbox allows), memory and file-size limits, and a time
 * limit that kills the whole process group. Then checks the PDF like an uploaded one and counts its pages with
 * pdf.js (the reader members use).
 */
export async function convertDocument(options: ConvertDocumentOptions): Promise<ConvertedDocument> {
  const { runDir, kind } = options;
  const home = join(runDir, 'home');
  const profileDir = join(runDir, 'profile');
  const tmp = join(runDir, 'tmp');
  const inDir = join(runDir, 'in');
  const outDir = join(runDir, 'out');
  const input = join(inDir, `document.${kind}`);
  const pdfPath = join(outDir, 'document.pdf');
  const startedAt = Date.now();

  await Promise.all([home, tmp, inDir, outDir].map((dir) => mkdir(dir, { recursive: true })));
  const settings = join(profileDir, LIBREOFFICE_PROFILE_SETTINGS_PATH);
  await mkdir(dirname(settings), { recursive: true });
  await writeFile(settings, LIBREOFFICE_PROFILE_SETTINGS);
  await copyFile(options.source, input);

  const { command, args } = buildLibreOfficeCommand({
    kind,
    input,
    outDir,
    profileDir,
    sofficePath: options.sofficePath,
    isolateNetwork: options.sandbox.isolateNetwork,
    memoryLimitBytes: options.sandbox.limits ? options.memoryLimitBytes : null,
    fileSizeLimitBytes: options.sandbox.limits ? options.pdfMaxBytes : null,
    killWithParent: options.sandbox.killWithParent,
  });

  let output: string;
  try {
    output = await runLibreOffice(command, args, { ...options, cwd: runDir, env: sofficeEnvironment(home, tmp) });
  } finally {
    await Promise.all([home, profileDir, tmp, inDir].map((dir) => rm(dir, { recursive: true, force: true }).catch(() => undefined)));
  }

  const written = await stat(pdfPath).catch(() => null);
  if (!written) {
    if (libreOfficeCouldNotLoad(output)) {
      throw new DocumentConvertError('unreadable', `LibreOffice could not load the document: ${lastLine(output)}`, output);
    }
    throw new DocumentConvertError('crashed', `LibreOffice wrote no PDF: ${lastLine(output)}`, output);
  }
  if (written.size > options.pdfMaxBytes) {
    throw new DocumentConvertError('too_large', `the PDF has ${written.size} bytes, over the ${options.pdfMaxBytes} allowed`, output);
  }
  const bytes = await readFile(pdfPath);
  const inspection = inspectPdf(bytes);
  if (!inspection.ok) {
    throw new DocumentConvertError(
      'bad_output',
      `the PDF LibreOffice wrote fails its check (${inspection.code}): ${inspection.message}`,
      output,
    );
  }
  const pageCount = await countPdfPages(bytes).catch((error: unknown) => {
    throw new DocumentConvertError('bad_output', `pdf.js cannot read the PDF LibreOffice wrote: ${(error as Error).message}`, output, {
      cause: error,
    });
  });
  if (pageCount < 1) throw new DocumentConvertError('bad_output', 'the PDF LibreOffice wrote has no pages', output);
  return { pdfPath, pdfBytes: written.size, pageCount, elapsedMs: Date.now() - startedAt, output };
}

/**
 * Only what LibreOffice needs: none of the worker's secrets (database, storage, signing keys) reach it. HOME and
 * TMPDIR are the run's own folders, so nothing is left in the worker's home.
 */
function sofficeEnvironment(home: string, tmp: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    TMPDIR: tmp,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    SAL_USE_VCLPLUGIN: 'svp',
  };
}

async function runLibreOffice(
  command: string,
  args: string[],
  options: Pick<ConvertDocumentOptions, 'timeoutMs' | 'signal' | 'onStart'> & { cwd: string; env: NodeJS.ProcessEnv },
): Promise<string> {
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_KEEP_CHARS);
  };
  const end = await spawnSupervised(command, args, {
    groups: liveProcessGroups,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    cwd: options.cwd,
    env: options.env,
    // Whatever LibreOffice left running in its group (a forked helper) goes too.
    killGroupOnExit: true,
    onSpawn: (child) => {
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
    },
    onStart: options.onStart,
  });
  const tail = output.trim();
  switch (end.reason) {
    case 'aborted-before-start':
      throw new DocumentConvertError('aborted', 'the conversion was cancelled before it started', '');
    case 'spawn':
      throw new DocumentConvertError('spawn', describeSpawnFailure(command, end.error), output, { cause: end.error });
    case 'timeout':
      throw new DocumentConvertError('timeout', `LibreOffice took longer than ${options.timeoutMs} ms and was killed`, tail);
    case 'aborted':
      throw new DocumentConvertError('aborted', 'the conversion was cancelled', tail);
    case 'exit':
      if (end.code !== 0) {
        // It may still have said why, e.g. a file it could not load before an exit of its own.
        const reason = libreOfficeCouldNotLoad(tail) ? 'unreadable' : 'crashed';
        throw new DocumentConvertError(reason, `LibreOffice ${describeExit(end.code, end.signal)}: ${lastLine(tail)}`, tail);
      }
      return tail;
  }
}

function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('Warning: failed to launch javaldx'))
      .at(-1) ?? '(no output)'
  );
}
