import { z } from 'zod';
import { checkStorageEnv, storageEnvSchema } from '#storage';

/** Reads and validates process.env once at start; one error names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL starting with ${protocols.join(' or ')}//`,
  );

const port = z.coerce.number().int().min(1).max(65535);

export const commonEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).default('postgres://postgres@127.0.0.1:5432/lectern'),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]{1,40}$/i, 'must be 1-40 letters, digits, - or _')
    .default('lectern'),
  ...storageEnvSchema.shape,
});

/** Access tokens: only the HTTP services that check them need the secret. */
const tokenEnv = {
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters (run npm start once to generate var/secret)'),
  JWT_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 24 * 3600)
    .default(12 * 3600),
};

export const catalogEnvSchema = commonEnvSchema
  .extend({
    ...tokenEnv,
    CATALOG_PORT: port.default(3000),
    STUDY_TIME_ZONE: z
      .string()
      .refine((zone) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: zone });
          return true;
        } catch {
          return false;
        }
      }, 'must be an IANA time zone such as Asia/Shanghai')
      .default('Asia/Shanghai'),
    PLAYBACK_TOKEN_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(24 * 3600)
      .default(4 * 3600),
  })
  .superRefine(checkStorageEnv);

export const uploadEnvSchema = commonEnvSchema
  .extend({
    ...tokenEnv,
    UPLOAD_PORT: port.default(3001),
    UPLOAD_DIR: z.string().min(1).default('var/uploads'),
    UPLOAD_MAX_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(20 * 1024 ** 3),
    UPLOAD_EXPIRY_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(72),
    /** How often waiting (pending) assets are offered to the queue again. */
    UPLOAD_RECONCILE_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  })
  .superRefine(checkStorageEnv);

export const transcoderEnvSchema = commonEnvSchema
  .extend({
    TRANSCODE_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
    TRANSCODE_TIMEOUT_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(6 * 60),
    WORK_DIR: z.string().min(1).default('var/work'),
    /** How long a job's lock lives in Redis without renewal; BullMQ renews it every half of this. */
    TRANSCODE_LOCK_DURATION_MS: z.coerce.number().int().min(1000).max(3_600_000).default(120_000),
    /** How often workers look for jobs whose worker died and queue them again. */
    TRANSCODE_STALLED_INTERVAL_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  })
  .superRefine(checkStorageEnv);

export const webEnvSchema = z.object({
  NODE_ENV: commonEnvSchema.shape.NODE_ENV,
  LOG_LEVEL: commonEnvSchema.shape.LOG_LEVEL,
  WEB_PORT: port.default(8080),
  CATALOG_URL: url(['http:', 'https:']).default('http://127.0.0.1:3000'),
  UPLOAD_URL: url(['http:', 'https:']).default('http://127.0.0.1:3001'),
  WEB_DIST_DIR: z.string().min(1).default('apps/web/dist'),
});

export type CommonEnv = z.infer<typeof commonEnvSchema>;
export type CatalogEnv = z.infer<typeof catalogEnvSchema>;
export type UploadEnv = z.infer<typeof uploadEnvSchema>;
export type TranscoderEnv = z.infer<typeof transcoderEnvSchema>;
export type WebEnv = z.infer<typeof webEnvSchema>;

export function loadEnv<S extends z.ZodType>(schema: S, source: NodeJS.ProcessEnv = process.env): z.infer<S> {
  // Empty strings mean "unset" so a blank line in a shell export falls back to the default.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  return result.data;
}
