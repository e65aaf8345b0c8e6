/**
 * Which members an exam is for, with the same targeting as study plans (`planMembers`): active members
 * under one of its units and, for each further target it names, matching one of them: of one of its
 * categories, holding one of its positions now, enrolled now in one of its classes. `exam` is the SQL
 * parameter (or expression) holding the exam id. Taking, grading and the reports read the audience here.
 */
export const examMembers = (exam: string) => `
  SELECT u.id AS user_id, u.name, u.login, u.category, u.org_unit_id, o.path AS unit_path, o.name AS unit_name
    FROM users u JOIN org_units o ON o.id = u.org_unit_id
   WHERE u.role IN ('member', 'editor') AND u.active
     AND ${inExamAudience(exam, 'u', 'o')}`;

/** The condition that user `u` (in unit `o`) is in the exam's audience; for EXISTS checks on one member. */
export const inExamAudience = (exam: string, u: string, o: string) => `(
     EXISTS (SELECT 1 FROM exam_units eu JOIN org_units eou ON eou.id = eu.org_unit_id
              WHERE eu.exam_id = ${exam} AND (${o}.path = eou.path OR ${o}.path LIKE eou.path || '/%'))
     AND (NOT EXISTS (SELECT 1 FROM exam_categories ec WHERE ec.exam_id = ${exam})
          OR ${u}.category IN (SELECT ec.category FROM exam_categories ec WHERE ec.exam_id = ${exam}))
     AND (NOT EXISTS (SELECT 1 FROM exam_positions ep WHERE ep.exam_id = ${exam})
          OR EXISTS (SELECT 1 FROM member_positions mp JOIN exam_positions ep ON ep.position_code = mp.position_code
                      WHERE ep.exam_id = ${exam} AND mp.user_id = ${u}.id AND mp.ended_on IS NULL))
     AND (NOT EXISTS (SELECT 1 FROM exam_classes ecl WHERE ecl.exam_id = ${exam})
          OR EXISTS (SELECT 1 FROM training_class_members tm JOIN exam_classes ecl ON ecl.class_id = tm.class_id
                      WHERE ecl.exam_id = ${exam} AND tm.user_id = ${u}.id AND tm.withdrawn_at IS NULL)))`;
