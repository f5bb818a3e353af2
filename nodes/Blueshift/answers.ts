import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import {
	collectText,
	describeUnexpectedBody,
	fieldText,
	isJsonOrEmpty,
	reasonForStatus,
	unconfirmedByBody,
} from '../shared/sending/answerText';
import type { VendorAnswer, Verdict } from '../shared/types/erasureOperation';

/** Which of Blueshift's keys the nodes need: an Event API key is refused like a wrong one. */
export const USER_API_KEY_NEEDED =
	'Use the User API key (Account Settings > API Keys > User API key), not the Event API key';

const AUTH_HINT =
	'Check the Blueshift credential: it needs the User API key (Account Settings > API Keys > User API key), not the Event API key, and the region your account lives in.';

const vendorText = (body: unknown) => fieldText(body, ['errors', 'message', 'error']);

const isObject = (value: unknown): value is IDataObject => !!value && typeof value === 'object';

/** A JSON body that reports a failure although the status is 2xx. */
function reportsFailure(body: unknown): boolean {
	if (!isObject(body) || Array.isArray(body)) return false;
	const { errors, status, success } = body;
	return (
		collectText(errors).length > 0 ||
		success === false ||
		(typeof status === 'string' && /^(error|failed|failure)$/i.test(status))
	);
}

export interface AnswerRules {
	/** Statuses this endpoint documents as "retry later" (forget: 404 and 409). */
	transientStatuses?: number[];
	/** Extra advice for a status, e.g. 413 on forget. */
	hints?: Record<number, string>;
}

/**
 * Blueshift is judged by the HTTP status: a 2xx is accepted whatever JSON it carries (documented
 * as `{"status":"ok"}`), unless that JSON reports an error. A 2xx that is not JSON at all (an HTML
 * page, a cut-off body) is more likely a proxy than Blueshift, so it cannot confirm anything.
 */
export function interpretBlueshiftAnswer(answer: VendorAnswer, accepted: string, rules: AnswerRules = {}): Verdict {
	const { statusCode, body } = answer;
	if (statusCode < 200 || statusCode >= 300 || reportsFailure(body)) return blueshiftRefusal(answer, rules);
	if (isJsonOrEmpty(body)) return { ok: true, message: accepted };
	return unconfirmedByBody('Blueshift', statusCode, body);
}

/** Why Blueshift did not accept a request, in its own words where it gave any. */
function blueshiftRefusal({ statusCode, body }: VendorAnswer, rules: AnswerRules = {}): Verdict {
	const text = vendorText(body) || (isJsonOrEmpty(body) ? 'no reason given' : describeUnexpectedBody(body));
	if (rules.transientStatuses?.includes(statusCode)) {
		return {
			ok: false,
			reason: 'vendor_unavailable',
			message: `Blueshift asked to retry later (HTTP ${statusCode}): ${text}.`,
			hint: `Blueshift documents HTTP ${statusCode} for this operation as temporary: run the node again for this person later.`,
			retryable: true,
		};
	}
	const reason = statusCode >= 200 && statusCode < 300 ? 'rejected' : reasonForStatus(statusCode);
	const keyAdvice = reason === 'authentication' ? ` ${USER_API_KEY_NEEDED}.` : '';
	return {
		ok: false,
		reason,
		message: `Blueshift refused the request (HTTP ${statusCode}): ${text}.${keyAdvice}`,
		hint: reason === 'authentication' ? AUTH_HINT : rules.hints?.[statusCode],
	};
}

const profileList = z.union([
	z.object({ users: z.array(z.unknown()) }).transform((body) => body.users),
	z.object({ customers: z.array(z.unknown()) }).transform((body) => body.customers),
	z.array(z.unknown()),
]);

/**
 * A 404 in Blueshift's own words for "no such customer": a JSON object holding only a `message`
 * that says a customer or user was not found, in the shape of Blueshift's other error bodies
 * (`{"message":"Not authorized"}`). Blueshift does not document its no-match answer, so anything
 * else answered 404 — a gateway's page, a wrong path's `{"message":"Not Found"}` — is a failure,
 * never a reason to report that nobody matched.
 */
export function isBlueshiftNotFound(answer: VendorAnswer): boolean {
	const { statusCode, body } = answer;
	if (statusCode !== 404 || !isObject(body)) return false;
	const keys = Object.keys(body);
	return (
		keys.length === 1 &&
		typeof body.message === 'string' &&
		/^(customer|user)s?( profiles?)? (was |were )?not found\.?$/i.test(body.message.trim())
	);
}

/**
 * The verdict on the profiles a search found. Blueshift documents a `users` list; for no match it
 * may answer an empty list or its own JSON 404, which both mean none. Anything else cannot be counted.
 */
export function interpretSearchAnswer(answer: VendorAnswer, onProfiles: (profiles: IDataObject[]) => Verdict): Verdict {
	const { statusCode, body } = answer;
	if (isBlueshiftNotFound(answer)) return onProfiles([]);
	if (statusCode < 200 || statusCode >= 300) return blueshiftRefusal(answer);
	const parsed = profileList.safeParse(body);
	if (parsed.success) return onProfiles(parsed.data.filter(isObject));
	return {
		ok: false,
		reason: 'unexpected_response',
		message: `Blueshift answered the search with HTTP ${statusCode} and ${isObject(body) ? 'no list of profiles' : describeUnexpectedBody(body)}, so the matches cannot be counted.`,
	};
}
