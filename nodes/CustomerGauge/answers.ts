import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { FailureReason } from '../shared/types/receipt';
import {
	collectText,
	describeUnexpectedBody,
	fieldText,
	isJsonOrEmpty,
	reasonForStatus,
	unconfirmedByBody,
} from '../shared/sending/answerText';
import type { Connection, VendorAnswer, Verdict } from '../shared/types/erasureOperation';

/** What to check after a 401: the API key, or the OAuth2 client (n8n has already fetched a fresh token once). */
function hintFor(reason: FailureReason, connection: Connection | undefined): string | undefined {
	if (reason !== 'authentication') return undefined;
	return connection?.oAuth2
		? 'Check the CustomerGauge OAuth2 credential: the client ID and secret of its Connected App, and that its region is the one your account lives in.'
		: 'Check the CustomerGauge credential: the API key, and that its region is the one your account lives in.';
}

export const errorBody = z
	.object({
		Error: z.union([
			z.string(),
			z
				.object({ Message: z.unknown().optional(), message: z.unknown().optional(), Code: z.unknown().optional() })
				.passthrough(),
		]),
	})
	.passthrough();

const dataBody = z.object({ Data: z.unknown() }).passthrough();

/**
 * Failure is told by the `Error` key whatever the HTTP status (CustomerGauge may answer an error
 * with 200); success needs both a `Data` key and a 2xx status, so an error status is never
 * reported as accepted, whatever its body says.
 */
export function interpretCustomerGaugeAnswer(
	answer: VendorAnswer,
	connection: Connection,
	onData: (data: unknown) => Verdict,
): Verdict {
	const { statusCode } = answer;
	const reason = reasonForStatus(statusCode);
	const hint = hintFor(reason, connection);
	const refused = refusalIn(answer, connection);
	if (refused) return refused;
	const ok = statusCode >= 200 && statusCode < 300;
	const success = dataBody.safeParse(answer.body);
	if (success.success && 'Data' in success.data) {
		if (ok) return onData(success.data.Data);
		return {
			ok: false,
			reason,
			message: `CustomerGauge refused the request (HTTP ${statusCode}): ${fieldText(success.data.Data, ['message', 'Message']) || 'no reason given'}.`,
			hint,
		};
	}
	return {
		ok: false,
		reason: ok ? 'unexpected_response' : reason,
		message: `CustomerGauge answered HTTP ${statusCode} with ${describeUnexpectedBody(answer.body)}${ok ? ', so the request cannot be confirmed' : ''}.`,
		hint,
	};
}

const holdsKey = (body: unknown, key: string) => typeof body === 'object' && body !== null && Object.hasOwn(body, key);

/** An `Error` body, whatever the HTTP status, is a refusal. */
function refusalIn(answer: VendorAnswer, connection?: Connection): Verdict | undefined {
	// Most answers are successes: look for the key before parsing, as a failed parse builds an error object.
	if (!holdsKey(answer.body, 'Error')) return undefined;
	const failure = errorBody.safeParse(answer.body);
	if (!failure.success) return undefined;
	const { statusCode } = answer;
	const reason = reasonForStatus(statusCode);
	const details = failure.data.Error;
	const text = typeof details === 'string' ? details.trim() : fieldText(details, ['Message', 'message']);
	const code = typeof details === 'string' ? undefined : details.Code;
	return {
		ok: false,
		reason,
		message: `CustomerGauge refused the request (HTTP ${statusCode}): ${text || 'no reason given'}.`,
		hint: hintFor(reason, connection),
		...(typeof code === 'number' || typeof code === 'string' ? { vendorCode: code } : {}),
	};
}

/**
 * v6's answers are not documented. An `Error` body is a refusal whatever the status, as on v4.1;
 * otherwise the HTTP status decides, and any text in the body is quoted. A 2xx that is not JSON
 * confirms nothing (the rule of every vendor: `isJsonOrEmpty`).
 */
export function interpretV6Answer(
	answer: VendorAnswer,
	connection: Connection,
	accepted: (vendorText: string) => string,
): Verdict {
	const refused = refusalIn(answer, connection);
	if (refused) return refused;
	const { statusCode } = answer;
	const ok = statusCode >= 200 && statusCode < 300;
	if (ok && !isJsonOrEmpty(answer.body)) return unconfirmedByBody('CustomerGauge', statusCode, answer.body);
	const vendorText = collectText(answer.body).join('; ');
	if (ok) return { ok: true, message: accepted(vendorText) };
	const reason = reasonForStatus(statusCode);
	return {
		ok: false,
		reason,
		message: `CustomerGauge refused the request (HTTP ${statusCode})${vendorText ? `: ${vendorText}` : ''}.`,
		hint: hintFor(reason, connection),
	};
}

/**
 * The verdict on the records a preview found. `Data` is documented as the list of records; an
 * object holding `records` is accepted too. Anything else is `unreadable`.
 */
export function interpretRecordList(
	data: unknown,
	unreadable: string,
	onRecords: (records: IDataObject[]) => Verdict,
): Verdict {
	if (Array.isArray(data)) return onRecords(data as IDataObject[]);
	if (data && typeof data === 'object' && Array.isArray((data as IDataObject).records)) {
		return onRecords((data as IDataObject).records as IDataObject[]);
	}
	return { ok: false, reason: 'unexpected_response', message: unreadable };
}
