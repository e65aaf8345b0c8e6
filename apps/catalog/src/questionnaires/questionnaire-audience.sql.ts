import { inTargetedAudience, targetedMembers } from '../org/targeted-audience.sql.js';

/**
 * Which members a questionnaire is for, with the same targeting as study plans and exams. `questionnaire` is the
 * SQL parameter (or expression) holding the questionnaire id. Filling in, response rates and reminders read the
 * audience here.
 */
export const questionnaireMembers = (questionnaire: string) => targetedMembers('questionnaire', questionnaire);

/** The condition that user `u` (in unit `o`) is in the questionnaire's audience; for EXISTS checks on one member. */
export const inQuestionnaireAudience = (questionnaire: string, u: string, o: string) =>
  inTargetedAudience('questionnaire', questionnaire, u, o);
