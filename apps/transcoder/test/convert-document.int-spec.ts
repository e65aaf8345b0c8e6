import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { chmod, readFile, readdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLibreOfficeCommand, inspectPdf } from '#media';
import { waitUntil } from '../../../test/support/ports.js';
import { ROOT } from '../../../test/support/stack.js';
import { DocumentConvertError, convertDocument, type ConvertDocumentOptions } from '../src/documents/convert-document.js';
import { probeSandbox, type Sandbox } from '../src/documents/sandbox.js';
import {
  FIXTURE_PAGES,
  FIXTURE_TEXT,
  makeCorruptDocx,
  makeOfficeDocuments,
  processesInGroup,
  type FixtureKind,
} from './office-fixtures.js';

// Each LibreOffice start takes several seconds on a busy 2-core machine.
const SLOW = 240_000;

let dir: string;
let sandbox: Sandbox;
let fixtures: Record<FixtureKind, string>;

/** The text pdf.js (the reader in the page) finds on every page. */
async function pdfText(path: string): Promise<string> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const document = await getDocument({ data: new Uint8Array(await readFile(path)), isEvalSupported: false, verbosity: 0 }).promise;
  const parts: string[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const content = await (await document.getPage(number)).getTextContent();
    parts.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await document.destroy();
  return parts.join('\n');
}

const options = (runName: string, changes: Partial<ConvertDocumentOptions> = {}): ConvertDocumentOptions => ({
  kind: 'docx',
  source: fixtures.docx,
  runDir: join(dir, 'runs', runName),
  timeoutMs: 180_000,
  sandbox,
  memoryLimitBytes: 2 * 1024 ** 3,
  pdfMaxBytes: 200 * 1024 ** 2,
  ...changes,
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lectern-convert-'));
  sandbox = await probeSandbox();
  fixtures = await makeOfficeDocuments(join(dir, 'fixtures'));
}, SLOW);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the wrappers around LibreOffice', () => {
  /** Runs the wrapped command line with a stand-in for soffice that tries to reach a server on the host's loopback. */
  async function reaches(isolateNetwork: boolean): Promise<{ connected: boolean; output: string }> {
    const server: Server = createServer((socket) => socket.end('hello\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const probe = join(dir, `probe-${isolateNetwork}.sh`);
    await writeFile(probe, `#!/bin/bash\nexec 3<>/dev/tcp/127.0.0.1/${port} && head -n1 <&3\n`);
    await chmod(probe, 0o755);
    const { command, args } = buildLibreOfficeCommand({
      kind: 'docx',
      input: '/nonexistent/document.docx',
      outDir: dir,
      profileDir: join(dir, 'probe-profile'),
      sofficePath: probe,
      isolateNetwork,
      memoryLimitBytes: 2 * 1024 ** 3,
      fileSizeLimitBytes: 1024 ** 2,
      killWithParent: true,
    });
    try {
      return await new Promise((resolve) => {
        execFile(command, args, { timeout: 60_000 }, (error, stdout, stderr) =>
          resolve({ connected: !error && stdout.includes('hello'), output: `${stdout}${stderr}` }),
        );
      });
    } finally {
      server.close();
    }
  }

  it(
    'leave LibreOffice no network: the loopback server the worker reaches is out of its reach',
    async () => {
      // Without the namespace the same stand-in does reach it, so the check below means something.
      expect(await reaches(false)).toMatchObject({ connected: true });
      const isolated = await reaches(true);
      expect(isolated.connected).toBe(false);
      expect(isolated.output).toMatch(/Network is unreachable|Connection refused/);
    },
    SLOW,
  );
});

describe('convertDocument: LibreOffice headless, fenced in', () => {
  it('this machine runs it without network, with limits, and dying with the worker', () => {
    // The CI and development machines allow user namespaces; docs/OPERATIONS.md says what to do where they do not.
    expect(sandbox).toEqual({ isolateNetwork: true, killWithParent: true, limits: true, isolationProblem: null });
  });

  it.each<FixtureKind>(['docx', 'pptx', 'xlsx'])(
    'converts a %s with Chinese text to a clean PDF of the right pages, leaving only the PDF behind',
    async (kind) => {
      const run = options(kind, { kind, source: fixtures[kind] });
      const converted = await convertDocument(run);
      expect(converted.pageCount).toBe(FIXTURE_PAGES[kind]);
      const bytes = await readFile(converted.pdfPath);
      expect(converted.pdfBytes).toBe(bytes.length);
      const inspection = inspectPdf(bytes);
      expect(inspection).toMatchObject({ ok: true, encrypted: false });
      const text = await pdfText(converted.pdfPath);
      for (const words of FIXTURE_TEXT[kind]) expect(text).toContain(words);
      // The profile, HOME, TMPDIR and the copied original are gone.
      expect(await readdir(run.runDir)).toEqual(['out']);
      expect(await readdir(join(run.runDir, 'out'))).toEqual(['document.pdf']);
    },
    SLOW,
  );

  it(
    'a corrupt .docx (a ZIP header, then random bytes) fails as unreadable, not as a crash',
    async () => {
      const source = await makeCorruptDocx(join(dir, 'corrupt.docx'));
      const failure = await convertDocument(options('corrupt', { source })).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DocumentConvertError);
      expect((failure as DocumentConvertError).reason).toBe('unreadable');
      expect((failure as DocumentConvertError).output).toContain('source file could not be loaded');
    },
    SLOW,
  );

  it(
    'a run over its time limit is killed with its whole process group',
    async () => {
      let pgid = 0;
      // LibreOffice needs seconds to start: a limit of 1 s is always exceeded.
      const failure = await convertDocument(options('timeout', { timeoutMs: 1000, onStart: (pid) => (pgid = pid) })).catch(
        (error: unknown) => error,
      );
      expect((failure as DocumentConvertError).reason).toBe('timeout');
      expect(pgid).toBeGreaterThan(0);
      expect(await processesInGroup(pgid)).toEqual([]);
      expect(await readdir(join(dir, 'runs', 'timeout'))).toEqual(['out']);
    },
    SLOW,
  );

  it(
    'LibreOffice over its memory limit stops, and that is a crash (retried), not a bad document',
    async () => {
      // 256 MiB of address space is less than LibreOffice maps to lay out a page.
      const failure = await convertDocument(options('memory', { memoryLimitBytes: 256 * 1024 ** 2 })).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DocumentConvertError);
      expect((failure as DocumentConvertError).reason).toBe('crashed');
      expect(await readdir(join(dir, 'runs', 'memory'))).toEqual(['out']);
    },
    SLOW,
  );

  it(
    'a worker killed with SIGKILL mid-conversion takes the whole run with it',
    async () => {
      // A stand-in for soffice that, like soffice's launcher, starts a child of its own, and never ends by itself.
      const standIn = join(dir, 'hanging-soffice.sh');
      await writeFile(standIn, '#!/bin/sh\nsleep 600 &\nsleep 600\n');
      await chmod(standIn, 0o755);
      // The built converter in a process of its own, standing in for the transcoder.
      const script = `
        import { convertDocument } from ${JSON.stringify(join(ROOT, 'dist/apps/transcoder/src/documents/convert-document.js'))};
        import { probeSandbox } from ${JSON.stringify(join(ROOT, 'dist/apps/transcoder/src/documents/sandbox.js'))};
        await convertDocument({ kind: 'docx', source: ${JSON.stringify(fixtures.docx)}, runDir: ${JSON.stringify(join(dir, 'runs', 'killed'))},
          timeoutMs: 600000, sandbox: await probeSandbox(), memoryLimitBytes: null, pdfMaxBytes: 1e8,
          sofficePath: ${JSON.stringify(standIn)}, onStart: (pid) => console.log('started', pid) });`;
      const worker = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      worker.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      let pgid = 0;
      try {
        await waitUntil(async () => (pgid = Number(/started (\d+)/.exec(stdout)?.[1] ?? 0)) > 0, SLOW, 'the run started');
        // Both sleeps are up: the stand-in and its child.
        await waitUntil(async () => (await processesInGroup(pgid)).length >= 4, SLOW, 'the run and its child running');
      } finally {
        worker.kill('SIGKILL');
      }
      await exited;
      // Nothing in the run would ever end by itself: only the parent-death signal and the namespace's end stop it.
      await waitUntil(async () => (await processesInGroup(pgid)).length === 0, SLOW, 'no process of the run left');
    },
    SLOW,
  );

  it(
    'a cancelled job stops LibreOffice',
    async () => {
      const controller = new AbortController();
      let pgid = 0;
      const failure = await convertDocument(
        options('abort', {
          signal: controller.signal,
          onStart: (pid) => {
            pgid = pid;
            controller.abort();
          },
        }),
      ).catch((error: unknown) => error);
      expect((failure as DocumentConvertError).reason).toBe('aborted');
      expect(await processesInGroup(pgid)).toEqual([]);
    },
    SLOW,
  );

  it(
    'a missing LibreOffice is said plainly',
    async () => {
      const failure = await convertDocument(
        options('missing', {
          sofficePath: '/nonexistent/soffice',
          sandbox: { ...sandbox, isolateNetwork: false, killWithParent: false, limits: false },
        }),
      ).catch((error: unknown) => error);
      expect((failure as DocumentConvertError).reason).toBe('spawn');
      expect((failure as Error).message).toContain('/nonexistent/soffice is not installed');
    },
    SLOW,
  );
});
