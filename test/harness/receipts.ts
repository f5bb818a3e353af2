import { expect } from 'vitest';

export const anyIsoTime = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

/**
 * The deadline fields of a receipt whose request arrived when the node ran (no "Request Received
 * At"), under the default rule (GDPR) in the harness's time zone (n8n's default). The arithmetic
 * itself is checked date by date in deadline.test.ts.
 */
export const receivedWhenRun = {
	receivedAt: anyIsoTime,
	dueBy: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
	// No extension: the original due date is dueBy.
	originalDueBy: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
	extension: null,
	dueByRule:
		"GDPR Art. 12(3): one month, to the same date of the next month (or that month's last day), counted from the day of receipt in the time zone America/New_York",
};

interface ReceiptFields {
	vendor: string;
	operation: string;
	status: string;
	identifiers: Array<{ type: string; value: string }>;
	/** 'asGiven' when left out: the tests run the nodes with Identifier in Output set to it. */
	identifierForm?: 'asGiven' | 'masked' | 'sha256';
	vendorReference?: string | null;
	httpStatus: number | null;
	attempts: number;
	requestedAt: unknown;
	message: string;
}

/** What the operation or the outcome adds: failure, request, counts, checkedAt... */
type AddedFields = Record<string, unknown>;

/** A complete receipt, every field the node writes, for a request received when the node ran. */
export function expectedReceipt({
	identifierForm = 'asGiven',
	vendorReference = null,
	...fields
}: ReceiptFields & AddedFields) {
	return { ...receivedWhenRun, identifierForm, vendorReference, ...fields };
}

type SentFields = Omit<ReceiptFields, 'requestedAt'> & { requestNumber?: number };

export function sentReceipt({ requestNumber = 1, ...fields }: SentFields & AddedFields) {
	return expectedReceipt({ ...fields, requestedAt: anyIsoTime, requestNumber });
}

/** Sent once and accepted with HTTP 200. */
export function acceptedReceipt(fields: Omit<SentFields, 'status' | 'httpStatus' | 'attempts'> & AddedFields) {
	return sentReceipt({ ...fields, status: 'accepted', httpStatus: 200, attempts: 1 });
}

const nothingSent = { vendorReference: null, httpStatus: null, attempts: 0, requestedAt: null };

type UnsentFields = Omit<ReceiptFields, 'status' | keyof typeof nothingSent>;

export function dryRunReceipt(fields: UnsentFields & { request: unknown }) {
	return expectedReceipt({ ...fields, status: 'dry_run', ...nothingSent });
}

/** Refused before sending; `problem` is what the message says after the field's name. */
export function notSentReceipt(vendor: string, operation: string, field: string, problem: string) {
	return expectedReceipt({
		vendor,
		operation,
		status: 'failed',
		identifiers: [],
		...nothingSent,
		message: `Not sent: ${field} ${problem}.`,
		failure: { reason: 'invalid_input', field, description: problem },
	});
}
