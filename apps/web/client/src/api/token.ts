// sessionStorage: members often share a family or classroom computer, so closing the browser signs out.
const key = 'lectern.token';

export function readToken(): string | null {
  return sessionStorage.getItem(key);
}

export function saveToken(token: string): void {
  sessionStorage.setItem(key, token);
}

export function clearToken(): void {
  sessionStorage.removeItem(key);
}
