// The images' HEALTHCHECK: `node infra/docker/healthcheck.mjs <catalog|upload|web|transcoder>` exits 0 when
// the process in this container answers its check, 1 otherwise (with the reason on stderr).
// catalog and upload: /health, 200 only while PostgreSQL and Redis answer (a container that cannot serve is
// not healthy, and Compose starts what depends on it only once it is). web: its own page, whatever the
// services behind it do. transcoder: its metrics port, the only HTTP it has. Node built-ins only.

import { pathToFileURL } from 'node:url';

const env = process.env;
const local = (port, path) => `http://127.0.0.1:${port}${path}`;

/** The address to ask for `service`, and the headers to send; throws when the service cannot be asked. */
export function healthTarget(service, source = env) {
  switch (service) {
    case 'catalog':
      return { url: local(source.CATALOG_PORT || 3000, '/health'), headers: {} };
    case 'upload':
      return { url: local(source.UPLOAD_PORT || 3001, '/health'), headers: {} };
    case 'web':
      return { url: local(source.WEB_PORT || 8080, '/'), headers: {} };
    case 'transcoder': {
      if (!source.TRANSCODER_METRICS_PORT) throw new Error('the transcoder has no HTTP to check: set TRANSCODER_METRICS_PORT');
      const headers = source.METRICS_TOKEN ? { authorization: `Bearer ${source.METRICS_TOKEN}` } : {};
      return { url: local(source.TRANSCODER_METRICS_PORT, '/metrics'), headers };
    }
    default:
      throw new Error(`unknown service "${service}" (catalog, upload, web or transcoder)`);
  }
}

export async function check(service, source = env, timeoutMs = 4000) {
  const { url, headers } = healthTarget(service, source);
  const answer = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  await answer.arrayBuffer();
  if (answer.status !== 200) throw new Error(`${url} answered ${answer.status}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  check(process.argv[2]).then(
    () => process.exit(0),
    (error) => {
      console.error(`unhealthy: ${error.cause?.code ?? error.message}`);
      process.exit(1);
    },
  );
}
