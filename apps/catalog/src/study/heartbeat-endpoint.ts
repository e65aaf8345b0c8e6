import { Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseHeartbeat } from '#watch';
import { PLAYBACK_OPTIONS, type PlaybackOptions } from '../playback/playback.service.js';
import { HeartbeatRejection, type HeartbeatAnswer } from './heartbeat-batch.js';
import { HeartbeatIngestService } from './heartbeat-ingest.service.js';
import { HeartbeatLimiter } from './heartbeat-limiter.js';
import { countHeartbeat } from './heartbeat-metrics.js';
import { HeartbeatTokenCheck } from './heartbeat-token.js';

export type HeartbeatReply =
  | { status: 200; body: HeartbeatAnswer }
  | { status: 400 | 403 | 404 | 409 | 410 | 413 | 415 | 429 | 500 | 503; body: { statusCode: number; message: string; errors?: string[] } };

const reply = (status: Exclude<HeartbeatReply['status'], 200>, message: string, errors?: string[]): HeartbeatReply => ({
  status,
  body: { statusCode: status, message, ...(errors ? { errors } : {}) },
});

export const MAX_HEARTBEAT_BODY_BYTES = 16 * 1024;
export const HEARTBEAT_PATH = '/api/heartbeats';
const MAX_BODY_BYTES = MAX_HEARTBEAT_BODY_BYTES;

/**
 * Whether a request is a heartbeat, in every spelling that Express would route to the heartbeat
 * route (a query string, a trailing slash, any letter case, an absolute-form request target), so
 * that each of them takes this endpoint, with its body limit, and none reaches Express's parsers.
 */
export function isHeartbeatRequest(method: string | undefined, url: string | undefined): boolean {
  if (method !== 'POST' || !url) return false;
  if (url === HEARTBEAT_PATH) return true;
  let pathname: string;
  try {
    pathname = new URL(url, 'http://catalog').pathname;
  } catch {
    return false;
  }
  return pathname.replace(/\/+$/, '').toLowerCase() === HEARTBEAT_PATH;
}

/** A heartbeat is JSON, sent as application/json (fetch) or text/plain (navigator.sendBeacon); null when it is neither. */
export function contentTypeProblem(contentType: string | undefined): string | null {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || type === 'text/plain') return null;
  return `A heartbeat is sent as application/json (or text/plain from sendBeacon), not ${type === '' ? 'without a Content-Type' : type}.`;
}

/**
 * Everything a heartbeat request goes through: validation, the session signature, the flood
 * limit, then crediting. Authenticated by the session's heartbeat token (sendBeacon cannot send
 * an Authorization header); the credit is decided from the server's own clock.
 */
@Injectable()
export class HeartbeatEndpoint {
  private readonly limiter = new HeartbeatLimiter();
  private readonly tokens: HeartbeatTokenCheck;

  constructor(
    private readonly ingest: HeartbeatIngestService,
    @Inject(PLAYBACK_OPTIONS) playback: PlaybackOptions,
  ) {
    this.tokens = new HeartbeatTokenCheck(playback.verifyKeys);
  }

  async respond(body: unknown): Promise<HeartbeatReply> {
    const parsed = parseHeartbeat(body);
    if (!parsed.ok) return reply(400, `Invalid heartbeat: ${parsed.errors.join('; ')}`, parsed.errors);
    if (!this.tokens.isValid(parsed.value.sessionId, (body as { token?: unknown }).token)) {
      return reply(403, 'This heartbeat is not signed for its session. Reopen the lecture.');
    }
    if (!this.limiter.take(parsed.value.sessionId, Date.now())) return reply(429, 'Too many heartbeats for this session; slow down.');
    try {
      return { status: 200, body: await this.ingest.submit(parsed.value) };
    } catch (error) {
      if (error instanceof HeartbeatRejection) return reply(error.status, error.message);
      return reply(500, 'Your study time could not be saved just now; the player will send it again.');
    }
  }

  /**
   * The same endpoint served straight from Node's HTTP server, ahead of Express and Nest's
   * pipeline: it is the one request every playing member sends every few seconds.
   */
  handleRaw(req: IncomingMessage, res: ServerResponse): void {
    const send = ({ status, body }: HeartbeatReply) => {
      countHeartbeat(status);
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(text),
        'cache-control': 'no-store',
      });
      res.end(text);
    };
    const tooLarge = reply(413, `A heartbeat is a few hundred bytes; this one is over the ${MAX_BODY_BYTES / 1024} KB limit.`);
    const typeProblem = contentTypeProblem(req.headers['content-type']);
    const declared = Number(req.headers['content-length']);
    // Refused before reading: the rest of the body is drained, never kept.
    if (typeProblem || declared > MAX_BODY_BYTES) {
      req.resume();
      req.on('end', () => send(typeProblem ? reply(415, typeProblem) : tooLarge));
      req.on('error', () => res.destroy());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return send(tooLarge);
      let body: unknown;
      try {
        body = JSON.parse((chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8'));
      } catch {
        return send(reply(400, 'The heartbeat body must be JSON.'));
      }
      void this.respond(body).then(send);
    });
    req.on('error', () => res.destroy());
  }
}
