import { createServer, type Server } from 'node:http';
import { METRICS_PATH, metricsListener } from './http-metrics.js';

/**
 * A port of its own serving only /metrics, for processes whose other port is public (the web gateway)
 * or that have none (the transcoder). Resolves once listening.
 */
export async function startMetricsServer(port: number, token: string | undefined, host = '0.0.0.0'): Promise<Server> {
  const serve = metricsListener(token);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === METRICS_PATH) return serve(req, res);
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Only /metrics is served here.\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
