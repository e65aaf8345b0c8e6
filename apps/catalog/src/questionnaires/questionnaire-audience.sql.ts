/**
 * Which members a questionnaire is for, with the same targeting as study plans and exams: active members
 * under one of its units and, for each further target it names, matching one of them: of one of its
 * categories, holding one of its positions now, enrolled now in one of its classes. `questionnaire` is the SQL
 * parameter (or expression) holding the questionnaire id. Filling in, response rates and reminders read the
 * audience here.
 */
export const questionnaireMembers = (questionnaire: string) => `
  SELECT u.id AS user_id, u.name, u.login, u.category, u.org_unit_id, o.path AS unit_path, o.name AS unit_name
    FROM users u JOIN org_units o ON o.id = u.org_unit_id
   WHERE u.role IN ('member', 'editor') AND u.active
     AND ${inQuestionnaireAudience(questionnaire, 'u', 'o')}`;

/** The condition that user `u` (in unit `o`) is in the questionnaire's audience; for EXISTS checks on one member. */
export const inQuestionnaireAudience = (questionnaire: string, u: string, o: string) => `(
     EXISTS (SELECT 1 FROM questionnaire_units qu JOIN org_units qou ON qou.id = qu.org_unit_id
              WHERE qu.questionnaire_id = ${questionnaire} AND (${o}.path = qou.path OR ${o}.path LIKE qou.path || '/%'))
     AND (NOT EXISTS (SELECT 1 FROM questionnaire_categories qc WHERE qc.questionnaire_id = ${questionnaire})
          OR ${u}.category IN (SELECT qc.category FROM questionnaire_categories qc WHERE qc.questionnaire_id = ${questionnaire}))
     AND (NOT EXISTS (SELECT 1 FROM questionnaire_positions qp WHERE qp.questionnaire_id = ${questionnaire})
          OR EXISTS (SELECT 1 FROM member_positions mp JOIN questionnaire_positions qp ON qp.position_code = mp.position_code
                      WHERE qp.questionnaire_id = ${questionnaire} AND mp.user_id = ${u}.id AND mp.ended_on IS NULL))
     AND (NOT EXISTS (SELECT 1 FROM questionnaire_classes qcl WHERE qcl.questionnaire_id = ${questionnaire})
          OR EXISTS (SELECT 1 FROM training_class_members tm JOIN questionnaire_classes qcl ON qcl.class_id = tm.class_id
                      WHERE qcl.questionnaire_id = ${questionnaire} AND tm.user_id = ${u}.id AND tm.withdrawn_at IS NULL)))`;
