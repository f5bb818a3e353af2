import type { IExecuteFunctions } from 'n8n-workflow';

import type { Connection, ErasureOperation, LookUpFirst, Verdict } from '../types/erasureOperation';
import { type Delivery, deliver, type SendingRules } from './transport';

/**
 * Sends the request for one planned group of people and returns its verdict. With a look-up, the
 * look-up goes first (paced and retried like any request): the erasure is sent only when the
 * look-up succeeded and found something to erase, and the receipt tells what the look-up found.
 * An operation that answers without a request sends nothing at all.
 */
export async function deliverPlanned<Target, C extends Connection>(
	context: IExecuteFunctions,
	operation: ErasureOperation<Target, C>,
	lookUp: LookUpFirst<Target, C> | undefined,
	targets: Target[],
	connection: C,
	sending: SendingRules,
): Promise<Delivery> {
	const sendErasure = async () =>
		await deliver(
			context,
			operation.buildRequest(targets, connection),
			(answer) => operation.interpret(answer, targets, connection),
			sending,
			// Previews, searches and verifications only read.
			operation.successStatus === 'found',
		);
	if (operation.answerWithoutRequest) {
		return {
			verdict: operation.answerWithoutRequest(targets),
			httpStatus: null,
			attempts: 0,
			unanswered: 0,
			requestedAt: null,
		};
	}
	if (!lookUp) return await sendErasure();

	const [target] = targets;
	const found = await deliver(
		context,
		lookUp.buildRequest(target, connection),
		(answer) => lookUp.interpret(answer, target),
		sending,
		true,
	);
	if (!found.verdict.ok) {
		const message = `Nothing was erased: ${lookUp.description} failed, so the erasure request was not sent. ${found.verdict.message}`;
		// A look-up that got no answer changed nothing: the item failed, it is not unconfirmed.
		const reason = found.verdict.reason === 'no_answer' ? 'network' : found.verdict.reason;
		return { ...found, verdict: { ...found.verdict, reason, message } };
	}
	if (found.verdict.skipped) return found;
	const sent = await sendErasure();
	// The person's first request was the look-up: requestedAt says when it started.
	return {
		...sent,
		requestedAt: found.requestedAt ?? sent.requestedAt,
		verdict: withFindings(sent.verdict, found.verdict),
	};
}

function withFindings(verdict: Verdict, findings: Extract<Verdict, { ok: true }>): Verdict {
	const message = `${verdict.message} ${findings.message}`;
	if (!verdict.ok) return { ...verdict, message };
	return { ...verdict, message, details: { ...findings.details, ...verdict.details } };
}
