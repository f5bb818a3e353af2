import type { IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { Connection, ErasureOperation } from './erasureOperation';
import { InvalidItemError } from './invalidItemError';
import { readErasureSettings } from './options';
import { RateGate, runPaced } from './pacer';
import { type Redact, buildReceipt, type ItemOutcome, redactor } from './receiptBuilder';
import { planRequests, type PlannedRequest, type ValidEntry } from './requestPlan';
import { deliverPlanned } from './plannedDelivery';
import type { Delivery } from './transport';

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
	const outcomes: ItemOutcome[] = new Array(itemCount);

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
		outcomes.fill({ kind: 'invalid', error, identifiers: [] });
		return routeFailures(this, outcomes.map((outcome, itemIndex) => buildReceipt(operation, settings, itemIndex, outcome, (text) => text)));
	}
	const redact = redactor(connection.secrets);

	const valid: Array<ValidEntry<Target>> = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		const read = readItem(this, operation, itemIndex);
		if ('target' in read) {
			valid.push({ itemIndex, target: read.target, identifiers: operation.identifiers(read.target) });
		} else {
			const { error } = read;
			if (!continueOnFail) {
				throw new NodeOperationError(this.getNode(), `Item ${itemIndex + 1}: ${error.message}`, {
					itemIndex,
					description:
						'Nothing was sent: every item is checked before the first request. Fix the input, or turn on the node setting "On Error: Continue" to send the valid items and get this one back as failed.',
				});
			}
			outcomes[itemIndex] = { kind: 'invalid', error, identifiers: [] };
		}
	}
	const entryByItem = new Map(valid.map((entry) => [entry.itemIndex, entry]));
	const plan = planRequests(valid, (target) => operation.key(target), settings.targetsPerRequest);
	const carrying = (request: PlannedRequest<Target>, itemIndex: number) => ({
		request,
		identifiers: entryByItem.get(itemIndex)?.identifiers ?? [],
		duplicateOf: plan.duplicateOf.get(itemIndex),
	});

	const lookUp = operation.lookUpFirst?.(this);
	if (settings.dryRun) {
		for (const request of plan.requests) {
			const vendorRequest = operation.buildRequest(request.targets, connection);
			const lookUpRequest = lookUp?.buildRequest(request.targets[0], connection);
			for (const itemIndex of request.itemIndexes) {
				outcomes[itemIndex] = { kind: 'dry_run', vendorRequest, lookUpRequest, ...carrying(request, itemIndex) };
			}
		}
	} else {
		const gate = new RateGate(settings.maxRequestsPerSecond);
		let stoppedBy: { request: PlannedRequest<Target>; delivery: Delivery } | undefined;
		await runPaced(
			plan.requests.length,
			settings,
			async (index) => {
				const request = plan.requests[index];
				const delivery = await deliverPlanned(this, operation, lookUp, request.targets, connection, {
					...settings,
					credentialType: operation.vendor.credentialType,
					gate,
				});
				for (const itemIndex of request.itemIndexes) {
					outcomes[itemIndex] = { kind: 'delivered', delivery, ...carrying(request, itemIndex) };
				}
				if (!delivery.verdict.ok && !continueOnFail) stoppedBy ??= { request, delivery };
			},
			() => stoppedBy !== undefined,
		);
		if (stoppedBy) throw stopError(this, operation, stoppedBy, outcomes, redact);
	}

	return routeFailures(
		this,
		outcomes.map((outcome, itemIndex) => buildReceipt(operation, settings, itemIndex, outcome, redact)),
	);
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
	outcomes: ItemOutcome[],
	redact: Redact,
): NodeApiError {
	const { verdict } = delivery;
	const failure = verdict.ok ? undefined : verdict;
	const acceptedItems: number[] = [];
	const references = new Set<string>();
	outcomes.forEach((outcome, itemIndex) => {
		if (outcome?.kind !== 'delivered') return;
		const { verdict } = outcome.delivery;
		if (!verdict.ok || verdict.skipped) return;
		acceptedItems.push(itemIndex);
		if (verdict.reference) references.add(verdict.reference);
	});
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
