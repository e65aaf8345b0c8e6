/**
 * The audience of something targeted as study plans are (exams, questionnaires), kept in the tables
 * `<owner>_units`, `<owner>_categories`, `<owner>_positions` and `<owner>_classes`, each keyed by `<owner>_id`:
 * active members under one of its units and, for each further target it names, matching one of them: of one of
 * its categories, holding one of its positions now, enrolled now in one of its classes.
 */
export type TargetedOwner = 'exam' | 'questionnaire';

/** The condition that user `u` (in unit `o`) is in the audience of `owner` `id` (an SQL parameter or expression). */
export const inTargetedAudience = (owner: TargetedOwner, id: string, u: string, o: string) => `(
     EXISTS (SELECT 1 FROM ${owner}_units ta_u JOIN org_units ta_ou ON ta_ou.id = ta_u.org_unit_id
              WHERE ta_u.${owner}_id = ${id} AND (${o}.path = ta_ou.path OR ${o}.path LIKE ta_ou.path || '/%'))
     AND (NOT EXISTS (SELECT 1 FROM ${owner}_categories ta_c WHERE ta_c.${owner}_id = ${id})
          OR ${u}.category IN (SELECT ta_c.category FROM ${owner}_categories ta_c WHERE ta_c.${owner}_id = ${id}))
     AND (NOT EXISTS (SELECT 1 FROM ${owner}_positions ta_p WHERE ta_p.${owner}_id = ${id})
          OR EXISTS (SELECT 1 FROM member_positions ta_mp JOIN ${owner}_positions ta_p ON ta_p.position_code = ta_mp.position_code
                      WHERE ta_p.${owner}_id = ${id} AND ta_mp.user_id = ${u}.id AND ta_mp.ended_on IS NULL))
     AND (NOT EXISTS (SELECT 1 FROM ${owner}_classes ta_cl WHERE ta_cl.${owner}_id = ${id})
          OR EXISTS (SELECT 1 FROM training_class_members ta_tm JOIN ${owner}_classes ta_cl ON ta_cl.class_id = ta_tm.class_id
                      WHERE ta_cl.${owner}_id = ${id} AND ta_tm.user_id = ${u}.id AND ta_tm.withdrawn_at IS NULL)))`;

/** The audience's members, with their unit and category. */
export const targetedMembers = (owner: TargetedOwner, id: string) => `
  SELECT u.id AS user_id, u.name, u.login, u.category, u.org_unit_id, o.path AS unit_path, o.name AS unit_name
    FROM users u JOIN org_units o ON o.id = u.org_unit_id
   WHERE u.role IN ('member', 'editor') AND u.active
     AND ${inTargetedAudience(owner, id, 'u', 'o')}`;
