import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { QUEUES } from '#contracts';
import { unwatchQueues, watchQueues } from '#metrics';
import { createRedis } from '#platform';
import { QUEUE_BOARD_COOKIE, QUEUE_BOARD_PATH, cookieValue, ticketHolder, ticketKey } from './queue-board-ticket.js';

export const QUEUE_BOARD_OPTIONS = Symbol('QUEUE_BOARD_OPTIONS');

/**
 * The board's page loads its own scripts and styles, and sets inline styles; nothing else. Its
 * template also links a web font from Google: the policy keeps the browser from asking for it, so
 * an administrator's visit is told to no one else (and waits for nothing that may be unreachable).
 */
const BOARD_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
export interface QueueBoardOptions {
  redisUrl: string;
  prefix: string;
  secret: string;
}

/**
 * Every queue of Lectern as the catalog sees it: shown on the committee's queue board (bull-board)
 * and counted on each metrics scrape. Its own Redis connection, failing fast, so neither a scrape
 * nor the board hangs while Redis is away.
 */
@Injectable()
export class QueueBoard implements OnApplicationBootstrap, OnModuleDestroy {
  readonly key: Buffer;
  private readonly connection: Redis;
  /** Made with the provider: the board is mounted before the application starts. */
  private readonly queues: Queue[];

  constructor(
    @Inject(QUEUE_BOARD_OPTIONS) options: QueueBoardOptions,
    @InjectDataSource() private readonly db: DataSource,
  ) {
    this.key = ticketKey(options.secret);
    this.connection = createRedis(options.redisUrl);
    this.queues = Object.values(QUEUES).map((name) => {
      const queue = new Queue(name, { connection: this.connection, prefix: options.prefix });
      // While Redis is away /health says so and the scrape leaves the queues out; unheard, BullMQ prints every reconnect failure.
      queue.on('error', () => undefined);
      return queue;
    });
  }

  onApplicationBootstrap(): void {
    watchQueues(this.queues);
  }

  async onModuleDestroy(): Promise<void> {
    unwatchQueues(this.queues);
    await Promise.allSettled(this.queues.map((queue) => queue.close()));
    this.connection.disconnect();
  }

  /** Whether the account may use the board now: active, an admin, of the top unit (the committee). */
  async isCommitteeAdmin(userId: string): Promise<boolean> {
    const [row] = await this.db.query(
      `SELECT u.active AND u.role = 'admin' AND o.parent_id IS NULL AS allowed
         FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.id = $1`,
      [userId],
    );
    return row?.allowed === true;
  }

  /** Mounts the board at QUEUE_BOARD_PATH, in front of Nest's routes, behind the ticket check. */
  mount(app: NestExpressApplication): void {
    const server = new ExpressAdapter();
    server.setBasePath(QUEUE_BOARD_PATH);
    createBullBoard({
      queues: this.queues.map((queue) => new BullMQAdapter(queue)),
      // @bull-board/express 9.10.1 carries its own copy of @bull-board/api 9.10.1: the same interface, declared twice.
      serverAdapter: server as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
      options: { uiConfig: { boardTitle: 'Lectern queues' } },
    });
    app.use(QUEUE_BOARD_PATH, (req: Request, res: Response, next: NextFunction) => void this.admit(req, res, next), server.getRouter());
  }

  /** Lets in only a committee admin holding a current ticket; the account is checked again on every request. */
  private async admit(req: Request, res: Response, next: NextFunction): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Security-Policy', BOARD_POLICY);
    const userId = ticketHolder(this.key, cookieValue(req.headers.cookie, QUEUE_BOARD_COOKIE), Date.now());
    if (!userId) {
      res.status(401).type('text/plain; charset=utf-8');
      res.send('Open the queue board from Lectern: Organisation, Settings, Queues (committee administrators only).\n');
      return;
    }
    try {
      if (await this.isCommitteeAdmin(userId)) return next();
    } catch (error) {
      return next(error);
    }
    res.status(403).type('text/plain; charset=utf-8').send('The queue board is for committee administrators only.\n');
  }
}
