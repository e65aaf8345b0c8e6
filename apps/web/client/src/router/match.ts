/** Path parameters by name, e.g. { id: "42" } for "/courses/:id" and "/courses/42". */
export type RouteParams = Record<string, string>;

/** Matches a path against a pattern whose ":name" segments capture one URI segment each. */
export function matchPattern(pattern: string, path: string): RouteParams | null {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: RouteParams = {};
  for (let i = 0; i < want.length; i += 1) {
    const expected = want[i]!;
    const actual = got[i]!;
    if (expected.startsWith(':')) {
      if (!actual) return null;
      try {
        params[expected.slice(1)] = decodeURIComponent(actual);
      } catch {
        return null;
      }
    } else if (expected !== actual) return null;
  }
  return params;
}
