// Questionnaires on learning needs: authoring, filling in and results.
export {};
