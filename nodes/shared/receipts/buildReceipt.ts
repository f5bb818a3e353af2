import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { ALLOW_ERASURE_AS_AI_TOOL } from '../description/aiTool';
import type { InvalidValueError } from '../input/invalidValueError';
import { presentIdentifiers, presentRecord } from '../privacy/identifierForm';
import type { Redact } from '../privacy/redaction';
import type { PlannedRequest } from '../sending/requestPlanner';
import type { Delivery } from '../sending/transport';
import type { Connection, ErasureOperation, VendorRequest } from '../types/erasureOperation';
import { type Deadline, type DeadlineRule, describeDeadline, isOverdue } from './deadline';
import type { Identifier, IdentifierForm, Receipt } from '../types/receipt';
import { FORM_IN_PREVIEW, previewRequest } from './requestPreview';

/** What a receipt needs from the run's settings. */
export interface ReceiptSettings {
	identifierForm: IdentifierForm;
	deadlineRule: DeadlineRule;
	/** Read-only look-ups: output the records found, not only their count. */
	includeRecords: boolean;
}

/** What became of a planned request, shared by every item it answers for. */
export type Outcome =
	| { kind: 'dry_run'; vendorRequest: VendorRequest; lookUpRequest?: VendorRequest }
	| { kind: 'delivered'; delivery: Delivery };

export type ItemOutcome =
	| { kind: 'invalid'; error: InvalidValueError; identifiers: Identifier[]; deadline: Deadline | undefined }
	/** An erasure run as an AI tool without the node's opt-in: nothing sent. */
	| { kind: 'refused'; identifiers: Identifier[]; deadline: Deadline | undefined }
	| {
			kind: 'planned';
			outcome: Outcome;
			request: PlannedRequest<unknown>;
			identifiers: Identifier[];
			deadline: Deadline | undefined;
			duplicateOf: number | undefined;
	  };

type PlannedItem = Extract<ItemOutcome, { kind: 'planned' }>;

// Receipts are built once per item, up to hundreds of thousands per run: plain object literals, no spreads.
export function buildReceipt<Target, C extends Connection>(
	operation: ErasureOperation<Target, C>,
	settings: ReceiptSettings,
	itemIndex: number,
	item: ItemOutcome,
	redact: Redact,
): INodeExecutionData {
	const form = settings.identifierForm;
	// Status and message first: n8n's table view shows a receipt's fields in this order.
	const receipt = {
		status: 'failed',
		message: '',
		vendor: operation.vendor.displayName,
		operation: operation.name,
		identifiers: presentIdentifiers(item.identifiers, form),
		identifierForm: form,
		receivedAt: item.deadline?.receivedAt ?? null,
		dueBy: item.deadline?.dueBy ?? null,
		originalDueBy: item.deadline?.originalDueBy ?? null,
		// A copy per receipt: items with the same values share one computed deadline.
		extension: item.deadline?.extension
			? { reason: item.deadline.extension.reason, personToldOn: item.deadline.extension.personToldOn }
			: null,
		dueByRule: describeDeadline(settings.deadlineRule, item.deadline),
	} as Receipt;
	if (item.kind === 'invalid') fillNotSent(receipt, item.error, form);
	else if (item.kind === 'refused') fillRefused(receipt, operation);
	else if (item.outcome.kind === 'dry_run')
		fillDryRun(receipt, operation, settings, itemIndex, item, item.outcome, redact);
	else fillDelivered(receipt, operation, settings, item, item.outcome.delivery, redact);
	return { json: receipt, pairedItem: { item: itemIndex } };
}

function fillNotSent(receipt: Receipt, error: InvalidValueError, form: IdentifierForm): void {
	const { field } = error;
	// A refused identifier is quoted only in the form chosen for identifiers, and bounded in length.
	const problem = error.problemIn(form);
	receipt.status = 'failed';
	receipt.vendorReference = null;
	receipt.httpStatus = null;
	receipt.attempts = 0;
	receipt.requestedAt = null;
	receipt.message = `Not sent: ${field} ${problem}.`;
	receipt.failure = { reason: 'invalid_input', field, description: problem };
}

function fillRefused<Target, C extends Connection>(receipt: Receipt, operation: ErasureOperation<Target, C>): void {
	receipt.status = 'failed';
	receipt.vendorReference = null;
	receipt.httpStatus = null;
	receipt.attempts = 0;
	receipt.requestedAt = null;
	receipt.message = `Refused: ${operation.vendor.displayName} ${operation.name} is an irreversible erasure and this node ran as an AI agent's tool. Nothing was sent. To allow it, turn on the node option "${ALLOW_ERASURE_AS_AI_TOOL.displayName}", only behind a human review step.`;
	receipt.failure = {
		reason: 'refused_for_ai_tool',
		description: `A language model filled in this tool call, and an erasure cannot be undone: it runs as a tool only when "${ALLOW_ERASURE_AS_AI_TOOL.displayName}" is on.`,
	};
}

function duplicateNote(receipt: Receipt, duplicateOf: number | undefined): string {
	if (duplicateOf === undefined) return '';
	receipt.duplicateOfItemIndex = duplicateOf;
	return ` The same person as item ${duplicateOf + 1}: sent once, in that item's request.`;
}

function fillDryRun<Target, C extends Connection>(
	receipt: Receipt,
	operation: ErasureOperation<Target, C>,
	settings: ReceiptSettings,
	itemIndex: number,
	{ request, duplicateOf }: PlannedItem,
	outcome: Extract<Outcome, { kind: 'dry_run' }>,
	redact: Redact,
): void {
	const note = duplicateNote(receipt, duplicateOf);
	const form = settings.identifierForm;
	const firstItem = request.itemIndexes[0] === itemIndex;
	const people = request.targets.length;
	receipt.status = 'dry_run';
	receipt.vendorReference = null;
	receipt.httpStatus = null;
	receipt.attempts = 0;
	receipt.requestedAt = null;
	receipt.message = `Dry run: checked, nothing sent. This item would go in request ${request.number} (${people} ${people === 1 ? 'person' : 'people'})${firstItem ? ', shown below' : `, whose body is shown on item ${request.itemIndexes[0] + 1}`}${outcome.lookUpRequest ? ', after the read-only look-up shown as lookUpFirst' : ''}. ${FORM_IN_PREVIEW[form]}${note}`;
	receipt.request = previewRequest(
		outcome,
		request as PlannedRequest<Target>,
		operation.identifiers,
		form,
		firstItem,
		redact,
	);
}

function fillDelivered<Target, C extends Connection>(
	receipt: Receipt,
	operation: ErasureOperation<Target, C>,
	settings: ReceiptSettings,
	{ request, duplicateOf }: PlannedItem,
	delivery: Delivery,
	redact: Redact,
): void {
	const note = duplicateNote(receipt, duplicateOf);
	const { verdict } = delivery;
	receipt.httpStatus = delivery.httpStatus;
	receipt.attempts = delivery.attempts;
	receipt.requestedAt = delivery.requestedAt;
	receipt.requestNumber = request.number;
	if (delivery.unanswered > 0) receipt.unansweredAttempts = delivery.unanswered;
	if (operation.verifies) {
		const checkedAt = new Date();
		const completed = verdict.ok && verdict.verification === 'completed';
		const pastDue = receipt.dueBy !== null && isOverdue(receipt.dueBy, settings.deadlineRule, checkedAt);
		receipt.checkedAt = checkedAt.toISOString();
		receipt.overdue = !completed && pastDue;
		// Completed, but first shown so after the last day: the check cannot tell when the vendor finished.
		receipt.confirmedAfterDueBy = completed && pastDue;
	}
	if (verdict.ok) {
		if (verdict.details)
			Object.assign(receipt, presentFindings(verdict.details, settings.identifierForm, settings.includeRecords));
		receipt.status =
			verdict.verification ??
			(verdict.skipped ? 'skipped' : verdict.nothingHeld ? 'not_found' : operation.successStatus);
		receipt.vendorReference = verdict.reference ?? null;
		receipt.message = redact(verdict.message) + note;
		return;
	}
	const gaveUp = delivery.attempts > 1 ? ` Gave up after ${delivery.attempts} attempts.` : '';
	receipt.status = verdict.reason === 'no_answer' && operation.successStatus === 'accepted' ? 'unconfirmed' : 'failed';
	receipt.vendorReference = null;
	receipt.message = redact(`${verdict.message}${gaveUp}`) + note;
	receipt.failure = {
		reason: verdict.reason,
		description: redact(verdict.hint ?? verdict.message),
		...(verdict.vendorCode === undefined ? {} : { vendorCode: verdict.vendorCode }),
	};
}

/**
 * What a look-up found: counts always; the records themselves (lists in the details) only when
 * the user asked for them, and then every value in the identifier form they chose.
 */
function presentFindings(details: IDataObject, form: IdentifierForm, includeRecords: boolean): IDataObject {
	const shown: IDataObject = {};
	for (const [key, value] of Object.entries(details)) {
		if (!Array.isArray(value)) shown[key] = value;
		else if (includeRecords) shown[key] = presentRecord(value, form) as IDataObject[];
	}
	return shown;
}
