import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { type Redact, SecretSet } from '../privacy/redaction';
import { buildReceipt, type ItemOutcome, type Outcome } from '../receipts/buildReceipt';
import type { Deadline } from '../receipts/deadline';
import { deliverPlanned } from '../sending/deliverPlanned';
import { RequestQueue, runPaced } from '../sending/pacedQueue';
import { rateGateFor } from '../sending/rateGate';
import { RequestPlanner, type PlannedRequest } from '../sending/requestPlanner';
import type { Delivery, SendingRules } from '../sending/transport';
import type { Connection, ErasureOperation, LookUpFirst } from '../types/erasureOperation';
import { deadlineReader, readItem } from './itemReading';
import type { ErasureSettings } from './settings';
import { stopError, type StoppingRequest } from './stopError';

/**
 * How long items are read before requests already let through get to go out: short, so that a start
 * reaches the network soon after the rate gate lets it through; not shorter, since each yield sleeps
 * at least 1 ms (docs/design/pacing.md).
 */
const READING_SLICE_MS = 5;

/**
 * One execution of an erasure operation, once the vendor's connection is known: items are read
 * into targets, packed into requests, sent paced and retried, and each item gets its receipt.
 */
export class ErasureRun<Target, C extends Connection> {
	private readonly itemCount: number;

	private readonly continueOnFail: boolean;

	private readonly redact: Redact;

	private readonly cancelSignal: AbortSignal | undefined;

	private readonly sendingRules: SendingRules;

	private readonly lookUp: LookUpFirst<Target, C> | undefined;

	private readonly planner: RequestPlanner<Target>;

	private readonly queue = new RequestQueue<PlannedRequest<Target>>();

	private readonly deliveries = new Map<PlannedRequest<Target>, Delivery>();

	private stoppedBy: StoppingRequest<Target> | undefined;

	private sending: Promise<void> | undefined;

	private lastYield = Date.now();

	// Each item's target, turned into identifiers only for its receipt: not while items are read.
	private readonly targets: Array<Target | undefined>;

	private readonly deadlines: Deadline[];

	private readonly receipts: INodeExecutionData[];

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly operation: ErasureOperation<Target, C>,
		private readonly settings: ErasureSettings,
		private readonly connection: C,
	) {
		this.itemCount = context.getInputData().length;
		this.continueOnFail = context.continueOnFail();
		const secrets = new SecretSet(connection.secrets);
		this.redact = secrets.redact;
		this.cancelSignal = context.getExecutionCancelSignal?.();
		const gate = rateGateFor(connection);
		this.sendingRules = {
			link: {
				credentialType: connection.credentialType,
				vendorName: operation.vendor.displayName,
				oAuth2: connection.oAuth2 === true,
				tokenHost: connection.tokenUrl === undefined ? undefined : new URL(connection.tokenUrl).host,
				redact: this.redact,
				keepSecret: (secret) => secrets.add(secret),
				cancelSignal: this.cancelSignal,
			},
			retry: settings,
			waitForTurn: async () => await gate.acquire(settings.maxRequestsPerSecond),
			refusal: {},
		};
		this.lookUp = operation.lookUpFirst?.(context);
		this.planner = new RequestPlanner<Target>((target) => operation.key(target), settings.targetsPerRequest);
		this.targets = new Array(this.itemCount);
		this.deadlines = new Array(this.itemCount);
		this.receipts = new Array(this.itemCount);
	}

	/** Every input item's receipt, in input order. */
	async execute(): Promise<INodeExecutionData[]> {
		// With On Error: Continue an invalid item stops nothing, so the first requests go out while later
		// items are still read; otherwise every item is checked before the first request, and the
		// requests are packed while the first ones go out.
		const sendWhileReading = this.continueOnFail && !this.settings.dryRun;
		if (sendWhileReading) this.sending = this.sendAll();
		await this.readItems(sendWhileReading);
		if (!sendWhileReading) {
			if (!this.settings.dryRun) this.sending = this.sendAll();
			await this.planReadItems();
		}
		await this.finishSending();
		for (const request of this.planner.requests) this.answerItemsOf(request, this.finalOutcome(request));
		return this.receipts;
	}

	private async readItems(planWhileReading: boolean): Promise<void> {
		const deadlineOf = deadlineReader(this.context, this.settings.deadlineRule);
		for (let itemIndex = 0; itemIndex < this.itemCount; itemIndex++) {
			const read = readItem(this.context, this.operation, deadlineOf, itemIndex);
			if ('target' in read) {
				this.targets[itemIndex] = read.target;
				this.deadlines[itemIndex] = read.deadline;
				if (planWhileReading) this.plan(itemIndex);
			} else if (this.continueOnFail) {
				this.answer(itemIndex, { kind: 'invalid', error: read.error, identifiers: [], deadline: read.deadline });
			} else {
				const { field } = read.error;
				const problem = read.error.problemIn(this.settings.identifierForm);
				throw new NodeOperationError(this.context.getNode(), `Item ${itemIndex + 1}: ${field} ${problem}`, {
					itemIndex,
					description:
						'Nothing was sent: every item is checked before the first request. Fix the input, or turn on the node setting "On Error: Continue" to send the valid items and get this one back as failed.',
				});
			}
			if (this.requestsAreWaiting()) await this.letRequestsGo();
		}
	}

	private async planReadItems(): Promise<void> {
		for (let itemIndex = 0; itemIndex < this.itemCount; itemIndex++) {
			if (this.targets[itemIndex] !== undefined) this.plan(itemIndex);
			if (this.requestsAreWaiting()) await this.letRequestsGo();
		}
	}

	private plan(itemIndex: number): void {
		const full = this.planner.add(itemIndex, this.targets[itemIndex]!);
		if (!full) return;
		this.queue.push(full);
		// The first request goes out before the next slice of reading: each step on its way (credentials,
		// connection) would otherwise wait for one.
		if (full.number === 1) this.lastYield = Number.NEGATIVE_INFINITY;
	}

	private async sendAll(): Promise<void> {
		await runPaced(
			this.queue,
			this.settings,
			async (request) => {
				const delivery = await deliverPlanned(
					this.context,
					this.operation,
					this.lookUp,
					request.targets,
					this.connection,
					this.sendingRules,
				);
				this.deliveries.set(request, delivery);
				if (!delivery.verdict.ok && !this.continueOnFail) this.stoppedBy ??= { request, delivery };
				// Built while later requests wait for their turn; people repeated later are added at the end.
				this.answerItemsOf(request, { kind: 'delivered', delivery });
			},
			() => this.stoppedBy !== undefined || this.cancelSignal?.aborted === true,
		);
	}

	/** Plans the last request, waits for every request to be answered, and stops the node if one must. */
	private async finishSending(): Promise<void> {
		const last = this.planner.finish();
		if (last) this.queue.push(last);
		this.queue.close();
		if (!this.sending) return;
		await this.sending;
		if (this.stoppedBy || this.cancelSignal?.aborted) {
			const outcomes = this.planner.requests.map((request) => ({ request, delivery: this.deliveries.get(request) }));
			throw stopError(this.context, this.operation, this.stoppedBy, outcomes, this.redact);
		}
	}

	private finalOutcome(request: PlannedRequest<Target>): Outcome {
		if (!this.settings.dryRun) return { kind: 'delivered', delivery: this.deliveries.get(request)! };
		return {
			kind: 'dry_run',
			vendorRequest: this.operation.buildRequest(request.targets, this.connection),
			lookUpRequest: this.lookUp?.buildRequest(request.targets[0], this.connection),
		};
	}

	/** Every item a request carries, or repeats, gets its receipt once. */
	private answerItemsOf(request: PlannedRequest<Target>, outcome: Outcome): void {
		for (const itemIndex of request.itemIndexes) {
			if (this.receipts[itemIndex]) continue;
			this.answer(itemIndex, {
				kind: 'planned',
				outcome,
				request,
				identifiers: this.operation.identifiers(this.targets[itemIndex]!),
				deadline: this.deadlines[itemIndex],
				duplicateOf: this.planner.duplicateOf.get(itemIndex),
			});
		}
	}

	private answer(itemIndex: number, outcome: ItemOutcome): void {
		this.receipts[itemIndex] = buildReceipt(this.operation, this.settings, itemIndex, outcome, this.redact);
	}

	private requestsAreWaiting(): boolean {
		return this.sending !== undefined && Date.now() - this.lastYield >= READING_SLICE_MS;
	}

	private async letRequestsGo(): Promise<void> {
		await sleep(0);
		this.lastYield = Date.now();
	}
}
