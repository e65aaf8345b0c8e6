import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { apiDocsEnabled, type CatalogEnv } from '#config';
import { instrumentHttpServer, startMetrics } from '#metrics';
import { createHttpApp } from '#platform';
import { QueueBoard } from './admin/queue-board.js';
import { CatalogModule } from './catalog.module.js';
import { AnswerEndpoint, answerRoute, readsAsJson } from './exams/taking/answer-endpoint.js';
import { HlsAccessService } from './playback/hls-access.service.js';
import { HLS_AUTH_ROUTE, HlsAuthEndpoint, hlsAuthRoute } from './playback/hls-auth-endpoint.js';
import { HEARTBEAT_PATH, HeartbeatEndpoint, isHeartbeatRequest } from './study/heartbeat-endpoint.js';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** The catalog HTTP app exactly as production runs it; tests build it through here too. */
export async function createCatalogApp(env: CatalogEnv, logger: Logger): Promise<NestExpressApplication> {
  const app = await createHttpApp(CatalogModule.forRoot(env), {
    logger,
    title: 'Lectern catalog',
    description: 'Accounts, organisation tree, courses, playback, study hours and reports.',
    trustedProxies: env.TRUSTED_PROXIES,
    apiDocs: apiDocsEnabled(env),
  });
  // Member lists and cover images arrive as the file itself.
  app.useBodyParser('raw', {
    type: [
      'text/csv',
      'application/csv',
      'text/plain',
      'image/jpeg',
      'image/png',
      'image/webp',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ],
    limit: '5mb',
  });
  app.get(QueueBoard).mount(app);
  serveHotPathsFirst(app, logger);
  startMetrics('catalog');
  instrumentHttpServer(app.getHttpServer() as Server, { routeOf: hotPathRoute, serveMetrics: { token: env.METRICS_TOKEN } });
  return app;
}

/** The route label of the requests answered ahead of Express, which leaves no route of its own on them. */
function hotPathRoute(req: IncomingMessage): string | undefined {
  if (isHeartbeatRequest(req.method, req.url)) return HEARTBEAT_PATH;
  if (answerRoute(req.method, req.url)) return '/api/me/attempts/:attemptId/answers/:item';
  if (hlsAuthRoute(req.method, req.url)) return HLS_AUTH_ROUTE;
  return undefined;
}

/** Puts the heartbeat, answer-saving and edge-verdict fast paths in front of Express on the same server and port. */
function serveHotPathsFirst(app: NestExpressApplication, logger: Logger): void {
  const server = app.getHttpServer() as Server;
  const endpoint = app.get(HeartbeatEndpoint);
  const answers = app.get(AnswerEndpoint);
  answers.useLogger(logger);
  const verdicts = new HlsAuthEndpoint(app.get(HlsAccessService), logger);
  const others = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (isHeartbeatRequest(req.method, req.url)) return endpoint.handleRaw(req, res);
    const answer = answerRoute(req.method, req.url);
    if (answer && readsAsJson(req.headers)) return answers.handleRaw(answer, req, res);
    const verdict = hlsAuthRoute(req.method, req.url);
    if (verdict) return verdicts.handleRaw(verdict, req, res);
    for (const listener of others) listener.call(server, req, res);
  });
}
