import type { IDataObject } from 'n8n-workflow';

import { presentIdentifiersWithin } from '../privacy/identifierForm';
import type { Redact } from '../privacy/redaction';
import type { PlannedRequest } from '../sending/requestPlanner';
import type { VendorRequest } from '../types/erasureOperation';
import type { Identifier, IdentifierForm } from '../types/receipt';

export const FORM_IN_PREVIEW: Record<IdentifierForm, string> = {
	asGiven: 'The request is shown exactly as it would be sent.',
	masked:
		'The request is shown exactly as it would be sent, except that the identifiers in it are masked (Identifier in Output); the real request carries them in full.',
	sha256:
		'The request is shown exactly as it would be sent, except that the identifiers in it are SHA-256 hashes (Identifier in Output); the real request carries them in full.',
};

/** The request as it would be sent, the people's identifiers shown in the form the user chose. */
export function previewRequest<Target>(
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
	if (outcome.lookUpRequest)
		preview.lookUpFirst = previewHttp(outcome.lookUpRequest, identifiers, form, withBody, redact);
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
