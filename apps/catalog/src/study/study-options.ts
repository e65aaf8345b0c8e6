export const STUDY_OPTIONS = Symbol('STUDY_OPTIONS');

export interface StudyOptions {
  /** IANA zone whose calendar days study time is counted in. */
  timeZone: string;
  /** PostgreSQL of the catalog; heartbeats keep a few connections of their own. */
  databaseUrl: string;
  /** Connections the heartbeat writer may hold. */
  connections: number;
}
