import type { IDataObject } from 'n8n-workflow';

/**
 * What happened to one input item. `accepted` means the vendor acknowledged the
 * request: every vendor erases asynchronously, so no receipt claims completion.
 * `found` / `not_found`: a read-only look-up found something, or nothing, held about the person.
 * `skipped`: a look-up found nothing to erase, so no erasure request was sent.
 * `unconfirmed`: the request was sent but no answer came: the vendor may have processed it.
 * `completed` / `pending` / `unverifiable`: a verification found the data gone, still held, or
 * could not check through the vendor's API.
 */
export type ReceiptStatus =
	| 'accepted'
	| 'found'
	| 'not_found'
	| 'skipped'
	| 'failed'
	| 'unconfirmed'
	| 'dry_run'
	| 'completed'
	| 'pending'
	| 'unverifiable';

export type FailureReason =
	| 'invalid_input'
	| 'rejected'
	| 'authentication'
	| 'rate_limited'
	| 'vendor_unavailable'
	| 'network'
	/** Sent, but no answer came in time (or the execution was cancelled meanwhile): may have been processed. */
	| 'no_answer'
	/** The execution stopped (cancelled) before this request was sent. */
	| 'not_sent'
	/**
	 * An erasure (not a read-only operation, not a Dry Run) run as an AI agent's or MCP client's
	 * tool while the node option "Allow Erasure When Run by an AI Agent" is off: nothing was sent.
	 */
	| 'refused_for_ai_tool'
	| 'unexpected_response';

export interface Identifier {
	type: string;
	value: string;
}

export interface Failure {
	reason: FailureReason;
	description: string;
	field?: string;
	vendorCode?: string | number;
}

export interface Receipt extends IDataObject {
	vendor: string;
	operation: string;
	status: ReceiptStatus;
	identifiers: Identifier[];
	identifierForm: IdentifierForm;
	vendorReference: string | null;
	httpStatus: number | null;
	attempts: number;
	requestedAt: string | null;
	message: string;
	/** When the person's request arrived; null when "Request Received At" could not be read. */
	receivedAt: string | null;
	/** The last day to complete the request (`YYYY-MM-DD`), by the regulation chosen. */
	dueBy: string | null;
	/** The due date before any extension: equal to `dueBy` without one; null when `dueBy` is. */
	originalDueBy: string | null;
	/** The extension recorded (Extension Reason, Person Told of Extension On), or null. */
	extension: { reason: string; personToldOn: string } | null;
	dueByRule: string;
}

export type IdentifierForm = 'asGiven' | 'masked' | 'sha256';
