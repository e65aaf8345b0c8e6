import { ConfigError, loadEnv, webEnvSchema } from '#config';
import { createLogger } from '#logging';
import { createGateway } from './gateway.js';

function main(): void {
  const env = loadEnv(webEnvSchema);
  const logger = createLogger('web', env.LOG_LEVEL);
  const server = createGateway({ catalogUrl: env.CATALOG_URL, uploadUrl: env.UPLOAD_URL, distDir: env.WEB_DIST_DIR, logger });
  server.listen(env.WEB_PORT, '0.0.0.0', () => logger.info({ port: env.WEB_PORT }, 'web listening'));
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
