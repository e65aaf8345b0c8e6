import { z } from 'zod';

export const DOCUMENTS_CONFIG = Symbol('DOCUMENTS_CONFIG');

/**
 * Settings of the documents worker, read from the environment beside the transcoder's own (see
 * transcoderEnvSchema): the queue, Redis, WORK_DIR and the lock settings are the transcoder's.
 */
export const documentsEnvSchema = z.object({
  /** Time limit of one LibreOffice run; the whole process tree is killed after it. */
  DOCUMENT_CONVERT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1000, 'must be at least 1000 ms: LibreOffice alone takes a few seconds to start')
    .max(30 * 60_000, 'must be at most 1800000 (30 min)')
    .default(120_000),
  /** Address-space limit of LibreOffice in MiB (prlimit --as); 0 for none. */
  DOCUMENT_MEMORY_LIMIT_MB: z.coerce
    .number()
    .int()
    .min(0)
    .max(64 * 1024)
    .refine((mb) => mb === 0 || mb >= 512, 'must be 0 (no limit) or at least 512: LibreOffice maps about 400 MiB to start')
    .default(2048),
  /** Largest PDF (and any file) LibreOffice may write, in MiB. */
  DOCUMENT_PDF_MAX_MB: z.coerce.number().int().min(1).max(4096).default(200),
  /**
   * `auto`: run LibreOffice without network (a network namespace of its own, util-linux unshare) when the machine
   * allows it, and warn once when it does not; `required`: refuse to convert without it; `off`: never (the
   * operator isolates the whole transcoder, e.g. a container without network).
   */
  DOCUMENT_NETWORK_ISOLATION: z.enum(['auto', 'required', 'off']).default('auto'),
  /** The LibreOffice program. */
  SOFFICE_PATH: z.string().min(1).default('soffice'),
});

export type DocumentsEnv = z.infer<typeof documentsEnvSchema>;

export interface DocumentsConfig {
  timeoutMs: number;
  memoryLimitBytes: number | null;
  pdfMaxBytes: number;
  networkIsolation: DocumentsEnv['DOCUMENT_NETWORK_ISOLATION'];
  sofficePath: string;
}

export function documentsConfigFrom(env: DocumentsEnv): DocumentsConfig {
  return {
    timeoutMs: env.DOCUMENT_CONVERT_TIMEOUT_MS,
    memoryLimitBytes: env.DOCUMENT_MEMORY_LIMIT_MB === 0 ? null : env.DOCUMENT_MEMORY_LIMIT_MB * 1024 * 1024,
    pdfMaxBytes: env.DOCUMENT_PDF_MAX_MB * 1024 * 1024,
    networkIsolation: env.DOCUMENT_NETWORK_ISOLATION,
    sofficePath: env.SOFFICE_PATH,
  };
}
