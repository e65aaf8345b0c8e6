import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/**
 * What the built app loads, and nothing else: its own scripts and styles (Vite emits no inline ones;
 * Preact's style props go through the CSSOM, which CSP does not govern), hls.js's worker and its
 * MediaSource from blob: URLs, covers fetched with the token and shown from blob: URLs, data: images
 * in the CSS, and every request to the same origin. No page may frame it.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** A year: browsers go straight to https for that long after one answer over TLS. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000';

/**
 * The scheme the browser used: what a trusted proxy in front (nginx, a load balancer) says in
 * X-Forwarded-Proto, else the gateway's own socket. Anyone else's X-Forwarded-Proto is ignored, so a
 * client cannot claim TLS it did not use.
 */
export function requestProtocol(req: IncomingMessage, trusted: (address: string, hop: number) => boolean): 'https' | 'http' {
  const claimed = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(claimed) ? claimed[0] : claimed)?.split(',')[0]?.trim().toLowerCase();
  if ((first === 'https' || first === 'http') && trusted(req.socket.remoteAddress ?? '', 0)) return first;
  return (req.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http';
}

/** Headers every answer of the gateway carries; HSTS only over TLS, since a browser ignores it on http anyway and it must not pin a plain-http set-up. */
export function transportHeaders(protocol: 'https' | 'http'): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    ...(protocol === 'https' ? { 'strict-transport-security': STRICT_TRANSPORT_SECURITY } : {}),
  };
}

/** Headers of the app's own files: the transport ones, the CSP, no framing, no Referer. */
export function appHeaders(protocol: 'https' | 'http'): Record<string, string> {
  return {
    ...transportHeaders(protocol),
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  };
}
