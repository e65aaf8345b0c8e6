import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Counter, Histogram } from 'prom-client';
import { registry } from './registry.js';

const requests = new Counter({
  name: 'lectern_http_requests_total',
  help: 'HTTP requests answered, by route pattern and status class.',
  labelNames: ['method', 'route', 'status'],
  registers: [registry],
});

const duration = new Histogram({
  name: 'lectern_http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by route pattern.',
  labelNames: ['method', 'route'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const METRICS_PATH = '/metrics';
/** A route label for paths nothing answered: raw URLs carry tokens and ids and would grow the series without bound. */
export const UNMATCHED_ROUTE = 'unmatched';
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

type Listener = (req: IncomingMessage, res: ServerResponse) => void;
/** What Express leaves on a request it routed: the mount path and the matched route's pattern. */
type RoutedRequest = IncomingMessage & { baseUrl?: string; route?: { path?: unknown } };

export interface HttpMetricsOptions {
  /** The route pattern of requests answered outside Express (fast paths, plain servers); undefined when unknown. */
  routeOf?(req: IncomingMessage): string | undefined;
  /** Answer `GET /metrics` on this server too, to those `metricsAccess` lets in with this token. */
  serveMetrics?: { token: string | undefined };
}

/** The route pattern Express matched (`/api/courses/:id`), under the router's mount path; undefined when none. */
export function expressRoute(req: IncomingMessage): string | undefined {
  const routed = req as RoutedRequest;
  const path = routed.route?.path;
  if (typeof path === 'string') return `${routed.baseUrl ?? ''}${path}` || '/';
  return routed.baseUrl ? `${routed.baseUrl}/*` : undefined;
}

/**
 * Measures every request of a node HTTP server by route and, when asked, answers `GET /metrics` on it,
 * ahead of the listeners already there (Express, or a service's own fast paths). Call it once the
 * server's own request listeners are in place.
 */
export function instrumentHttpServer(server: Server, options: HttpMetricsOptions = {}): void {
  const others = server.listeners('request') as Listener[];
  server.removeAllListeners('request');
  const serve = options.serveMetrics ? metricsListener(options.serveMetrics.token) : null;
  const routeOf = (req: IncomingMessage) => (serve && isMetricsRequest(req) ? METRICS_PATH : options.routeOf?.(req));
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    observe(req, res, routeOf);
    if (serve && isMetricsRequest(req)) return serve(req, res);
    for (const listener of others) listener.call(server, req, res);
  });
}

function observe(req: IncomingMessage, res: ServerResponse, routeOf: HttpMetricsOptions['routeOf']): void {
  const started = process.hrtime.bigint();
  res.once('close', () => {
    const method = METHODS.has(req.method ?? '') ? req.method! : 'OTHER';
    const route = expressRoute(req) ?? routeOf?.(req) ?? UNMATCHED_ROUTE;
    const status = res.writableFinished ? `${Math.floor(res.statusCode / 100)}xx` : 'aborted';
    requests.inc({ method, route, status });
    duration.observe({ method, route }, Number(process.hrtime.bigint() - started) / 1e9);
  });
}

const isMetricsRequest = (req: IncomingMessage) => req.url === METRICS_PATH || req.url?.startsWith(`${METRICS_PATH}?`) === true;

/**
 * Who may read /metrics. With a token, only a request bearing it (compared in constant time).
 * Without one, only a request made straight from this machine: from loopback and not forwarded by a
 * proxy, so nothing reaching a service through the gateway or the edge ever reads it.
 */
export function metricsAccess(req: IncomingMessage, token: string | undefined): 200 | 401 | 403 {
  if (token) {
    const given = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!given) return 401;
    const digest = (value: string) => createHash('sha256').update(value).digest();
    return timingSafeEqual(digest(given), digest(token)) ? 200 : 403;
  }
  const address = req.socket.remoteAddress ?? '';
  const loopback = address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
  const forwarded = req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined;
  return loopback && !forwarded ? 200 : 403;
}

/** Answers a metrics scrape (any path: callers route to it). */
export function metricsListener(token: string | undefined): Listener {
  return (req, res) => {
    const access = metricsAccess(req, token);
    if (access !== 200) {
      res.writeHead(access, { 'content-type': 'text/plain; charset=utf-8', ...(access === 401 ? { 'www-authenticate': 'Bearer' } : {}) });
      res.end(access === 401 ? 'Metrics need the bearer token METRICS_TOKEN.\n' : 'Metrics are not served to this client.\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' });
      res.end();
      return;
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`Metrics could not be collected: ${error instanceof Error ? error.message : String(error)}\n`);
      },
    );
  };
}
