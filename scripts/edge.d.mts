// Types of scripts/edge.mjs for the TypeScript tests and benchmarks that import it.
import type { ChildProcess } from 'node:child_process';

export interface EdgeOptions {
  /** The port to listen on (127.0.0.1 unless `host` says); a free one when 0 or not given. */
  port?: number;
  host?: string;
  /** The local storage driver's folder (STORAGE_DIR); media are served from it unless `s3` is given. */
  storageDir?: string;
  /** The catalog, asked for verdicts at /hls-auth. */
  catalogUrl: string;
  /** The web gateway, for everything but media. */
  webUrl: string;
  /** Serve media from this bucket (path-style, read without credentials) through nginx's cache. */
  s3?: { endpoint: string; bucket: string };
  /** Where the rendered nginx.conf, logs, temporary files and caches go. */
  workDir?: string;
  /** How long a yes from the catalog is kept ("30s" by default): the edge's revocation delay. */
  verdictTtl?: string | number;
  /** How long a no is kept ("5s" by default). */
  refusalTtl?: string | number;
  /** Most the S3 media cache may hold ("10g" by default). */
  mediaCacheMax?: string;
  workerProcesses?: number | 'auto';
  /** false: no access log (benchmarks). */
  accessLog?: boolean;
  /** Addresses of proxies in front whose X-Forwarded-For and X-Forwarded-Proto are believed. */
  trustedProxies?: string[];
  /** The user nginx's workers run as (root's own when started as root). */
  user?: string;
}

export interface RunningEdge {
  url: string;
  port: number;
  pid: number;
  workDir: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export const EDGE_TEMPLATE: string;
export const NGINX: string;
export function nginxAvailable(bin?: string): boolean;
export function renderEdgeConfig(template: string, options: EdgeOptions & { port: number; workDir: string }): string;
export function freePort(): Promise<number>;
export function startEdge(options: EdgeOptions): Promise<RunningEdge>;
