/** The questionnaires open to the signed-in member, for their home page and the take-part page. */
export function OpenQuestionnaires() {
  return null;
}
