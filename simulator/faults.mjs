/**
 * Injected faults: rules that make the next matching requests fail in a chosen way.
 *
 * A rule: `{ vendor?, endpoint?, kind, times? = 1 | 'always', after? = 0, status?, body?,
 * headers?, delayMs?, afterProcessing? = false }`. `after` lets that many matching requests
 * through first. Kinds:
 * - `status`: answer `status` with `body` (an object is sent as JSON, a string as is; default:
 *   the vendor's own error shape) and `headers`;
 * - `reset`: close the connection with a TCP reset, no answer;
 * - `slow`: carry out the request, then answer only after `delayMs` (default 10 000);
 * - `html`: an nginx-style HTML error page (status default 502);
 * - `empty`: an empty body (status default 200);
 * - `truncated`: carry out the request and send the first half of the vendor's JSON answer.
 * With `afterProcessing: true`, `status`, `reset`, `html` and `empty` let the vendor carry out the
 * request before the answer is replaced: the erasure happens, the client never learns it did.
 */
import { STATUS_CODES } from 'node:http';

import { jsonReply, textReply } from './http.mjs';

export const FAULT_KINDS = Object.freeze(['status', 'reset', 'slow', 'html', 'empty', 'truncated']);

const DEFAULT_STATUS = { html: 502, empty: 200 };

function htmlPage(status) {
	const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
	return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

const isInteger = (value, min, max) => Number.isInteger(value) && value >= min && value <= max;

/**
 * Validates a rule and fills in its defaults.
 * @param {Record<string, string[]>} endpoints endpoint names per vendor
 */
function normalizeFault(rule, endpoints) {
	if (!rule || typeof rule !== 'object' || Array.isArray(rule)) throw new TypeError('a fault must be an object');
	const {
		vendor,
		endpoint,
		kind,
		times = 1,
		after = 0,
		status,
		body,
		headers = {},
		delayMs = 10_000,
		afterProcessing = false,
	} = rule;
	const vendors = Object.keys(endpoints);
	if (vendor !== undefined && !vendors.includes(vendor)) {
		throw new TypeError(`fault vendor must be one of ${vendors.join(', ')}`);
	}
	const known = vendor ? endpoints[vendor] : Object.values(endpoints).flat();
	if (endpoint !== undefined && !known.includes(endpoint)) {
		throw new TypeError(`fault endpoint must be one of ${known.join(', ')}`);
	}
	if (!FAULT_KINDS.includes(kind)) throw new TypeError(`fault kind must be one of ${FAULT_KINDS.join(', ')}`);
	if (times !== 'always' && !isInteger(times, 1, Number.MAX_SAFE_INTEGER)) {
		throw new TypeError('fault times must be a whole number >= 1 or "always"');
	}
	if (!isInteger(after, 0, Number.MAX_SAFE_INTEGER)) throw new TypeError('fault after must be a whole number >= 0');
	const answerStatus = status ?? DEFAULT_STATUS[kind];
	if (kind === 'status' && answerStatus === undefined) throw new TypeError('a status fault needs a status');
	if (answerStatus !== undefined && !isInteger(answerStatus, 100, 599))
		throw new TypeError('fault status must be 100 to 599');
	if (typeof headers !== 'object' || headers === null || Object.values(headers).some((v) => typeof v !== 'string')) {
		throw new TypeError('fault headers must be an object of strings');
	}
	if (typeof delayMs !== 'number' || !(delayMs >= 0)) throw new TypeError('fault delayMs must be a number >= 0');
	if (typeof afterProcessing !== 'boolean') throw new TypeError('fault afterProcessing must be true or false');
	return {
		vendor,
		endpoint,
		kind,
		times,
		after,
		...(answerStatus !== undefined ? { status: answerStatus } : {}),
		...(body !== undefined ? { body } : {}),
		headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])),
		...(kind === 'slow' ? { delayMs } : {}),
		afterProcessing: kind === 'slow' || kind === 'truncated' || afterProcessing,
	};
}

export class FaultQueue {
	/** @param {Record<string, string[]>} endpoints endpoint names per vendor */
	constructor(endpoints) {
		this.endpoints = endpoints;
		this.rules = [];
	}

	set(rules) {
		this.rules = [rules].flat().map((rule) => normalizeFault(rule, this.endpoints));
	}

	add(rules) {
		this.rules.push(...[rules].flat().map((rule) => normalizeFault(rule, this.endpoints)));
	}

	list() {
		return structuredClone(this.rules);
	}

	/** The fault for this request, if any; counts the request against every rule it matches. */
	take(vendor, endpoint) {
		let chosen;
		for (const rule of this.rules) {
			if ((rule.vendor && rule.vendor !== vendor) || (rule.endpoint && rule.endpoint !== endpoint)) continue;
			if (rule.after > 0) rule.after -= 1;
			else if (!chosen) {
				chosen = rule;
				if (rule.times !== 'always') rule.times -= 1;
			}
		}
		this.rules = this.rules.filter((rule) => rule.times === 'always' || rule.times > 0);
		return chosen;
	}
}

/**
 * What to do instead of sending `reply` (the vendor's answer when the rule let it carry out the
 * request).
 * @returns {{ reset: true } | { reply: import('./http.mjs').Reply, delayMs?: number }}
 */
export function faultOutcome(rule, vendor, reply) {
	const { status, headers } = rule;
	switch (rule.kind) {
		case 'reset':
			return { reset: true };
		case 'slow':
			return { reply, delayMs: rule.delayMs };
		case 'truncated':
			return {
				reply: {
					...reply,
					headers: { ...reply.headers, ...headers },
					text: reply.text.slice(0, Math.floor(reply.text.length / 2)),
				},
			};
		case 'html':
			return { reply: textReply(status, htmlPage(status), 'text/html; charset=utf-8', headers) };
		case 'empty':
			return { reply: textReply(status, '', 'application/json; charset=utf-8', headers) };
		default:
			if (rule.body === undefined) return { reply: vendor.errorReply(status, `Simulated HTTP ${status}`, headers) };
			return {
				reply:
					typeof rule.body === 'string'
						? textReply(status, rule.body, 'text/plain; charset=utf-8', headers)
						: jsonReply(status, rule.body, headers),
			};
	}
}
