/**
 * HTTP helpers shared by the vendors.
 *
 * A reply is `{ status, headers, text }` with the body already serialised, so that a fault can
 * cut or replace it before it is sent.
 * @typedef {{ status: number, headers: Record<string, string>, text: string }} Reply
 */

/** @returns {Reply} */
export function jsonReply(status, body, headers = {}) {
	return {
		status,
		headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
		text: JSON.stringify(body),
	};
}

/** @returns {Reply} */
export function textReply(status, text, contentType, headers = {}) {
	return { status, headers: { 'content-type': contentType, ...headers }, text };
}

/** Parses a JSON request body; `invalid` when there is none or it is not JSON. */
export function parseJson(raw) {
	try {
		return { body: JSON.parse(raw.toString('utf8')), invalid: false };
	} catch {
		return { body: raw.length ? raw.toString('utf8') : undefined, invalid: true };
	}
}

/** Decodes HTTP Basic credentials; undefined when the header is not well-formed Basic. */
export function basicCredentials(authorization) {
	const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
	if (!match) return undefined;
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) return undefined;
	return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export const isPlainObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Finds the route for a request.
 * @param {{ method: string, path: RegExp, endpoint: string }[]} routes
 * @returns {{ endpoint: string, params: string[] } | { methodNotAllowed: true } | undefined}
 */
export function matchRoute(routes, method, pathname) {
	let pathKnown = false;
	for (const route of routes) {
		const match = route.path.exec(pathname);
		if (!match) continue;
		if (route.method === method) return { endpoint: route.endpoint, params: match.slice(1).map(decodeURIComponent) };
		pathKnown = true;
	}
	return pathKnown ? { methodNotAllowed: true } : undefined;
}
