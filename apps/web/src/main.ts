import { ConfigError, loadEnv, webEnvSchema } from '#config';
import { createLogger } from '#logging';
import { createGateway } from './gateway.js';
import { gatewayRoute } from './gateway-metrics.js';
import { instrumentHttpServer, startMetrics, startMetricsServer } from '#metrics';

function main(): void {
  const env = loadEnv(webEnvSchema);
  const logger = createLogger('web', env.LOG_LEVEL);
  const server = createGateway({
    catalogUrl: env.CATALOG_URL,
    uploadUrl: env.UPLOAD_URL,
    distDir: env.WEB_DIST_DIR,
    logger,
    trustedProxies: env.TRUSTED_PROXIES,
  });
  startMetrics('web');
  instrumentHttpServer(server, { routeOf: (req) => gatewayRoute(req.url ?? '/') });
  server.listen(env.WEB_PORT, '0.0.0.0', () => logger.info({ port: env.WEB_PORT }, 'web listening'));
  // Metrics have a port of their own: the gateway's port is the public one.
  if (env.WEB_METRICS_PORT) {
    const port = env.WEB_METRICS_PORT;
    startMetricsServer(port, env.METRICS_TOKEN).then(
      () => logger.info({ port }, 'web metrics listening'),
      (error: unknown) => {
        logger.fatal({ err: error, port }, 'web metrics port unavailable');
        process.exit(1);
      },
    );
  }
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

try {
  main();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
