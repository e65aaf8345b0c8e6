import { z } from 'zod';
import { isIP } from 'node:net';
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

/** Names usable in TRUSTED_PROXIES, as express's `trust proxy` knows them. */
export const TRUSTED_PROXY_NAMES: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** Why a trusted-proxies list is unusable, or null: `none`, or names above, IPs and CIDR ranges, comma-separated. */
export function trustedProxiesProblem(spec: string): string | null {
  const parts = spec
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length === 0) return 'must list at least one address, range or name (or "none")';
  if (parts.length === 1 && parts[0] === 'none') return null;
  for (const part of parts) {
    if (TRUSTED_PROXY_NAMES[part]) continue;
    const [address, bits, extra] = part.split('/');
    const family = isIP(address ?? '');
    const max = family === 6 ? 128 : 32;
    if (!family || extra !== undefined || (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= max))) {
      return `"${part}" is not an IP address, a CIDR range or one of none, ${Object.keys(TRUSTED_PROXY_NAMES).join(', ')}`;
    }
  }
  return null;
}

const trustedProxies = z
  .string()
  .superRefine((value, ctx) => {
    const problem = trustedProxiesProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .default('loopback');

/**
 * The bearer token Prometheus sends to read /metrics. Unset, /metrics answers only requests made
 * straight from loopback (not forwarded by the gateway or the edge).
 */
const metricsToken = z.string().min(32, 'must be at least 32 characters').optional();

/**
 * How long the growing (preview) set of an encode stays in storage after its asset is ready, so players
 * already playing it carry on. Read by the transcoder (which removes it then) and by the upload service's
 * sweeper (which removes what a stopped transcoder left): set the same value for both.
 */
const previewRetentionSec = z.coerce
  .number()
  .int()
  .min(0)
  .max(24 * 3600, 'must be at most 86400 (a day)')
  .default(300);

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
  METRICS_TOKEN: metricsToken,
  /** The OpenAPI page (Swagger UI) of the HTTP services: on by default except in production, where it needs `on`. */
  API_DOCS: z.enum(['on', 'off']).optional(),
});

/** Whether the HTTP services serve Swagger UI: what API_DOCS says, or on everywhere but in production. */
export function apiDocsEnabled(env: { NODE_ENV: CommonEnv['NODE_ENV']; API_DOCS?: 'on' | 'off' | undefined }): boolean {
  return env.API_DOCS ? env.API_DOCS === 'on' : env.NODE_ENV !== 'production';
}

/** Access tokens: only the HTTP services that check them need the secret. */
const tokenEnv = {
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters (run npm start once to generate var/secret)'),
  /**
   * The secret being retired while JWT_SECRET is rotated: tokens it signed are still accepted, none is
   * signed with it. Remove it once the longest token lifetime has passed since the rotation.
   */
  JWT_SECRET_PREVIOUS: z.string().min(32, 'must be at least 32 characters, like JWT_SECRET').optional(),
  JWT_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 24 * 3600)
    .default(12 * 3600),
};

/** An http(s) address naming a site and nothing below it: `https://study.example.org`. */
function isPlainWebOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.pathname === '/' && !url.search && !url.hash && !url.username;
  } catch {
    return false;
  }
}

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
    /** The gateway's addresses: only they may name the client in X-Forwarded-For (login throttling counts per client). */
    TRUSTED_PROXIES: trustedProxies,
    /**
     * The address members open Lectern at (e.g. https://study.example.org). Printed study records' QR codes
     * point here; unset, they point at the address the request came in by.
     */
    PUBLIC_ORIGIN: z
      .string()
      .refine(isPlainWebOrigin, 'must be an http(s) address without a path, such as https://study.example.org')
      .transform((value) => new URL(value).origin)
      .optional(),
    /** Failed logins for one login name within the window before that login is locked. */
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
    /** Failed logins from one client address within the window before that address is locked. */
    LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(50),
    /** How long failures are remembered, and the first lock-out; each further lock-out doubles, up to 24 h. */
    LOGIN_FAILURE_WINDOW_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 3600)
      .default(15 * 60),
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
    /** With STORAGE_DRIVER=s3: how long an upload's Redis lock outlives a replica that died holding it. */
    UPLOAD_LOCK_LEASE_MS: z.coerce
      .number()
      .int()
      .min(1000, 'must be at least 1000 ms: the lock is renewed every third of it')
      .max(600_000, 'must be at most 600000 ms (10 min), or an upload whose replica died stays stuck that long')
      .default(30_000),
    /** How long the files of replaced or deleted media stay, so players that already loaded them can finish. */
    MEDIA_SWEEP_GRACE_MINUTES: z.coerce
      .number()
      .int()
      .min(0)
      .max(30 * 24 * 60, 'must be at most 43200 (30 days)')
      .default(60),
    /** How often the sweeper looks for such files. */
    MEDIA_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
    PREVIEW_RETENTION_SEC: previewRetentionSec,
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
    /**
     * The worker's niceness (0–19), which every ffmpeg and LibreOffice run it starts inherits: encoding takes
     * the processor time that serving members leaves over, so the catalog and uploads stay quick beside it.
     */
    TRANSCODE_NICENESS: z.coerce.number().int().min(0).max(19).default(10),
    /** The port serving the worker's /metrics; unset, the worker serves none. */
    TRANSCODER_METRICS_PORT: port.optional(),
    /** Videos longer than two chunks of this many seconds are encoded in chunks by every transcoder; 0 turns it off. */
    TRANSCODE_CHUNK_SEC: z.coerce.number().int().min(0).max(3600).default(0),
    /** Chunks this process encodes at once; 0 runs no chunk worker here. */
    TRANSCODE_CHUNK_CONCURRENCY: z.coerce.number().int().min(0).max(16).default(1),
    /** How often the growing set of a running encode is stored for preview. */
    PREVIEW_PUBLISH_INTERVAL_MS: z.coerce.number().int().min(250).max(60_000).default(2000),
    PREVIEW_RETENTION_SEC: previewRetentionSec,
  })
  .superRefine(checkStorageEnv);

export const webEnvSchema = z.object({
  NODE_ENV: commonEnvSchema.shape.NODE_ENV,
  LOG_LEVEL: commonEnvSchema.shape.LOG_LEVEL,
  WEB_PORT: port.default(8080),
  CATALOG_URL: url(['http:', 'https:']).default('http://127.0.0.1:3000'),
  UPLOAD_URL: url(['http:', 'https:']).default('http://127.0.0.1:3001'),
  WEB_DIST_DIR: z.string().min(1).default('apps/web/dist'),
  /** The proxies in front of the gateway (nginx, a load balancer): only their X-Forwarded-Proto is believed, and so HSTS. */
  TRUSTED_PROXIES: trustedProxies,
  /** The port serving the gateway's /metrics, apart from the public WEB_PORT; unset, the gateway serves none. */
  WEB_METRICS_PORT: port.optional(),
  METRICS_TOKEN: metricsToken,
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
