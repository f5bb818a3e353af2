import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { InvalidValueError, quoteBounded } from './invalidValueError';

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]', '::1']);

function isLoopback(hostname: string): boolean {
	return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Credentials travel with every request, so a base URL must be HTTPS; plain
 * HTTP is accepted only for loopback hosts (a local simulator or proxy).
 */
export function requireSecureBaseUrl(value: unknown, field: string): string {
	const text = typeof value === 'string' ? value.trim().replace(/\/+$/, '') : '';
	if (text === '') throw new InvalidValueError(field, 'is empty');
	if (!URL.canParse(text)) throw new InvalidValueError(field, `${quoteBounded(text)} is not a URL`);
	const url = new URL(text);
	// The node appends the endpoint's path: a query or fragment would swallow it, and user info
	// would send a second set of credentials along.
	if (url.username || url.password || /@/.test(text.split('//')[1]?.split('/')[0] ?? '')) {
		throw new InvalidValueError(
			field,
			`"${url.host}" must not contain a user name or password (the credential's own fields carry them)`,
		);
	}
	if (text.includes('?') || text.includes('#')) {
		throw new InvalidValueError(
			field,
			`must not contain a query (?) or fragment (#): give only https://host and an optional path`,
		);
	}
	if (url.protocol === 'https:') return text;
	if (url.protocol === 'http:' && isLoopback(url.hostname)) return text;
	throw new InvalidValueError(
		field,
		`${quoteBounded(text)} must start with https:// (plain http is accepted only for localhost)`,
	);
}

/** A credential's base URL: its region's host, or the custom base URL it gives instead. */
export function regionBaseUrl(
	credentials: ICredentialDataDecryptedObject,
	regionHosts: Record<string, string>,
): string {
	const region = String(credentials.region);
	if (region === 'custom') return requireSecureBaseUrl(credentials.customBaseUrl, 'Base URL');
	const host = regionHosts[region];
	if (!host) {
		throw new InvalidValueError(
			'Region',
			`${quoteBounded(String(region))} is not one of ${Object.keys(regionHosts).join(', ')} or custom`,
		);
	}
	return host;
}
