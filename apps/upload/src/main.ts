import 'reflect-metadata';
import { ConfigError, apiDocsEnabled, loadEnv, uploadEnvSchema } from '#config';
import { createLogger } from '#logging';
import { instrumentHttpServer, startMetrics } from '#metrics';
import { createHttpApp } from '#platform';
import { UploadModule } from './upload.module.js';

async function main(): Promise<void> {
  const env = loadEnv(uploadEnvSchema);
  const logger = createLogger('upload', env.LOG_LEVEL);
  const app = await createHttpApp(UploadModule.forRoot(env), {
    logger,
    title: 'Lectern upload',
    description: 'Resumable (tus 1.0) lecture uploads and media asset status.',
    unparsedBodyPrefixes: ['/files'],
    docsPath: 'api/upload-docs',
    apiDocs: apiDocsEnabled(env),
  });
  startMetrics('upload');
  instrumentHttpServer(app.getHttpServer(), { serveMetrics: { token: env.METRICS_TOKEN } });
  await app.listen(env.UPLOAD_PORT, '0.0.0.0');
  logger.info({ port: env.UPLOAD_PORT }, 'upload listening');
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
