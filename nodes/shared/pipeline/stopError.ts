import type { IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { Redact } from '../privacy/redaction';
import type { PlannedRequest } from '../sending/requestPlanner';
import type { Delivery } from '../sending/transport';
import type { Connection, ErasureOperation } from '../types/erasureOperation';

/** The request that made the node stop, with what became of it. */
export interface StoppingRequest<Target> {
	request: PlannedRequest<Target>;
	delivery: Delivery;
}

/** A planned request and, once it was sent, what became of it. */
interface RequestOutcome<Target> {
	request: PlannedRequest<Target>;
	delivery: Delivery | undefined;
}

/**
 * The node stops (a request failed with On Error: Stop, or the user cancelled the execution). There
 * are no receipts then, so the error is the record: every item is accounted for, exactly.
 */
export function stopError<Target, C extends Connection>(
	context: IExecuteFunctions,
	operation: ErasureOperation<Target, C>,
	stoppedBy: StoppingRequest<Target> | undefined,
	outcomes: Array<RequestOutcome<Target>>,
	redact: Redact,
): NodeApiError {
	const failure = stoppedBy && !stoppedBy.delivery.verdict.ok ? stoppedBy.delivery.verdict : undefined;
	const message = redact(
		stoppedBy
			? `${operation.vendor.displayName} did not accept request ${stoppedBy.request.number} after ${stoppedBy.delivery.attempts} attempt(s): ${failure?.message ?? 'unknown failure'}`
			: `The execution was cancelled while sending to ${operation.vendor.displayName}.`,
	);
	const httpStatus = stoppedBy?.delivery.httpStatus ?? null;
	return new NodeApiError(context.getNode(), { message, httpCode: httpStatus } as JsonObject, {
		itemIndex: stoppedBy?.request.itemIndexes[0],
		message,
		httpCode: httpStatus === null ? undefined : String(httpStatus),
		description: redact([failure?.hint, ...accountFor(operation, outcomes)].filter(Boolean).join(' ')),
	});
}

interface ItemGroups {
	accepted: number[];
	unanswered: number[];
	failed: number[];
	skipped: number[];
	neverSent: number[];
	references: string[];
}

/** Every planned item in exactly one group, by what became of its request, with every vendor reference. */
function groupItems<Target, C extends Connection>(
	operation: ErasureOperation<Target, C>,
	outcomes: Array<RequestOutcome<Target>>,
): ItemGroups {
	const groups: ItemGroups = { accepted: [], unanswered: [], failed: [], skipped: [], neverSent: [], references: [] };
	for (const { request, delivery } of outcomes) {
		const verdict = delivery?.verdict;
		let group = groups.neverSent;
		if (verdict?.ok) {
			group = verdict.skipped ? groups.skipped : groups.accepted;
			if (verdict.reference && !groups.references.includes(verdict.reference))
				groups.references.push(verdict.reference);
		} else if (verdict && verdict.reason !== 'not_sent') {
			group =
				verdict.reason === 'no_answer' && operation.successStatus === 'accepted' ? groups.unanswered : groups.failed;
		}
		group.push(...request.itemIndexes);
	}
	return groups;
}

/** Sentences that place every planned item in exactly one group, with every vendor reference. */
function accountFor<Target, C extends Connection>(
	operation: ErasureOperation<Target, C>,
	outcomes: Array<RequestOutcome<Target>>,
): string[] {
	const { accepted, unanswered, failed, skipped, neverSent, references } = groupItems(operation, outcomes);
	const erasing = operation.successStatus === 'accepted';
	const referencesText = references.length
		? ` (vendor reference${references.length > 1 ? 's' : ''} ${references.join(', ')})`
		: '';
	return [
		accepted.length
			? `${erasing ? 'Accepted' : 'Answered'} before the node stopped: ${itemRanges(accepted)}${referencesText}.${erasing ? ' Their erasure is under way: do not send them again.' : ''}`
			: `Nothing was ${erasing ? 'accepted' : 'answered'} before the node stopped.`,
		unanswered.length
			? `Sent but not answered, so they may have been accepted: ${itemRanges(unanswered)}. Sending them again is safe.`
			: '',
		skipped.length ? `Nothing to erase, so not sent: ${itemRanges(skipped)}.` : '',
		failed.length ? `Failed: ${itemRanges(failed)}.` : '',
		neverSent.length
			? `Never sent: ${itemRanges(neverSent)}. Requests already under way when the node stopped were completed and are counted above; none started after.`
			: 'Every planned request was sent and is counted above.',
	];
}

/** `items 1–29, 31` (1-based, sorted, consecutive runs joined). */
function itemRanges(itemIndexes: number[]): string {
	const sorted = [...new Set(itemIndexes)].sort((a, b) => a - b);
	const runs: string[] = [];
	for (let start = 0; start < sorted.length;) {
		let end = start;
		while (end + 1 < sorted.length && sorted[end + 1] === sorted[end] + 1) end++;
		runs.push(end === start ? `${sorted[start] + 1}` : `${sorted[start] + 1}\u2013${sorted[end] + 1}`);
		start = end + 1;
	}
	return `${sorted.length === 1 ? 'item' : 'items'} ${runs.join(', ')}`;
}
