import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { redactUrl } from '#logging';
import { trustOneHopFrom } from '#platform/trusted-proxies';
import { appHeaders, requestProtocol, transportHeaders } from './security-headers.js';
import { staticFiles } from './static-files.js';

export interface GatewayOptions {
  catalogUrl: string;
  uploadUrl: string;
  distDir: string;
  logger: Logger;
  /** The proxies in front (TRUSTED_PROXIES): only their X-Forwarded-Proto is believed. */
  trustedProxies?: string;
}

// Upload traffic (tus and media assets) goes to the upload service; every other API path to the catalog.
const UPLOAD_PREFIXES = ['/files', '/api/uploads', '/api/assets', '/api/upload-docs'];
const CATALOG_PREFIXES = ['/api', '/hls', '/downloads'];

const matches = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`);

export function upstreamFor(path: string, options: Pick<GatewayOptions, 'catalogUrl' | 'uploadUrl'>): string | null {
  if (UPLOAD_PREFIXES.some((p) => matches(path, p))) return options.uploadUrl;
  if (CATALOG_PREFIXES.some((p) => matches(path, p))) return options.catalogUrl;
  return null;
}

function proxy(req: IncomingMessage, res: ServerResponse, upstream: string, logger: Logger, protocol: 'https' | 'http'): void {
  const target = new URL(req.url ?? '/', upstream);
  const forwarded = req.headers['x-forwarded-for'];
  const outgoing = httpRequest(
    target,
    {
      method: req.method,
      headers: {
        ...req.headers,
        host: target.host,
        'x-forwarded-host': req.headers.host ?? '',
        'x-forwarded-proto': protocol,
        'x-forwarded-for': [forwarded, req.socket.remoteAddress].filter(Boolean).join(', '),
      },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders as unknown as Record<string, string>);
      answer.pipe(res);
    },
  );
  outgoing.on('error', (error) => {
    logger.warn({ upstream, url: redactUrl(req.url), err: error.message }, 'upstream not answering');
    if (!res.headersSent) {
      res.writeHead(502, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ statusCode: 502, message: 'The service is not answering right now. Please try again in a moment.' }));
    } else res.destroy();
  });
  // A client that goes away mid-upload must abort the upstream request too, so tus can record the offset.
  req.on('aborted', () => outgoing.destroy());
  res.on('close', () => {
    if (!res.writableFinished) outgoing.destroy();
  });
  req.pipe(outgoing);
}

async function combinedHealth(options: GatewayOptions, res: ServerResponse): Promise<void> {
  const ask = async (url: string) => {
    try {
      const answer = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(3000) });
      return (await answer.json()) as { status: string };
    } catch {
      return { status: 'unreachable' };
    }
  };
  const [catalog, upload] = await Promise.all([ask(options.catalogUrl), ask(options.uploadUrl)]);
  const ok = catalog.status === 'ok' && upload.status === 'ok';
  res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ status: ok ? 'ok' : 'degraded', catalog, upload }));
}

/** One origin for the browser: the app's files, the catalog API and the upload API behind one port. */
export function createGateway(options: GatewayOptions): Server {
  const serveStatic = staticFiles(options.distDir);
  const trusted = trustOneHopFrom(options.trustedProxies ?? 'loopback');
  return createServer((req, res) => {
    const path = req.url ?? '/';
    const protocol = requestProtocol(req, trusted);
    // Set first, so an upstream's own value of the same header takes their place (writeHead's headers win).
    for (const [name, value] of Object.entries(transportHeaders(protocol))) res.setHeader(name, value);
    if (path === '/health') return void combinedHealth(options, res);
    const upstream = upstreamFor(path, options);
    if (upstream) return proxy(req, res, upstream, options.logger, protocol);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' });
      return void res.end();
    }
    for (const [name, value] of Object.entries(appHeaders(protocol))) res.setHeader(name, value);
    serveStatic(req, res).catch((error: unknown) => {
      options.logger.error({ err: error }, 'static file failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
}
