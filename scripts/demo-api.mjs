// The demo scripts' call to the running server, as an editor's browser would make it.
// Node built-ins only: npm start loads this file before set-up has installed the packages.

/**
 * Calls the API at `base` with a JSON body (POST when there is one, else GET, unless `method` says) and the
 * bearer token when given; answers the parsed JSON (null for 204) or throws with the status and the answer.
 */
export async function api(base, path, token, body, method = body ? 'POST' : 'GET') {
  const answer = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!answer.ok) throw new Error(`${method} ${path} answered ${answer.status}: ${await answer.text()}`);
  return answer.status === 204 ? null : answer.json();
}
