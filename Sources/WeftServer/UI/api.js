// The Weft API client: JSON in and out, the session cookie sent by the browser, the CSRF token added to
// every write. Errors are thrown as ApiError with the server's code, message and details.

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details ?? {};
  }
}

let csrfToken = sessionStorage.getItem("weft.csrf");

/** Remembers the session's CSRF token (from login or GET /api/v1/me). */
export function setCsrfToken(token) {
  csrfToken = token ?? null;
  if (token) sessionStorage.setItem("weft.csrf", token);
  else sessionStorage.removeItem("weft.csrf");
}

/** Sends one request; resolves to the parsed JSON body (null for an empty one). 401 calls onUnauthenticated. */
export async function request(method, path, body, { raw = false } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  const response = await fetch(path, {
    method, headers, credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (raw && response.ok) return response;
  const text = await response.text();
  let value = null;
  if (text) {
    try { value = JSON.parse(text); } catch { value = { error: { code: "bad_response", message: text.slice(0, 200) } }; }
  }
  if (!response.ok) {
    const error = value?.error ?? {};
    if (response.status === 401 && path !== "/api/v1/login") api.onUnauthenticated?.();
    throw new ApiError(response.status, error.code ?? `http_${response.status}`,
      error.message ?? `${method} ${path} answered ${response.status}`, error.details);
  }
  return value;
}

export const api = {
  get: (path) => request("GET", path),
  post: (path, body = {}) => request("POST", path, body),
  put: (path, body) => request("PUT", path, body),
  patch: (path, body) => request("PATCH", path, body),
  del: (path) => request("DELETE", path),
  /** Set by the app: what to do when the session has ended. */
  onUnauthenticated: null,
};
