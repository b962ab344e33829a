import net from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import type express from 'express';

/**
 * Which pages and names may reach this server. Without it any web page the
 * user visits could call a local server (no key is needed on loopback) with
 * fetch or a WebSocket: cross-site WebSocket hijacking, and DNS rebinding (an
 * attacker's name resolved to 127.0.0.1, so the browser thinks it same-origin).
 *
 * Host must be one of the server's own names: an IP address (a rebinding page
 * cannot make the browser send one), `localhost` with the server's port, or
 * the host of EPOCHAL_PUBLIC_URL or of an EPOCHAL_ALLOWED_ORIGINS entry.
 * Origin, when sent (browsers always send it on WebSocket and cross-site
 * requests), must be the request's own host (same origin), a loopback name with
 * the server's port, EPOCHAL_PUBLIC_URL's origin or an EPOCHAL_ALLOWED_ORIGINS
 * entry. Requests without Origin (curl, scripts, the clients) are not browsers'
 * cross-site requests and pass.
 */
export interface OriginPolicy {
  /** Why the request is refused, or null when it may proceed. */
  refusal(headers: IncomingHttpHeaders): string | null;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
const HOW_TO_ALLOW = 'set EPOCHAL_PUBLIC_URL (or EPOCHAL_ALLOWED_ORIGINS) to the address this server is reached at';

/** `scheme://host[:port]` as browsers send it in Origin; null when `value` is not an http(s) origin. */
export function normalizeOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/** A Host header as `hostname[:port]`, lower case; null when it is not one. */
function parseHost(host: string): { hostname: string; port: string; host: string } | null {
  try {
    const url = new URL(`http://${host}`);
    if (url.username || url.password || url.pathname !== '/' || url.search || `${url.host}` === '') return null;
    return { hostname: url.hostname, port: url.port, host: url.host };
  } catch {
    return null;
  }
}

export function createOriginPolicy(options: { allowedOrigins: readonly string[]; port: () => number }): OriginPolicy {
  const origins = new Set(options.allowedOrigins.flatMap((o) => normalizeOrigin(o) ?? []));
  const hosts = new Set([...origins].map((o) => new URL(o).host));
  const ownPort = () => String(options.port());

  const hostAllowed = (parsed: { hostname: string; port: string; host: string }) =>
    net.isIP(parsed.hostname.replace(/^\[|\]$/g, '')) !== 0 ||
    (parsed.hostname === 'localhost' && (parsed.port || '80') === ownPort()) ||
    hosts.has(parsed.host);

  return {
    refusal(headers) {
      const host = headers.host;
      const parsedHost = host === undefined ? null : parseHost(host);
      if (host !== undefined && (!parsedHost || !hostAllowed(parsedHost))) {
        return `Host "${host.slice(0, 100)}" is not a name of this server; ${HOW_TO_ALLOW}`;
      }
      const origin = headers.origin;
      if (origin === undefined) return null;
      const normalized = normalizeOrigin(origin);
      if (normalized) {
        const url = new URL(normalized);
        if (origins.has(normalized)) return null;
        if (parsedHost && url.host === parsedHost.host) return null;
        if (LOOPBACK_NAMES.has(url.hostname) && url.port === ownPort()) return null;
      }
      return `pages from ${origin.slice(0, 100)} may not call this server; ${HOW_TO_ALLOW}`;
    },
  };
}

/** Express: 403 before any other work for a request the policy refuses. */
export function originCheck(policy: OriginPolicy): express.RequestHandler {
  return (req, res, next) => {
    const why = policy.refusal(req.headers);
    if (!why) return next();
    res.status(403).json({ errors: [{ message: why, extensions: { code: 'FORBIDDEN' } }] });
  };
}
