import 'reflect-metadata';
import { ConfigError, loadEnv, transcoderEnvSchema } from '#config';
import { createLogger } from '#logging';
import { createRedis } from '#platform';

/** The transcoding worker: no HTTP, only queues. */
async function main(): Promise<void> {
  const env = loadEnv(transcoderEnvSchema);
  const logger = createLogger('transcoder', env.LOG_LEVEL);
  const redis = createRedis(env.REDIS_URL, { enableOfflineQueue: true, maxRetriesPerRequest: null });
  await redis.ping();
  logger.info({ concurrency: env.TRANSCODE_CONCURRENCY }, 'transcoder ready');
  const stop = async (signal: string) => {
    logger.info({ signal }, 'transcoder stopping');
    redis.disconnect();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
