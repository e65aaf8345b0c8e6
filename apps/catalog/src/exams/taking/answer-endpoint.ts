import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  Inject,
  Injectable,
  Optional,
  UnauthorizedException,
} from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { ACCOUNT_CHECK, bearerToken, inspectorMayCall, TokenService, type AccountCheck, type Principal } from '#auth';
import type { SaveAnswerResult } from '#contracts';
import { clientErrorOf } from '#platform';
import { UuidParam } from '../../org/org.schemas.js';
import { DEVICE_HEADER, deviceKey, ItemParam, SaveAnswerSchema } from './taking.schemas.js';
import { TakingService } from './taking.service.js';

/** The JSON body limit every route has (`createHttpApp`'s JSON parser). */
export const MAX_ANSWER_BODY_BYTES = 1024 * 1024;
const ROLES = ['member', 'editor'] as const;
const ANSWER_ROUTE = /^\/api\/me\/attempts\/([^/]+)\/answers\/([^/]+)\/?$/i;

export interface AnswerRoute {
  attemptId: string;
  item: string;
}

/** The path of a request target as Express routes it: the part before the query, or an absolute-form target's path. */
function pathnameOf(url: string): string | null {
  if (url.startsWith('/')) {
    const end = url.indexOf('?');
    return end === -1 ? url : url.slice(0, end);
  }
  try {
    return new URL(url).pathname;
  } catch {
    return null;
  }
}

/**
 * The attempt and item of `PUT /api/me/attempts/:attemptId/answers/:item` in every spelling that Express
 * routes there (any letter case, one trailing slash, a query string, percent-encoded segments, an
 * absolute-form target); null for every other request, and for a segment Express could not decode.
 */
export function answerRoute(method: string | undefined, url: string | undefined): AnswerRoute | null {
  if (method !== 'PUT' || !url) return null;
  const pathname = pathnameOf(url);
  const match = pathname ? ANSWER_ROUTE.exec(pathname) : null;
  if (!match) return null;
  try {
    return { attemptId: decodeURIComponent(match[1]!), item: decodeURIComponent(match[2]!) };
  } catch {
    return null;
  }
}

/**
 * Whether the body is one the JSON parser reads (a JSON content type, not compressed, UTF-8): any other
 * answer request goes through Express as before, so it is answered exactly as it was.
 */
export function readsAsJson(headers: IncomingMessage['headers']): boolean {
  const type = headers['content-type'] ?? '';
  if (!/json/i.test(type)) return false;
  const encoding = (headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity') return false;
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(type)?.[1]?.toLowerCase();
  return charset === undefined || charset.startsWith('utf-');
}

interface Reply {
  status: number;
  body: unknown;
}

/** Validation failures read as the global validation pipe words them. */
function invalid(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): BadRequestException {
  const errors = issues.map((issue) => {
    const path = issue.path.map((p) => String(p)).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  return new BadRequestException({ statusCode: 400, message: `Invalid request: ${errors.join('; ')}`, errors });
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(result.error.issues);
  return result.data;
}

/**
 * Saving an answer, served straight from Node's HTTP server ahead of Express and Nest's pipeline: in a
 * unified exam every member saves every few seconds. It checks exactly what the route does (the access
 * token and account as the global guard, the member or editor role, the same schemas and device key),
 * calls the same `TakingService.save`, and answers with the same bodies as the exception filter.
 */
@Injectable()
export class AnswerEndpoint {
  private logger: Logger | null = null;

  constructor(
    private readonly taking: TakingService,
    private readonly tokens: TokenService,
    @Optional() @Inject(ACCOUNT_CHECK) private readonly accounts?: AccountCheck,
  ) {}

  /** Where failures that are no client error are logged (the app's logger). */
  useLogger(logger: Logger): void {
    this.logger = logger;
  }

  async respond(route: AnswerRoute, req: Pick<IncomingMessage, 'headers' | 'method' | 'url'>, body: unknown): Promise<Reply> {
    try {
      return { status: 200, body: await this.save(route, req, body) };
    } catch (error) {
      return this.failure(error, req);
    }
  }

  private async save(
    route: AnswerRoute,
    req: Pick<IncomingMessage, 'headers' | 'method' | 'url'>,
    body: unknown,
  ): Promise<SaveAnswerResult> {
    const principal = await this.authenticate(req);
    const attemptId = parse(UuidParam, route.attemptId);
    const item = parse(ItemParam, route.item);
    const answer = parse(SaveAnswerSchema, body);
    const device = deviceKey(req.headers[DEVICE_HEADER], true);
    return this.taking.save(principal, attemptId, item, answer.answer, answer.baseRevision, device);
  }

  /** The global guard's checks, in its order. */
  private async authenticate(req: Pick<IncomingMessage, 'headers' | 'method' | 'url'>): Promise<Principal> {
    const token = bearerToken(req.headers.authorization);
    if (!token) throw new UnauthorizedException('Sign in first: this request needs an access token.');
    const principal = await this.tokens.verify(token);
    const path = pathnameOf(req.url ?? '') ?? '';
    await this.accounts?.assertCurrent(principal, { method: req.method, path });
    if (principal.role === 'inspector' && !inspectorMayCall(req.method, path)) {
      throw new ForbiddenException('Inspectors read reports and change nothing.');
    }
    if (!(ROLES as readonly string[]).includes(principal.role)) {
      throw new ForbiddenException(`This needs the ${ROLES.join(' or ')} role.`);
    }
    return principal;
  }

  /** The body and status the exception filter gives for the same error. */
  private failure(error: unknown, req: Pick<IncomingMessage, 'method' | 'url'>): Reply {
    if (error instanceof HttpException) {
      const answer = error.getResponse();
      const status = error.getStatus();
      return { status, body: typeof answer === 'object' ? answer : { statusCode: status, message: answer } };
    }
    const mapped = clientErrorOf(error);
    const where = { method: req.method, url: '/api/me/attempts/:attemptId/answers/:item' };
    if (mapped) this.logger?.info({ ...where, status: mapped.status }, mapped.message);
    else this.logger?.error({ ...where, err: error }, 'request failed');
    const status = mapped?.status ?? 500;
    return {
      status,
      body: { statusCode: status, message: mapped?.message ?? 'Something went wrong on our side. Please try again later.' },
    };
  }

  handleRaw(route: AnswerRoute, req: IncomingMessage, res: ServerResponse): void {
    const send = ({ status, body }: Reply) => {
      if (res.headersSent || res.destroyed) return;
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(text),
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
      });
      res.end(text);
    };
    const tooLarge: Reply = {
      status: 413,
      body: {
        statusCode: 413,
        message: `An answer is sent as JSON of at most ${MAX_ANSWER_BODY_BYTES / 1024 / 1024} MB; this one is larger.`,
      },
    };
    // Refused before reading: the rest of the body is drained, never kept.
    if (Number(req.headers['content-length']) > MAX_ANSWER_BODY_BYTES) {
      req.resume();
      req.on('end', () => send(tooLarge));
      req.on('error', () => res.destroy());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_ANSWER_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_ANSWER_BODY_BYTES) return send(tooLarge);
      const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
      // As the JSON parser reads it: no body at all is none, an empty one is `{}`.
      const hasBody = req.headers['transfer-encoding'] !== undefined || req.headers['content-length'] !== undefined;
      let body: unknown = hasBody ? {} : undefined;
      if (text.length > 0) {
        try {
          body = JSON.parse(text);
        } catch {
          return send({
            status: 400,
            body: { statusCode: 400, message: 'The answer must be sent as JSON. Reload the exam page and save again.' },
          });
        }
      }
      void this.respond(route, req, body).then(send);
    });
    req.on('error', () => res.destroy());
  }
}
