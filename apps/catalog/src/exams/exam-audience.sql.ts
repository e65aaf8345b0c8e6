import { inTargetedAudience, targetedMembers } from '../org/targeted-audience.sql.js';

/**
 * Which members an exam is for, with the same targeting as study plans (`planMembers`): active members
 * under one of its units and, for each further target it names, matching one of them: of one of its
 * categories, holding one of its positions now, enrolled now in one of its classes. `exam` is the SQL
 * parameter (or expression) holding the exam id. Taking, grading and the reports read the audience here.
 */
export const examMembers = (exam: string) => targetedMembers('exam', exam);

/** The condition that user `u` (in unit `o`) is in the exam's audience; for EXISTS checks on one member. */
export const inExamAudience = (exam: string, u: string, o: string) => inTargetedAudience('exam', exam, u, o);
