// Types of the parts of scripts/setup-steps.mjs that the TypeScript tests import.
export const ROOT: string;
export function newestModification(paths: string[]): number;
export function buildIsCurrent(stampText: string, newest: number, outputsExist: boolean): boolean;
