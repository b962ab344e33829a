/**
 * EPOCHAL_URL as a user writes it, made the GraphQL endpoint: the server's
 * base URL (http://host:4000, with or without a trailing slash) gets /graphql;
 * an URL already ending in /graphql is kept. Anything else that is not an
 * http(s) URL is refused with what to write instead.
 */
export function graphqlEndpoint(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error(`EPOCHAL_URL="${raw}" is not a URL; write the server's address, e.g. http://127.0.0.1:4000 (or .../graphql)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`EPOCHAL_URL="${raw}" must start with http:// or https://, e.g. http://127.0.0.1:4000`);
  }
  const pathname = url.pathname.replace(/\/+$/, '');
  url.pathname = pathname.endsWith('/graphql') ? pathname : `${pathname}/graphql`;
  return url.toString();
}

/** What to say when the endpoint answers something other than GraphQL's JSON (an HTML page, a proxy's error). */
export function notGraphQL(url: string, status: number, contentType: string | null): Error {
  return new Error(`${url} answered HTTP ${status} with ${contentType ?? 'no content type'}, not GraphQL JSON: is EPOCHAL_URL the Epochal server (http://host:port or http://host:port/graphql)?`);
}
