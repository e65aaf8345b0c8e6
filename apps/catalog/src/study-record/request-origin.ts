/**
 * The public origin the record's QR code points at, from the request as the member's browser made it.
 * Lectern has no configured public address; the gateway passes the browser's Host on as
 * `X-Forwarded-Host` (and `X-Forwarded-Proto`), which Express honours only from a trusted proxy
 * (`TRUSTED_PROXIES`), so `protocol` and `host` here are the gateway's view, or the request's own when
 * it reached the catalog directly. A host that is not a plain host name (and optional port) is refused.
 */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})?)*|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

export function publicOrigin(protocol: string, host: string | undefined): string | null {
  if (!host || host.length > 260 || !HOST.test(host)) return null;
  const scheme = protocol === 'https' ? 'https' : 'http';
  return `${scheme}://${host.toLowerCase()}`;
}
