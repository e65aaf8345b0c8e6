import { describe, expect, it } from '@jest/globals';
import { UnrecoverableError } from 'bullmq';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readdir, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnv } from '#config';
import { DocumentConvertError } from './convert-document.js';
import { BadDocumentError, TransientDocumentError, asBadDocument, describeDocumentFailure } from './document-failure.js';
import { documentsConfigFrom, documentsEnvSchema } from './documents.config.js';
import { pdfKeyFor } from './documents.service.js';
import { refusalToStart } from './documents.worker.js';
import type { Sandbox } from './sandbox.js';
import { removeStaleRuns } from './stale-runs.js';

const convertError = (reason: DocumentConvertError['reason']) => new DocumentConvertError(reason, `test ${reason}`, 'output');
const MB = 1024 * 1024;

describe('asBadDocument: what is not worth a retry', () => {
  it.each<[DocumentConvertError['reason'], string | null]>([
    ['unreadable', 'unreadable'],
    ['too_large', 'too_large'],
    ['bad_output', 'bad_output'],
    ['timeout', null],
    ['crashed', null],
    ['spawn', null],
    ['aborted', null],
  ])('%s → %s', (reason, code) => {
    const result = asBadDocument(convertError(reason), 'docx', 200 * MB);
    if (code === null) {
      expect(result).toBeInstanceOf(DocumentConvertError);
    } else {
      expect(result).toBeInstanceOf(BadDocumentError);
      expect(result).toBeInstanceOf(UnrecoverableError);
      expect((result as BadDocumentError).code).toBe(code);
    }
  });

  it.each<['docx' | 'pptx' | 'xlsx', RegExp]>([
    ['docx', /not really a Word document \(\.docx\)\. Open it in Word or WPS Writer, save it again as \.docx, and upload it again/],
    ['pptx', /not really a PowerPoint presentation \(\.pptx\).*save it again as \.pptx/],
    ['xlsx', /not really an Excel workbook \(\.xlsx\).*save it again as \.xlsx/],
  ])('an unreadable %s tells the editor what to do', (kind, message) => {
    const result = asBadDocument(convertError('unreadable'), kind, 200 * MB) as BadDocumentError;
    expect(result.reason).toMatch(/^LibreOffice could not open this file: /);
    expect(result.reason).toMatch(message);
  });

  it('leaves other errors alone', () => {
    const error = new Error('database away');
    expect(asBadDocument(error, 'docx', MB)).toBe(error);
  });
});

describe('describeDocumentFailure', () => {
  it.each<[string, unknown, string, RegExp]>([
    [
      'a bad document',
      new BadDocumentError('unreadable', 'LibreOffice could not open this file: x'),
      'unreadable',
      /^LibreOffice could not open/,
    ],
    ['timeouts on every try', convertError('timeout'), 'timeout', /limit of 120 seconds, on every try/],
    ['crashes on every try', convertError('crashed'), 'conversion_failed', /LibreOffice stopped while converting/],
    ['no LibreOffice', convertError('spawn'), 'converter_unavailable', /not available at the moment/],
    ['a lost worker', new UnrecoverableError('job stalled more than allowable limit'), 'worker_lost', /twice/],
    ['a missing original', new TransientDocumentError('source_missing', 'gone'), 'source_missing', /upload it again/],
    ['anything else', new Error('boom'), 'internal_error', /problem on our side/],
  ])('%s', (_name, error, code, message) => {
    const failure = describeDocumentFailure(error, 120_000);
    expect(failure.code).toBe(code);
    expect(failure.message).toMatch(message);
    expect(failure.message).not.toContain('boom');
  });
});

describe('pdfKeyFor', () => {
  it.each<[string, string]>([
    ['materials/c1/m1/original.docx', 'materials/c1/m1/converted.pdf'],
    ['original.pptx', 'materials/m1/converted.pdf'],
  ])('%s → %s', (sourceKey, pdfKey) => {
    expect(pdfKeyFor('m1', sourceKey)).toBe(pdfKey);
  });
});

describe('documents settings', () => {
  it('defaults: 120 s, 2 GiB, 200 MB, isolation when possible', () => {
    expect(documentsConfigFrom(loadEnv(documentsEnvSchema, {}))).toEqual({
      timeoutMs: 120_000,
      memoryLimitBytes: 2048 * MB,
      pdfMaxBytes: 200 * MB,
      networkIsolation: 'auto',
      sofficePath: 'soffice',
    });
  });

  it('0 MiB means no memory limit', () => {
    expect(documentsConfigFrom(loadEnv(documentsEnvSchema, { DOCUMENT_MEMORY_LIMIT_MB: '0' })).memoryLimitBytes).toBeNull();
  });

  it.each<[string, string]>([
    ['DOCUMENT_CONVERT_TIMEOUT_MS', '10'],
    ['DOCUMENT_MEMORY_LIMIT_MB', '100'],
    ['DOCUMENT_NETWORK_ISOLATION', 'maybe'],
    ['DOCUMENT_PDF_MAX_MB', '0'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => loadEnv(documentsEnvSchema, { [name]: value })).toThrow(name);
  });
});

describe('refusalToStart', () => {
  const config = documentsConfigFrom(loadEnv(documentsEnvSchema, {}));
  const isolated: Sandbox = { isolateNetwork: true, killWithParent: true, limits: true, isolationProblem: null };
  const open: Sandbox = { ...isolated, isolateNetwork: false, isolationProblem: 'unshare: Operation not permitted' };

  it.each<[string, Partial<typeof config>, Sandbox, boolean, RegExp | null]>([
    ['everything there', {}, isolated, true, null],
    ['auto without a namespace: converts (and warns)', {}, open, true, null],
    ['off: converts', { networkIsolation: 'off' }, open, true, null],
    [
      'required without a namespace',
      { networkIsolation: 'required' },
      open,
      true,
      /DOCUMENT_NETWORK_ISOLATION=required.*Operation not permitted/,
    ],
    ['no LibreOffice', {}, isolated, false, /not installed.*libreoffice-writer-nogui/],
  ])('%s', (_name, changes, sandbox, soffice, expected) => {
    const refusal = refusalToStart({ ...config, ...changes }, sandbox, soffice);
    if (expected === null) expect(refusal).toBeNull();
    else expect(refusal).toMatch(expected);
  });
});

describe('removeStaleRuns', () => {
  it('removes run folders older than the limit only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lectern-stale-'));
    try {
      await mkdir(join(dir, 'old', 'profile'), { recursive: true });
      await mkdir(join(dir, 'fresh'));
      const hourAgo = new Date(Date.now() - 3600_000);
      await utimes(join(dir, 'old'), hourAgo, hourAgo);
      expect(await removeStaleRuns(dir, 10 * 60_000)).toEqual(['old']);
      expect(await readdir(dir)).toEqual(['fresh']);
      expect(await removeStaleRuns(join(dir, 'missing'), 1)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
