import { BadRequestException, StandardSchemaValidationPipe, type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { IncomingMessage } from 'node:http';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { PinoNestLogger, httpLogger } from '#logging';
import { ServerErrorFilter } from './exception-filter.js';
import { trustOneHopFrom } from './trusted-proxies.js';

export interface HttpAppOptions {
  logger: Logger;
  title: string;
  description: string;
  /** Where the OpenAPI page is served; services behind one gateway need distinct paths. */
  docsPath?: string;
  /** Whether to serve the OpenAPI page at all (`apiDocsEnabled` of the service's env: off in production unless asked for). */
  apiDocs?: boolean;
  /** Paths whose bodies belong to someone else (tus uploads) and must reach them unread. */
  unparsedBodyPrefixes?: string[];
  /**
   * Addresses of the gateway in front (`loopback`, IPs or CIDR ranges, comma-separated; `none` trusts no one).
   * Only a request from one of them may name the client in `X-Forwarded-For`, and only its last hop counts.
   */
  trustedProxies?: string;
}

/** Builds a Nest HTTP app with the behaviour every Lectern service shares: logs, validation, docs, headers. */
export async function createHttpApp(module: Type<unknown> | DynamicModule, options: HttpAppOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module, {
    logger: new PinoNestLogger(options.logger),
    bufferLogs: false,
    bodyParser: false,
  });
  const skip = options.unparsedBodyPrefixes ?? [];
  app.useBodyParser('json', {
    limit: '1mb',
    type: (req: IncomingMessage) => /json/i.test(req.headers['content-type'] ?? '') && !skip.some((prefix) => req.url?.startsWith(prefix)),
  });
  app.set('trust proxy', trustOneHopFrom(options.trustedProxies ?? 'loopback'));
  app.use(httpLogger(options.logger));
  app.use((_req: unknown, res: { setHeader(name: string, value: string): void }, next: () => void) => {
    // Playback tokens sit in URL paths: no page may hand them on in a Referer header.
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  app.useGlobalPipes(
    new StandardSchemaValidationPipe({
      exceptionFactory: (issues) => {
        const errors = issues.map((issue) => {
          const path = (issue.path ?? []).map((p) => (typeof p === 'object' ? String(p.key) : String(p))).join('.');
          return path ? `${path}: ${issue.message}` : issue.message;
        });
        return new BadRequestException({ statusCode: 400, message: `Invalid request: ${errors.join('; ')}`, errors });
      },
    }),
  );
  app.useGlobalFilters(new ServerErrorFilter(app.getHttpAdapter(), options.logger));
  app.enableShutdownHooks();
  // A production API does not hand every route and schema to whoever asks, unless the operator wants it to.
  // The document is built on its first request, not at start-up: scanning every route and schema is a good
  // part of a service's start, and most processes never serve it.
  if (options.apiDocs ?? true) {
    SwaggerModule.setup(options.docsPath ?? 'api/docs', app, () =>
      SwaggerModule.createDocument(
        app,
        new DocumentBuilder().setTitle(options.title).setDescription(options.description).addBearerAuth().build(),
      ),
    );
  }
  return app;
}
