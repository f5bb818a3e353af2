import { createHash } from 'crypto';

import type { IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { type Deadline, type DeadlineRule, deadlineFor } from './deadline';
import type { Connection, ErasureOperation } from './erasureOperation';
import { InvalidItemError } from './invalidItemError';
import { itemParameter } from './itemParameter';
import { readErasureSettings } from './options';
import { RequestQueue, rateGateFor, runPaced } from './pacer';
import { buildReceipt, type ItemOutcome, type Outcome } from './receiptBuilder';
import { type Redact, redactor } from './redaction';
import { RequestPlanner, type PlannedRequest } from './requestPlan';
import { deliverPlanned } from './plannedDelivery';
import type { Delivery, DeliveryPolicy } from './transport';

/** How long items are read before the node lets requests already planned go out. */
const READING_SLICE_MS = 20;

/**
 * The one erasure pipeline: read and validate every item, pack people into
 * requests, send them paced and retried, and answer every input item with one
 * receipt, in input order.
 */
export async function executeErasure<Target, C extends Connection>(
	this: IExecuteFunctions,
	operation: ErasureOperation<Target, C>,
): Promise<INodeExecutionData[][]> {
	const itemCount = this.getInputData().length;
	const settings = readErasureSettings(this, operation.options);
	const continueOnFail = this.continueOnFail();

	let connection: C;
	try {
		connection = await operation.vendor.connect(this);
	} catch (error) {
		if (!(error instanceof InvalidItemError)) throw new NodeOperationError(this.getNode(), error as Error);
		if (!continueOnFail) {
			throw new NodeOperationError(this.getNode(), `Credential: ${error.message}`, {
				description: 'Nothing was sent. Fix the credential and run the node again.',
			});
		}
		const deadlineOf = deadlineReader(this, settings.deadlineRule);
		const receipts = Array.from({ length: itemCount }, (_, itemIndex) => {
			const outcome: ItemOutcome = { kind: 'invalid', error, identifiers: [], deadline: deadlineOf(itemIndex).deadline };
			return buildReceipt(operation, settings, itemIndex, outcome, (text) => text);
		});
		return routeFailures(this, receipts);
	}
	const redact = redactor(connection.secrets);
	const cancelSignal = this.getExecutionCancelSignal?.();
	const policy: DeliveryPolicy = {
		credentialType: connection.credentialType,
		oAuth2: connection.oAuth2 === true,
		maxAttempts: settings.maxAttempts,
		maxRetryWaitMs: settings.maxRetryWaitMs,
		requestTimeoutMs: settings.requestTimeoutMs,
		maxRequestsPerSecond: settings.maxRequestsPerSecond,
		gate: rateGateFor(vendorAccount(connection)),
		redact,
		cancelSignal,
	};
	const lookUp = operation.lookUpFirst?.(this);
	const planner = new RequestPlanner<Target>((target) => operation.key(target), settings.targetsPerRequest);
	const receipts: INodeExecutionData[] = new Array(itemCount);
	// Each item's target, turned into identifiers only for its receipt: not while items are read.
	const targets: Array<Target | undefined> = new Array(itemCount);
	const deadlines: Deadline[] = new Array(itemCount);
	const deadlineOf = deadlineReader(this, settings.deadlineRule);
	const receiptsFor = (request: PlannedRequest<Target>, outcome: Outcome) => {
		for (const itemIndex of request.itemIndexes) {
			receipts[itemIndex] ??= buildReceipt(
				operation,
				settings,
				itemIndex,
				{
					kind: 'planned',
					outcome,
					request,
					identifiers: operation.identifiers(targets[itemIndex]!),
					deadline: deadlines[itemIndex],
					duplicateOf: planner.duplicateOf.get(itemIndex),
				},
				redact,
			);
		}
	};
	const queue = new RequestQueue<PlannedRequest<Target>>();
	const deliveries = new Map<PlannedRequest<Target>, Delivery>();
	let stoppedBy: { request: PlannedRequest<Target>; delivery: Delivery } | undefined;
	const sendAll = async () =>
		await runPaced(
			queue,
			settings,
			async (request) => {
				const delivery = await deliverPlanned(this, operation, lookUp, request.targets, connection, policy);
				deliveries.set(request, delivery);
				if (!delivery.verdict.ok && !continueOnFail) stoppedBy ??= { request, delivery };
				// Built while later requests wait for their turn; people repeated later are added at the end.
				receiptsFor(request, { kind: 'delivered', delivery });
			},
			() => stoppedBy !== undefined || cancelSignal?.aborted === true,
		);
	// With On Error: Continue an invalid item stops nothing, so the first requests go out while later
	// items are still read; otherwise every item is checked before the first request, and the
	// requests are packed while the first ones go out.
	let sending = continueOnFail && !settings.dryRun ? sendAll() : undefined;
	const plan = (itemIndex: number) => {
		const full = planner.add(itemIndex, targets[itemIndex]!);
		if (full) queue.push(full);
	};
	let lastYield = Date.now();
	const requestsAreWaiting = () => sending !== undefined && Date.now() - lastYield >= READING_SLICE_MS;
	const letRequestsGo = async () => {
		await sleep(0);
		lastYield = Date.now();
	};

	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		const read = readItem(this, operation, deadlineOf, itemIndex);
		if ('target' in read) {
			targets[itemIndex] = read.target;
			deadlines[itemIndex] = read.deadline;
			if (sending) plan(itemIndex);
		} else {
			const { error } = read;
			if (!continueOnFail) {
				throw new NodeOperationError(this.getNode(), `Item ${itemIndex + 1}: ${error.message}`, {
					itemIndex,
					description:
						'Nothing was sent: every item is checked before the first request. Fix the input, or turn on the node setting "On Error: Continue" to send the valid items and get this one back as failed.',
				});
			}
			receipts[itemIndex] = buildReceipt(
				operation,
				settings,
				itemIndex,
				{ kind: 'invalid', error, identifiers: [], deadline: read.deadline },
				redact,
			);
		}
		if (requestsAreWaiting()) await letRequestsGo();
	}
	if (!sending) {
		if (!settings.dryRun) sending = sendAll();
		for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
			if (targets[itemIndex] !== undefined) plan(itemIndex);
			if (requestsAreWaiting()) await letRequestsGo();
		}
	}
	const last = planner.finish();
	if (last) queue.push(last);
	queue.close();
	if (sending) {
		await sending;
		if (stoppedBy || cancelSignal?.aborted) {
			throw stopError(this, operation, stoppedBy, planner.requests, deliveries, redact);
		}
	}

	for (const request of planner.requests) {
		receiptsFor(
			request,
			settings.dryRun
				? {
						kind: 'dry_run',
						vendorRequest: operation.buildRequest(request.targets, connection),
						lookUpRequest: lookUp?.buildRequest(request.targets[0], connection),
					}
				: { kind: 'delivered', delivery: deliveries.get(request)! },
		);
	}
	return routeFailures(this, receipts);
}

/**
 * Failed receipts stay in the main output unless the node's "On Error" setting asks for the error
 * output. n8n's engine routes an item there only when its json is exactly `{ error, message }` (and
 * replaces the json of any item carrying `item.error` by the bare message), so the receipt travels
 * under `error`; the engine adds the input item's fields beside it.
 */
function routeFailures(context: IExecuteFunctions, receipts: INodeExecutionData[]): INodeExecutionData[][] {
	if (context.getNode().onError !== 'continueErrorOutput') return [receipts];
	return [
		receipts.map((item) =>
			item.json.status === 'failed' || item.json.status === 'unconfirmed'
				? { json: { message: item.json.message, error: item.json }, pairedItem: item.pairedItem }
				: item,
		),
	];
}

type DeadlineReading = { deadline: Deadline; error?: undefined } | { error: InvalidItemError; deadline?: undefined };

/**
 * An item's target and deadline, or why it cannot be sent (with its deadline when that could be
 * read); a failing expression counts as bad input too.
 */
function readItem<Target, C extends Connection>(
	context: IExecuteFunctions,
	operation: ErasureOperation<Target, C>,
	deadlineOf: (itemIndex: number) => DeadlineReading,
	itemIndex: number,
): { target: Target; deadline: Deadline } | { error: InvalidItemError; deadline?: Deadline } {
	const received = deadlineOf(itemIndex);
	if (received.error) return received;
	try {
		return { target: operation.readTarget(context, itemIndex), deadline: received.deadline };
	} catch (error) {
		const invalid = error instanceof InvalidItemError ? error : new InvalidItemError('Parameters', (error as Error).message);
		return { error: invalid, deadline: received.deadline };
	}
}

/**
 * Each item's deadline, from "Request Received At" (read once per run unless an expression makes it
 * differ between items; the same value gives the same deadline, computed once).
 */
function deadlineReader(context: IExecuteFunctions, rule: DeadlineRule) {
	const now = new Date();
	let last: { value: unknown; deadline: Deadline } | undefined;
	return (itemIndex: number): DeadlineReading => {
		try {
			const value = itemParameter(context, 'options.receivedAt', itemIndex, '');
			if (last && last.value === value) return { deadline: last.deadline };
			last = { value, deadline: deadlineFor(value, rule, now) };
			return { deadline: last.deadline };
		} catch (error) {
			if (error instanceof InvalidItemError) return { error };
			return { error: new InvalidItemError('Request Received At', (error as Error).message) };
		}
	};
}

/**
 * The node stops (a request failed with On Error: Stop, or the user cancelled the execution). There
 * are no receipts then, so the error is the record: every item is accounted for, exactly.
 */
function stopError<Target, C extends Connection>(
	context: IExecuteFunctions,
	operation: ErasureOperation<Target, C>,
	stoppedBy: { request: PlannedRequest<Target>; delivery: Delivery } | undefined,
	requests: Array<PlannedRequest<Target>>,
	deliveries: Map<PlannedRequest<Target>, Delivery>,
	redact: Redact,
): NodeApiError {
	const accounting = accountFor(operation, requests, deliveries);
	const failure = stoppedBy && !stoppedBy.delivery.verdict.ok ? stoppedBy.delivery.verdict : undefined;
	const message = redact(
		stoppedBy
			? `${operation.vendor.displayName} did not accept request ${stoppedBy.request.number} after ${stoppedBy.delivery.attempts} attempt(s): ${failure?.message ?? 'unknown failure'}`
			: `The execution was cancelled while sending to ${operation.vendor.displayName}.`,
	);
	const httpStatus = stoppedBy?.delivery.httpStatus ?? null;
	return new NodeApiError(
		context.getNode(),
		{ message, httpCode: httpStatus } as JsonObject,
		{
			itemIndex: stoppedBy?.request.itemIndexes[0],
			message,
			httpCode: httpStatus === null ? undefined : String(httpStatus),
			description: redact([failure?.hint, ...accounting].filter(Boolean).join(' ')),
		},
	);
}

/** Sentences that place every planned item in exactly one group, with every vendor reference. */
function accountFor<Target, C extends Connection>(
	operation: ErasureOperation<Target, C>,
	requests: Array<PlannedRequest<Target>>,
	deliveries: Map<PlannedRequest<Target>, Delivery>,
): string[] {
	const accepted: number[] = [];
	const unanswered: number[] = [];
	const failed: number[] = [];
	const skipped: number[] = [];
	const neverSent: number[] = [];
	const references: string[] = [];
	for (const request of requests) {
		const delivery = deliveries.get(request);
		const verdict = delivery?.verdict;
		let group = neverSent;
		if (verdict?.ok) {
			group = verdict.skipped ? skipped : accepted;
			if (verdict.reference && !references.includes(verdict.reference)) references.push(verdict.reference);
		} else if (verdict && verdict.reason !== 'not_sent') {
			group = verdict.reason === 'no_answer' && operation.successStatus === 'accepted' ? unanswered : failed;
		}
		group.push(...request.itemIndexes);
	}
	const erasing = operation.successStatus === 'accepted';
	const referencesText = references.length ? ` (vendor reference${references.length > 1 ? 's' : ''} ${references.join(', ')})` : '';
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
export function itemRanges(itemIndexes: number[]): string {
	const sorted = [...new Set(itemIndexes)].sort((a, b) => a - b);
	const runs: string[] = [];
	for (let start = 0; start < sorted.length; ) {
		let end = start;
		while (end + 1 < sorted.length && sorted[end + 1] === sorted[end] + 1) end++;
		runs.push(end === start ? `${sorted[start] + 1}` : `${sorted[start] + 1}\u2013${sorted[end] + 1}`);
		start = end + 1;
	}
	return `${sorted.length === 1 ? 'item' : 'items'} ${runs.join(', ')}`;
}

/** A vendor account for pacing: the credential type, the host it talks to and a digest of its key. */
function vendorAccount(connection: Connection): string {
	const key = createHash('sha256').update(connection.secrets.join('\u0000')).digest('hex');
	return `${connection.credentialType} ${connection.baseUrl} ${key}`;
}
