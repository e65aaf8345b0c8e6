import { Controller, Get, HttpCode, HttpStatus, Inject, Injectable, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { Public } from '#auth';

export const REDIS = Symbol('REDIS');

export type DependencyState = 'up' | 'down';
export interface HealthReport {
  status: 'ok' | 'degraded';
  process: string;
  postgres: DependencyState;
  redis: DependencyState;
  errors: Record<string, string>;
}

export const PROCESS_NAME = Symbol('PROCESS_NAME');

const withTimeout = <T>(work: Promise<T>, ms: number) =>
  Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref())]);

/** Asks each dependency a trivial question with a short deadline; never throws. */
@Injectable()
export class HealthService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(PROCESS_NAME) private readonly processName: string,
  ) {}

  async check(): Promise<HealthReport> {
    const errors: Record<string, string> = {};
    const probe = async (name: string, work: () => Promise<unknown>): Promise<DependencyState> => {
      try {
        await withTimeout(work(), 2000);
        return 'up';
      } catch (error) {
        errors[name] = error instanceof Error ? error.message : String(error);
        return 'down';
      }
    };
    const [postgres, redis] = await Promise.all([
      probe('postgres', () => this.dataSource.query('SELECT 1')),
      probe('redis', () => this.redis.ping()),
    ]);
    return { status: postgres === 'up' && redis === 'up' ? 'ok' : 'degraded', process: this.processName, postgres, redis, errors };
  }
}

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthService,
    @Inject(PROCESS_NAME) private readonly processName: string,
  ) {}

  /**
   * Readiness: 200 when every dependency answers, 503 with the names of those that do not.
   * An orchestrator stops sending traffic on 503; it must not restart the process for it (see `live`).
   */
  @Public()
  @Get()
  @HttpCode(HttpStatus.OK)
  async report(@Res({ passthrough: true }) res: Response): Promise<HealthReport> {
    const report = await this.health.check();
    if (report.status !== 'ok') res.status(HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }

  /**
   * Liveness: 200 whenever the process answers HTTP, whatever PostgreSQL and Redis do. A restart would not
   * bring them back, and the clients reconnect by themselves once they return.
   */
  @Public()
  @Get('live')
  @HttpCode(HttpStatus.OK)
  live(): { status: 'ok'; process: string } {
    return { status: 'ok', process: this.processName };
  }
}
