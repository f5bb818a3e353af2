import { z } from 'zod';

import { describeUnexpectedBody, fieldText, reasonForStatus } from '../shared/sending/answerText';
import type { VendorAnswer, Verdict } from '../shared/types/erasureOperation';

const AUTH_HINT =
	'Check the Bloomreach Engagement credential: the API key ID and secret of a private API key, the project token, and that the key has the permission GDPR > Anonymize customer (Project settings > Access management > API).';

export const answerBody = z
	.object({
		success: z.boolean().optional(),
		bulk_id: z.union([z.string(), z.number()]).optional(),
		errors: z.unknown().optional(),
		error: z.unknown().optional(),
		message: z.unknown().optional(),
	})
	.passthrough();

/**
 * Bloomreach answers JSON with `success`; failures carry `errors`, `error` or
 * `message`, sometimes with a 2xx status, and a bad key can come back as 400.
 */
export function interpretBloomreachAnswer(answer: VendorAnswer, acceptedWhat: string): Verdict {
	const parsed = answerBody.safeParse(answer.body);
	const { statusCode } = answer;
	if (!parsed.success) {
		return {
			ok: false,
			reason: statusCode >= 200 && statusCode < 300 ? 'unexpected_response' : reasonForStatus(statusCode),
			message: `Bloomreach answered HTTP ${statusCode} with ${describeUnexpectedBody(answer.body)}, so the request cannot be confirmed.`,
		};
	}
	const body = parsed.data;
	const vendorText = fieldText(body, ['errors', 'error', 'message']);
	const succeeded = statusCode >= 200 && statusCode < 300 && body.success !== false;
	if (succeeded) {
		const reference = body.bulk_id === undefined ? undefined : String(body.bulk_id);
		return {
			ok: true,
			reference,
			message: `Bloomreach accepted ${acceptedWhat}${reference ? ` (bulk_id ${reference})` : ''}. Bloomreach answers the same whether or not it holds a customer with these IDs, so this confirms the request only: not that such a customer existed, nor that anonymization has finished (it runs asynchronously).`,
		};
	}
	const credentialProblem =
		statusCode === 401 || statusCode === 403 || /authenticat|access key|secret|permission/i.test(vendorText);
	const reason = credentialProblem ? 'authentication' : reasonForStatus(statusCode);
	return {
		ok: false,
		reason,
		message: `Bloomreach refused the request (HTTP ${statusCode}): ${vendorText || 'no reason given'}.`,
		hint: credentialProblem ? AUTH_HINT : undefined,
		retryable: credentialProblem ? false : undefined,
	};
}
