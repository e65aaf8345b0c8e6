import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { clientErrorOf } from '#platform';
import { encodeRfc5987 } from '../media/send-stored-file.js';
import type { HlsAccess, HlsAccessService } from './hls-access.service.js';

/** Response headers of a verdict, read by the edge with `auth_request_set`. */
export const VERDICT_HEADERS = {
  /** The published set's storage prefix, e.g. `media/<asset>/<version>`. */
  prefix: 'X-Lectern-Prefix',
  /** `<file>=<RFC 5987 name>` per offline file, comma-separated: the files served as attachments and their names. */
  downloads: 'X-Lectern-Downloads',
  /** Why a link was refused (missing, forged, wrong_asset, expired, withdrawn, not_ready), for the edge's error body. */
  refusal: 'X-Lectern-Refusal',
} as const;

/** The route pattern of a verdict, as Express names it and as the request metrics label it. */
export const HLS_AUTH_ROUTE = '/hls-auth/:token/:assetId';

/** What one verdict answers: a status the edge's auth_request understands and the headers it reads. */
export interface VerdictReply {
  status: 204 | 401 | 403;
  headers: Record<string, string>;
}

/**
 * The verdict on a link, as the edge reads it: 204 with the set's prefix (and the download names);
 * 401 for an expired link (the edge answers 410, as the catalog does); 403 for any other refusal, and
 * for an asset with no ready media (refusal `not_ready`, which the edge answers with 404 as the
 * catalog does: nginx's auth_request treats any other status as its own error). Never cached as is:
 * the edge keeps it as briefly as its own configuration says.
 */
export function verdictReply(access: HlsAccess): VerdictReply {
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
  if (!access.ok) {
    headers[VERDICT_HEADERS.refusal] = access.refusal;
    return { status: access.status === 410 ? 401 : 403, headers };
  }
  const { prefix, downloadNames } = access.media;
  if (!prefix) {
    headers[VERDICT_HEADERS.refusal] = 'not_ready';
    return { status: 403, headers };
  }
  headers[VERDICT_HEADERS.prefix] = prefix;
  const downloads = [...downloadNames].map(([file, name]) => `${file}=${encodeRfc5987(name)}`).join(',');
  if (downloads) headers[VERDICT_HEADERS.downloads] = downloads;
  return { status: 204, headers };
}

export interface HlsAuthRoute {
  token: string;
  assetId: string;
}

const ROUTE = /^\/hls-auth\/([^/]+)\/([^/]+)\/?$/i;

/** The path of a request target as Express routes it: the part before the query, or an absolute-form target's path. */
function pathnameOf(url: string): string | null {
  if (url.startsWith('/')) {
    const end = url.indexOf('?');
    return end === -1 ? url : url.slice(0, end);
  }
  try {
    return new URL(url).pathname;
  } catch {
    return null;
  }
}

/**
 * The token and asset of `GET /hls-auth/:token/:assetId` (or HEAD, which Express answers with the GET
 * route) in every spelling Express routes there: any letter case, one trailing slash, a query string,
 * percent-encoded segments, an absolute-form target. Null for every other request, and for a segment
 * Express could not decode either, which Express then answers as before.
 */
export function hlsAuthRoute(method: string | undefined, url: string | undefined): HlsAuthRoute | null {
  if ((method !== 'GET' && method !== 'HEAD') || !url) return null;
  const pathname = pathnameOf(url);
  const match = pathname ? ROUTE.exec(pathname) : null;
  if (!match) return null;
  try {
    return { token: decodeURIComponent(match[1]!), assetId: decodeURIComponent(match[2]!) };
  } catch {
    return null;
  }
}

/** Headers every catalog answer carries (createHttpApp): tokens sit in these paths. */
const COMMON_HEADERS = { 'Referrer-Policy': 'no-referrer', 'X-Content-Type-Options': 'nosniff' } as const;

/**
 * The edge's verdicts, served straight from Node's HTTP server ahead of Express and Nest's pipeline:
 * nginx asks one per viewer's token every time its cached verdict runs out, so at a large audience
 * this is the catalog's busiest request. The checks are HlsAccessService's, the same that the
 * catalog's own delivery and HlsAuthController make; the answer is `verdictReply`'s, as the
 * controller's is.
 */
export class HlsAuthEndpoint {
  constructor(
    private readonly access: HlsAccessService,
    private readonly logger?: Pick<Logger, 'info' | 'error'>,
  ) {}

  handleRaw(route: HlsAuthRoute, req: IncomingMessage, res: ServerResponse): void {
    this.access.authorize(route.token, route.assetId).then(
      (access) => {
        const { status, headers } = verdictReply(access);
        res.writeHead(status, { ...COMMON_HEADERS, ...headers });
        res.end();
      },
      (error: unknown) => this.fail(error, req, res),
    );
  }

  /** A failed check answers as the app's exception filter would: a database refusal's status, else 500, logged. */
  private fail(error: unknown, req: IncomingMessage, res: ServerResponse): void {
    const mapped = clientErrorOf(error);
    // The route, not the URL: the URL holds the viewer's token.
    const where = { method: req.method, route: HLS_AUTH_ROUTE };
    if (mapped) this.logger?.info({ ...where, status: mapped.status }, mapped.message);
    else this.logger?.error({ ...where, err: error }, 'request failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const status = mapped?.status ?? 500;
    const text = JSON.stringify({
      statusCode: status,
      message: mapped?.message ?? 'Something went wrong on our side. Please try again later.',
    });
    res.writeHead(status, {
      ...COMMON_HEADERS,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(req.method === 'HEAD' ? undefined : text);
  }
}
