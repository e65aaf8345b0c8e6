import type { Provider } from '@nestjs/common';
import type { CatalogEnv } from '#config';
import { RollupMetrics } from '../reports/rollup-lag.js';
import { QueueBoardController } from './queue-board.controller.js';
import { QUEUE_BOARD_OPTIONS, QueueBoard, type QueueBoardOptions } from './queue-board.js';

/** What an operator sees of the catalog: the queue board, and the figures only the catalog can read. */
export const adminControllers = [QueueBoardController];

export const adminProviders = (env: CatalogEnv): Provider[] => [
  QueueBoard,
  RollupMetrics,
  {
    provide: QUEUE_BOARD_OPTIONS,
    useValue: { redisUrl: env.REDIS_URL, prefix: env.QUEUE_PREFIX, secret: env.JWT_SECRET } satisfies QueueBoardOptions,
  },
];
