import { z } from 'zod';
import { LocalStorage } from './local-storage.js';
import { DEFAULT_MULTIPART_THRESHOLD_BYTES, DEFAULT_PART_BYTES, MAX_SINGLE_PUT_BYTES, MIN_PART_BYTES, S3Storage } from './s3-storage.js';
import type { Storage } from './storage.js';

/**
 * The storage settings, as a plain object schema so it can be merged into the services' schemas
 * (`commonEnvSchema.extend(storageEnvSchema.shape)`); what depends on STORAGE_DRIVER is checked by
 * `checkStorageEnv` (a superRefine) and again by `createStorage`.
 */
export const storageEnvSchema = z.object({
  STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
  /** The local driver's folder. */
  STORAGE_DIR: z.string().min(1).default('var/storage'),
  /** For S3-compatible servers (MinIO, Ceph…); unset for AWS. */
  S3_ENDPOINT: z
    .string()
    .refine((value) => {
      try {
        return ['http:', 'https:'].includes(new URL(value).protocol);
      } catch {
        return false;
      }
    }, 'must be a URL starting with http:// or https://')
    .optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z.string().min(3).max(63).optional(),
  /** Both keys or neither: without them the AWS SDK's default chain (environment, profile, role) applies. */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Bucket in the path rather than the host name, which most S3-compatible servers need. */
  S3_FORCE_PATH_STYLE: z.stringbool().default(true),
  /** Objects larger than this many bytes are uploaded and copied in parts; S3 takes at most 5 GiB in one request. */
  S3_MULTIPART_THRESHOLD_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_SINGLE_PUT_BYTES, `must be at most ${MAX_SINGLE_PUT_BYTES} (5 GiB), the most S3 accepts in one request`)
    .default(DEFAULT_MULTIPART_THRESHOLD_BYTES),
  /** The size of each part of a multipart upload or copy, in bytes. */
  S3_MULTIPART_PART_BYTES: z.coerce
    .number()
    .int()
    .min(MIN_PART_BYTES, `must be at least ${MIN_PART_BYTES} (5 MiB), S3's smallest part`)
    .max(MAX_SINGLE_PUT_BYTES, `must be at most ${MAX_SINGLE_PUT_BYTES} (5 GiB), S3's largest part`)
    .default(DEFAULT_PART_BYTES),
});

export type StorageEnv = z.infer<typeof storageEnvSchema>;

/** What createStorage reads: STORAGE_DIR alone (the local driver) is enough. */
export type StorageEnvInput = Pick<StorageEnv, 'STORAGE_DIR'> & Partial<Omit<StorageEnv, 'STORAGE_DIR'>>;

/** The problems with a storage configuration, each as [variable, message]. */
export function storageEnvProblems(env: StorageEnvInput): [string, string][] {
  if (env.STORAGE_DRIVER !== 's3') return [];
  const problems: [string, string][] = [];
  if (!env.S3_BUCKET) problems.push(['S3_BUCKET', 'is required when STORAGE_DRIVER is s3']);
  if (!env.S3_ACCESS_KEY_ID !== !env.S3_SECRET_ACCESS_KEY) {
    problems.push([
      env.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID',
      'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together',
    ]);
  }
  return problems;
}

/** For `schema.superRefine(checkStorageEnv)`: reports storageEnvProblems as issues on their variables. */
export function checkStorageEnv(env: StorageEnvInput, ctx: z.RefinementCtx): void {
  for (const [path, message] of storageEnvProblems(env)) ctx.addIssue({ code: 'custom', path: [path], message });
}

/** The S3 client settings of the environment (STORAGE_DRIVER=s3), for clients other than S3Storage's own. */
export function s3ClientSettings(env: StorageEnvInput) {
  const problems = storageEnvProblems(env);
  if (env.STORAGE_DRIVER !== 's3') throw new Error('S3 settings asked for while STORAGE_DRIVER is not s3');
  if (problems.length > 0) {
    throw new Error(`Invalid storage configuration:\n${problems.map(([path, message]) => `  - ${path}: ${message}`).join('\n')}`);
  }
  return {
    bucket: env.S3_BUCKET!,
    region: env.S3_REGION ?? 'us-east-1',
    endpoint: env.S3_ENDPOINT,
    forcePathStyle: env.S3_FORCE_PATH_STYLE ?? true,
    credentials:
      env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY }
        : undefined,
  };
}

/** The storage driver the environment asks for: LocalStorage at STORAGE_DIR unless STORAGE_DRIVER=s3. */
export function createStorage(env: StorageEnvInput): Storage {
  if (env.STORAGE_DRIVER !== 's3') return new LocalStorage(env.STORAGE_DIR);
  return new S3Storage({
    ...s3ClientSettings(env),
    multipartThresholdBytes: env.S3_MULTIPART_THRESHOLD_BYTES,
    partSizeBytes: env.S3_MULTIPART_PART_BYTES,
  });
}
