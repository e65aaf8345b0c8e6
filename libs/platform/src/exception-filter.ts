import { Catch, HttpException, type ArgumentsHost, type HttpServer } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { EntityNotFoundError } from 'typeorm';
import { redactUrl } from '#logging';
import { describeDatabaseError, type ClientError } from './database-errors.js';

/** The answer for an error that is no HttpException: the client's fault (4xx) when PostgreSQL says so, else 500. */
export function clientErrorOf(exception: unknown): ClientError | null {
  if (exception instanceof EntityNotFoundError) return { status: 404, message: 'Not found.' };
  return describeDatabaseError(exception);
}

/**
 * One filter for every HTTP service: HttpExceptions answer as Nest answers them, PostgreSQL's refusals of
 * bad data answer 400/409 with a sentence (no SQL), and anything else answers 500 with its stack logged.
 */
@Catch()
export class ServerErrorFilter extends BaseExceptionFilter {
  constructor(
    httpAdapter: HttpServer,
    private readonly logger: Logger,
  ) {
    super(httpAdapter);
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http' || exception instanceof HttpException) return super.catch(exception, host);
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const mapped = clientErrorOf(exception);
    const where = { method: req.method, url: redactUrl(req.originalUrl ?? req.url) };
    if (mapped) this.logger.info({ ...where, status: mapped.status, code: (exception as { code?: unknown }).code }, mapped.message);
    else this.logger.error({ ...where, err: exception }, 'request failed');
    const status = mapped?.status ?? 500;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res
      .status(status)
      .json({ statusCode: status, message: mapped?.message ?? 'Something went wrong on our side. Please try again later.' });
  }
}
