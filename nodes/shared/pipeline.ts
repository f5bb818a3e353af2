import type { IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import type { Connection, ErasureOperation } from './erasureOperation';
import { InvalidItemError } from './invalidItemError';
import { readErasureSettings } from './options';
import { RateGate, RequestQueue, runPaced } from './pacer';
import { type Redact, buildReceipt, type ItemOutcome, type Outcome, redactor } from './receiptBuilder';
import type { Identifier } from './receipt';
import { RequestPlanner, type PlannedRequest } from './requestPlan';
import { deliverPlanned } from './plannedDelivery';
import type { Delivery } from './transport';

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
		const outcome: ItemOutcome = { kind: 'invalid', error, identifiers: [] };
		const receipts = Array.from({ length: itemCount }, (_, itemIndex) =>
			buildReceipt(operation, settings, itemIndex, outcome, (text) => text),
		);
		return routeFailures(this, receipts);
	}
	const redact = redactor(connection.secrets);
	const lookUp = operation.lookUpFirst?.(this);
	const planner = new RequestPlanner<Target>((target) => operation.key(target), settings.targetsPerRequest);
	const receipts: INodeExecutionData[] = new Array(itemCount);
	const identifiersOf = new Map<number, Identifier[]>();
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
					identifiers: identifiersOf.get(itemIndex) ?? [],
					duplicateOf: planner.duplicateOf.get(itemIndex),
				},
				redact,
			);
		}
	};
	const queue = new RequestQueue<PlannedRequest<Target>>();
	const deliveries = new Map<PlannedRequest<Target>, Delivery>();
	let stoppedBy: { request: PlannedRequest<Target>; delivery: Delivery } | undefined;
	const gate = new RateGate(settings.maxRequestsPerSecond);
	const sendAll = async () =>
		await runPaced(
			queue,
			settings,
			async (request) => {
				const delivery = await deliverPlanned(this, operation, lookUp, request.targets, connection, {
					...settings,
					credentialType: operation.vendor.credentialType,
					gate,
				});
				deliveries.set(request, delivery);
				if (!delivery.verdict.ok && !continueOnFail) stoppedBy ??= { request, delivery };
				// Built while later requests wait for their turn; people repeated later are added at the end.
				receiptsFor(request, { kind: 'delivered', delivery });
			},
			() => stoppedBy !== undefined,
		);
	// With On Error: Continue an invalid item stops nothing, so the first requests go out while later
	// items are still read; otherwise every item is checked before the first request.
	let sending = continueOnFail && !settings.dryRun ? sendAll() : undefined;

	let lastYield = Date.now();
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		const read = readItem(this, operation, itemIndex);
		if ('target' in read) {
			identifiersOf.set(itemIndex, operation.identifiers(read.target));
			const full = planner.add(itemIndex, read.target);
			if (full) queue.push(full);
		} else {
			const { error } = read;
			if (!continueOnFail) {
				throw new NodeOperationError(this.getNode(), `Item ${itemIndex + 1}: ${error.message}`, {
					itemIndex,
					description:
						'Nothing was sent: every item is checked before the first request. Fix the input, or turn on the node setting "On Error: Continue" to send the valid items and get this one back as failed.',
				});
			}
			receipts[itemIndex] = buildReceipt(operation, settings, itemIndex, { kind: 'invalid', error, identifiers: [] }, redact);
		}
		if (sending && Date.now() - lastYield >= READING_SLICE_MS) {
			await sleep(0);
			lastYield = Date.now();
		}
	}
	const last = planner.finish();
	if (last) queue.push(last);
	queue.close();
	if (!settings.dryRun) {
		sending ??= sendAll();
		await sending;
		if (stoppedBy) throw stopError(this, operation, stoppedBy, deliveries, redact);
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
			item.json.status === 'failed'
				? { json: { message: item.json.message, error: item.json }, pairedItem: item.pairedItem }
				: item,
		),
	];
}

/** An item's target, or why it cannot be sent; a failing expression counts as bad input too. */
function readItem<Target, C extends Connection>(
	context: IExecuteFunctions,
	operation: ErasureOperation<Target, C>,
	itemIndex: number,
): { target: Target } | { error: InvalidItemError } {
	try {
		return { target: operation.readTarget(context, itemIndex) };
	} catch (error) {
		if (error instanceof InvalidItemError) return { error };
		return { error: new InvalidItemError('Parameters', (error as Error).message) };
	}
}

/** The node stops: say what failed and, above all, what was already accepted. */
function stopError<Target, C extends Connection>(
	context: IExecuteFunctions,
	operation: ErasureOperation<Target, C>,
	{ request, delivery }: { request: PlannedRequest<Target>; delivery: Delivery },
	deliveries: Map<PlannedRequest<Target>, Delivery>,
	redact: Redact,
): NodeApiError {
	const { verdict } = delivery;
	const failure = verdict.ok ? undefined : verdict;
	const acceptedItems: number[] = [];
	const references = new Set<string>();
	for (const [{ itemIndexes }, { verdict }] of deliveries) {
		if (!verdict.ok || verdict.skipped) continue;
		acceptedItems.push(...itemIndexes);
		if (verdict.reference) references.add(verdict.reference);
	}
	acceptedItems.sort((a, b) => a - b);
	const accepted = acceptedItems.length
		? `Already accepted before the node stopped: ${acceptedItems.length} item(s) (${listItems(acceptedItems)})${
				references.size ? `, vendor reference(s) ${[...references].join(', ')}` : ''
			}. Their erasure is under way: do not send them again.`
		: 'Nothing was accepted before the node stopped.';
	const message = redact(
		`${operation.vendor.displayName} did not accept request ${request.number} after ${delivery.attempts} attempt(s): ${failure?.message ?? 'unknown failure'}`,
	);
	return new NodeApiError(
		context.getNode(),
		{ message, httpCode: delivery.httpStatus } as JsonObject,
		{
			itemIndex: request.itemIndexes[0],
			message,
			httpCode: delivery.httpStatus === null ? undefined : String(delivery.httpStatus),
			description: redact(
				[
					failure?.hint,
					`Items in the failed request: ${listItems(request.itemIndexes)}.`,
					accepted,
					'Requests after the failed one were not sent.',
				]
					.filter(Boolean)
					.join(' '),
			),
		},
	);
}

function listItems(itemIndexes: number[]): string {
	const shown = itemIndexes.slice(0, 20).map((index) => `item ${index + 1}`);
	const more = itemIndexes.length - shown.length;
	return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}
