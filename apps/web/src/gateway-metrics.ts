import { upstreamFor } from './gateway.js';

const NO_UPSTREAMS = { catalogUrl: 'catalog', uploadUrl: 'upload' };

/**
 * The gateway's route label: the proxied prefix (`/api/*`, `/hls/*`, `/files/*` …), `/health`, or
 * `static` for the app's own files. Never the path itself, which carries ids and playback tokens.
 */
export function gatewayRoute(url: string): string {
  const path = url.split('?')[0]!;
  if (path === '/health') return '/health';
  if (upstreamFor(path, NO_UPSTREAMS) === null) return 'static';
  return `/${path.split('/')[1]}/*`;
}
