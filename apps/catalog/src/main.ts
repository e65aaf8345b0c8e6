import 'reflect-metadata';
import { ConfigError, catalogEnvSchema, loadEnv } from '#config';
import { createLogger } from '#logging';
import { createCatalogApp } from './catalog.app.js';

async function main(): Promise<void> {
  const env = loadEnv(catalogEnvSchema);
  const logger = createLogger('catalog', env.LOG_LEVEL);
  const app = await createCatalogApp(env, logger);
  await app.listen(env.CATALOG_PORT, '0.0.0.0');
  logger.info({ port: env.CATALOG_PORT }, 'catalog listening');
}

main().catch((error: unknown) => {
  // A bad configuration is a message for a person, not a stack trace.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
