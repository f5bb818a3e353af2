import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { type Deadline, describeRule, isOverdue } from './deadline';
import type { Connection, ErasureOperation, VendorRequest } from './erasureOperation';
import { presentIdentifiers, presentIdentifiersWithin, presentRecord } from './identifierForm';
import type { InvalidItemError } from './invalidItemError';
import type { ErasureSettings } from './options';
import type { Receipt, Identifier, IdentifierForm } from './receipt';
import type { Redact } from './redaction';
import type { PlannedRequest } from './requestPlan';
import type { Delivery } from './transport';

/** What became of a planned request, shared by every item it answers for. */
export type Outcome =
	| { kind: 'dry_run'; vendorRequest: VendorRequest; lookUpRequest?: VendorRequest }
	| { kind: 'delivered'; delivery: Delivery };

export type ItemOutcome =
	| { kind: 'invalid'; error: InvalidItemError; identifiers: Identifier[]; deadline: Deadline | undefined }
	| {
			kind: 'planned';
			outcome: Outcome;
			request: PlannedRequest<unknown>;
			identifiers: Identifier[];
			deadline: Deadline | undefined;
			duplicateOf: number | undefined;
	  };

// Receipts are built once per item, up to hundreds of thousands per run: plain object literals, no spreads.
export function buildReceipt<Target, C extends Connection>(
	operation: ErasureOperation<Target, C>,
	settings: ErasureSettings,
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
		dueByRule: describeRule(settings.deadlineRule),
	} as Receipt;
	const pairedItem = { item: itemIndex };

	if (item.kind === 'invalid') {
		const { field, problem } = item.error;
		receipt.status = 'failed';
		receipt.vendorReference = null;
		receipt.httpStatus = null;
		receipt.attempts = 0;
		receipt.requestedAt = null;
		receipt.message = `Not sent: ${field} ${problem}.`;
		receipt.failure = { reason: 'invalid_input', field, description: problem };
		return { json: receipt, pairedItem };
	}

	const { outcome, request, duplicateOf } = item;
	if (duplicateOf !== undefined) receipt.duplicateOfItemIndex = duplicateOf;
	const duplicateNote =
		duplicateOf === undefined ? '' : ` The same person as item ${duplicateOf + 1}: sent once, in that item's request.`;

	if (outcome.kind === 'dry_run') {
		const firstItem = request.itemIndexes[0] === itemIndex;
		const people = request.targets.length;
		receipt.status = 'dry_run';
		receipt.vendorReference = null;
		receipt.httpStatus = null;
		receipt.attempts = 0;
		receipt.requestedAt = null;
		receipt.message = `Dry run: checked, nothing sent. This item would go in request ${request.number} (${people} ${people === 1 ? 'person' : 'people'})${firstItem ? ', shown below' : `, whose body is shown on item ${request.itemIndexes[0] + 1}`}${outcome.lookUpRequest ? ', after the read-only look-up shown as lookUpFirst' : ''}. ${FORM_IN_PREVIEW[form]}${duplicateNote}`;
		receipt.request = previewRequest(outcome, request as PlannedRequest<Target>, operation.identifiers, form, firstItem, redact);
		return { json: receipt, pairedItem };
	}

	const { delivery } = outcome;
	const { verdict } = delivery;
	receipt.httpStatus = delivery.httpStatus;
	receipt.attempts = delivery.attempts;
	receipt.requestedAt = delivery.requestedAt;
	receipt.requestNumber = request.number;
	if (delivery.unanswered > 0) receipt.unansweredAttempts = delivery.unanswered;
	if (operation.verifies) {
		receipt.checkedAt = new Date().toISOString();
		receipt.overdue = !(verdict.ok && verdict.verification === 'completed') && receipt.dueBy !== null && isOverdue(receipt.dueBy, settings.deadlineRule, new Date());
	}
	if (verdict.ok) {
		if (verdict.details) Object.assign(receipt, presentFindings(verdict.details, form, settings.includeRecords));
		receipt.status = verdict.verification ?? (verdict.skipped ? 'skipped' : verdict.nothingHeld ? 'not_found' : operation.successStatus);
		receipt.vendorReference = verdict.reference ?? null;
		receipt.message = redact(verdict.message) + duplicateNote;
		return { json: receipt, pairedItem };
	}
	const gaveUp = delivery.attempts > 1 ? ` Gave up after ${delivery.attempts} attempts.` : '';
	receipt.status = verdict.reason === 'no_answer' && operation.successStatus === 'accepted' ? 'unconfirmed' : 'failed';
	receipt.vendorReference = null;
	receipt.message = redact(`${verdict.message}${gaveUp}`) + duplicateNote;
	receipt.failure = {
		reason: verdict.reason,
		description: redact(verdict.hint ?? verdict.message),
		...(verdict.vendorCode === undefined ? {} : { vendorCode: verdict.vendorCode }),
	};
	return { json: receipt, pairedItem };
}

const FORM_IN_PREVIEW: Record<IdentifierForm, string> = {
	asGiven: 'The request is shown exactly as it would be sent.',
	masked:
		'The request is shown exactly as it would be sent, except that the identifiers in it are masked (Identifier in Output); the real request carries them in full.',
	sha256:
		'The request is shown exactly as it would be sent, except that the identifiers in it are SHA-256 hashes (Identifier in Output); the real request carries them in full.',
};

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

/** The request as it would be sent, the people's identifiers shown in the form the user chose. */
function previewRequest<Target>(
	outcome: { vendorRequest: VendorRequest; lookUpRequest?: VendorRequest },
	request: PlannedRequest<Target>,
	identifiersOf: (target: Target) => Identifier[],
	form: IdentifierForm,
	withBody: boolean,
	redact: Redact,
): IDataObject {
	// Only the first item of a request shows its body: the others need no identifiers at all (a bulk
	// request carries a thousand people, and there are as many items).
	const showsIdentifiers = withBody || outcome.vendorRequest.qs !== undefined || outcome.lookUpRequest !== undefined;
	const identifiers = showsIdentifiers ? request.targets.flatMap(identifiersOf) : [];
	const preview: IDataObject = {
		number: request.number,
		...previewHttp(outcome.vendorRequest, identifiers, form, withBody, redact),
		people: request.targets.length,
	};
	if (outcome.lookUpRequest) preview.lookUpFirst = previewHttp(outcome.lookUpRequest, identifiers, form, withBody, redact);
	return preview;
}

function previewHttp(
	request: VendorRequest,
	identifiers: Identifier[],
	form: IdentifierForm,
	withBody: boolean,
	redact: Redact,
): IDataObject {
	const preview: IDataObject = { method: request.method, url: redact(request.url) };
	if (request.qs) preview.qs = presentIdentifiersWithin(request.qs, identifiers, form) as IDataObject;
	if (withBody && request.body !== undefined) {
		preview.body = presentIdentifiersWithin(request.body, identifiers, form) as IDataObject;
	}
	return preview;
}
