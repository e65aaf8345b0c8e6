export const STUDY_OPTIONS = Symbol('STUDY_OPTIONS');

export interface StudyOptions {
  /** IANA zone whose calendar days study time is counted in. */
  timeZone: string;
  /** PostgreSQL of the catalog; heartbeats keep a connection of their own. */
  databaseUrl: string;
  /** Where printed study records' QR codes point (`PUBLIC_ORIGIN`); unset, the request's own address. */
  publicOrigin?: string;
}
