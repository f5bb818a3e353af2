import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { Connection, ErasureOperation, VendorRequest } from './erasureOperation';
import { presentIdentifiers, presentIdentifiersWithin, presentValue } from './identifierForm';
import type { InvalidItemError } from './invalidItemError';
import type { ErasureSettings } from './options';
import type { Receipt, Identifier, IdentifierForm } from './receipt';
import type { PlannedRequest } from './requestPlan';
import type { Delivery } from './transport';

interface Carried {
	request: PlannedRequest<unknown>;
	identifiers: Identifier[];
	duplicateOf?: number;
}

/** What became of a planned request, shared by every item it answers for. */
export type Outcome =
	| { kind: 'dry_run'; vendorRequest: VendorRequest; lookUpRequest?: VendorRequest }
	| { kind: 'delivered'; delivery: Delivery };

export type ItemOutcome = { kind: 'invalid'; error: InvalidItemError; identifiers: Identifier[] } | (Outcome & Carried);

export type Redact = (text: string) => string;

export function redactor(secrets: string[]): Redact {
	const hidden = secrets.filter((secret) => secret.length >= 4);
	return (text) => hidden.reduce((result, secret) => result.split(secret).join('[redacted]'), text);
}

export function buildReceipt<Target, C extends Connection>(
	operation: ErasureOperation<Target, C>,
	settings: ErasureSettings,
	itemIndex: number,
	outcome: ItemOutcome,
	redact: Redact,
): INodeExecutionData {
	const form = settings.identifierForm;
	const base = {
		vendor: operation.vendor.displayName,
		operation: operation.name,
		identifiers: presentIdentifiers(outcome.identifiers, form),
		identifierForm: form,
	};
	const pairedItem = { item: itemIndex };

	if (outcome.kind === 'invalid') {
		const { field, problem } = outcome.error;
		const message = `Not sent: ${field} ${problem}.`;
		const receipt: Receipt = {
			...base,
			status: 'failed',
			vendorReference: null,
			httpStatus: null,
			attempts: 0,
			requestedAt: null,
			message,
			failure: { reason: 'invalid_input', field, description: problem },
		};
		return { json: receipt, pairedItem };
	}

	const duplicate =
		outcome.duplicateOf === undefined
			? {}
			: { duplicateOfItemIndex: outcome.duplicateOf };
	const duplicateNote =
		outcome.duplicateOf === undefined
			? ''
			: ` The same person as item ${outcome.duplicateOf + 1}: sent once, in that item's request.`;

	if (outcome.kind === 'dry_run') {
		const firstItem = outcome.request.itemIndexes[0] === itemIndex;
		const receipt: Receipt = {
			...base,
			...duplicate,
			status: 'dry_run',
			vendorReference: null,
			httpStatus: null,
			attempts: 0,
			requestedAt: null,
			message: `Dry run: checked, nothing sent. This item would go in request ${outcome.request.number} (${outcome.request.targets.length} ${outcome.request.targets.length === 1 ? 'person' : 'people'})${firstItem ? ', shown below' : `, whose body is shown on item ${outcome.request.itemIndexes[0] + 1}`}${outcome.lookUpRequest ? ', after the read-only look-up shown as lookUpFirst' : ''}.${duplicateNote}`,
			request: previewRequest(outcome, form, firstItem, redact),
		};
		return { json: receipt, pairedItem };
	}

	const { delivery } = outcome;
	const { verdict } = delivery;
	const common = {
		...base,
		...duplicate,
		httpStatus: delivery.httpStatus,
		attempts: delivery.attempts,
		requestedAt: delivery.requestedAt,
		requestNumber: outcome.request.number,
	};
	if (verdict.ok) {
		const receipt: Receipt = {
			...common,
			...(presentIdentifiersWithin(verdict.details ?? {}, outcome.identifiers, form) as IDataObject),
			status: verdict.skipped ? 'skipped' : operation.successStatus,
			vendorReference: verdict.reference ?? null,
			message: redact(verdict.message) + duplicateNote,
		};
		return { json: receipt, pairedItem };
	}
	const gaveUp = delivery.attempts > 1 ? ` Gave up after ${delivery.attempts} attempts.` : '';
	const message = redact(`${verdict.message}${gaveUp}`);
	const receipt: Receipt = {
		...common,
		status: 'failed',
		vendorReference: null,
		message: message + duplicateNote,
		failure: {
			reason: verdict.reason,
			description: redact(verdict.hint ?? verdict.message),
			...(verdict.vendorCode === undefined ? {} : { vendorCode: verdict.vendorCode }),
		},
	};
	return { json: receipt, pairedItem };
}

/** The request as it would be sent, identifiers shown in the form the user chose. */
function previewRequest(
	outcome: { vendorRequest: VendorRequest; lookUpRequest?: VendorRequest; request: PlannedRequest<unknown> },
	form: IdentifierForm,
	withBody: boolean,
	redact: Redact,
): IDataObject {
	const preview: IDataObject = {
		number: outcome.request.number,
		...previewHttp(outcome.vendorRequest, form, withBody, redact),
		people: outcome.request.targets.length,
	};
	if (outcome.lookUpRequest) preview.lookUpFirst = previewHttp(outcome.lookUpRequest, form, withBody, redact);
	return preview;
}

function previewHttp(request: VendorRequest, form: IdentifierForm, withBody: boolean, redact: Redact): IDataObject {
	const preview: IDataObject = { method: request.method, url: redact(request.url) };
	if (request.qs) preview.qs = presentStrings(request.qs, form) as IDataObject;
	if (withBody && request.body !== undefined) preview.body = presentStrings(request.body, form) as IDataObject;
	return preview;
}

function presentStrings(value: unknown, form: IdentifierForm): unknown {
	if (form === 'asGiven') return value;
	if (typeof value === 'string') return presentValue(value, form);
	if (Array.isArray(value)) return value.map((entry) => presentStrings(entry, form));
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value).map(([key, entry]) => [key, presentStrings(entry, form)]),
		);
	}
	return value;
}
