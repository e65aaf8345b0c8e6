import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import { migrations } from './migrations/index.js';
import { SnakeNamingStrategy } from './naming.strategy.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Entities = MixedList<Function | string | EntitySchema>;

/** One place that says how every process talks to PostgreSQL; schema changes only through migrations. */
export function dataSourceOptions(url: string, entities: Entities = [], poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    logging: false,
    extra: {
      max: poolSize,
      // Fail fast while PostgreSQL is down so /health answers instead of hanging.
      connectionTimeoutMillis: 3000,
      application_name: process.env.LECTERN_PROCESS ?? 'lectern',
    },
  };
}

export function createDataSource(url: string, entities: Entities = [], poolSize = 10): DataSource {
  return new DataSource(dataSourceOptions(url, entities, poolSize));
}
