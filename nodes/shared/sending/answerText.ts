import type { FailureReason } from '../types/receipt';
import type { Verdict } from '../types/erasureOperation';

/** The failure reason the HTTP status alone implies. */
export function reasonForStatus(statusCode: number): FailureReason {
	if (statusCode === 401 || statusCode === 403) return 'authentication';
	if (statusCode === 429) return 'rate_limited';
	if (statusCode >= 500) return 'vendor_unavailable';
	return 'rejected';
}

/** A short, printable excerpt of a body that is not the JSON the vendor documents. */
export function describeUnexpectedBody(body: unknown): string {
	if (body === undefined || body === null || body === '') return 'an empty body';
	if (typeof body === 'string') {
		const text = body.replace(/\s+/g, ' ').trim();
		const kind = /^<(!doctype|html)/i.test(text) ? 'an HTML page' : 'a non-JSON body';
		return `${kind} ("${text.slice(0, 120)}${text.length > 120 ? '…' : ''}")`;
	}
	return 'a body of an unexpected shape';
}

/**
 * Whether a 2xx body can be the vendor's JSON API speaking: parsed JSON (an object or a list), or no
 * body at all. Anything else (an HTML sign-in page, plain text, a cut-off body) is more likely a proxy
 * or a wrong URL than the vendor, so it confirms nothing. One rule for every vendor.
 */
export function isJsonOrEmpty(body: unknown): boolean {
	return body === '' || body === undefined || body === null || typeof body === 'object';
}

/** The verdict on a 2xx whose body is not the vendor's JSON (see `isJsonOrEmpty`). */
export function unconfirmedByBody(vendor: string, statusCode: number, body: unknown, what = 'the request'): Verdict {
	return {
		ok: false,
		reason: 'unexpected_response',
		message: `${vendor} answered HTTP ${statusCode} with ${describeUnexpectedBody(body)}, so ${what} cannot be confirmed.`,
	};
}

/** Joins whatever text a vendor put into its error fields. */
export function collectText(value: unknown): string[] {
	if (typeof value === 'string') return value.trim() ? [value.trim()] : [];
	if (typeof value === 'number') return [String(value)];
	if (Array.isArray(value)) return value.flatMap(collectText);
	if (value && typeof value === 'object') {
		return Object.entries(value).flatMap(([key, entry]) => {
			const texts = collectText(entry);
			return /^\d+$/.test(key) || key === 'message' || key === 'Message'
				? texts
				: texts.map((text) => `${key}: ${text}`);
		});
	}
	return [];
}

/** The text a vendor put into the named fields of a JSON object, joined; empty for anything else. */
export function fieldText(body: unknown, fields: string[]): string {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return '';
	return fields.flatMap((field) => collectText((body as Record<string, unknown>)[field])).join('; ');
}
