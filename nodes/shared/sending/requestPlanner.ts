export interface PlannedRequest<Target> {
	number: number;
	targets: Target[];
	/** Input items this request answers for, duplicates included. */
	itemIndexes: number[];
}

/** Packs targets into requests in input order, sending each person once. */
export class RequestPlanner<Target> {
	readonly requests: Array<PlannedRequest<Target>> = [];

	/** For a repeated person: the item that carries it, by the repeating item. */
	readonly duplicateOf = new Map<number, number>();

	private readonly carrier = new Map<string, { itemIndex: number; request: PlannedRequest<Target> }>();

	private open: PlannedRequest<Target> | undefined;

	constructor(
		private readonly key: (target: Target) => string,
		private readonly targetsPerRequest: number,
	) {}

	/** Adds one person; returns the request this filled, which takes no further person. */
	add(itemIndex: number, target: Target): PlannedRequest<Target> | undefined {
		const personKey = this.key(target);
		const earlier = this.carrier.get(personKey);
		if (earlier) {
			this.duplicateOf.set(itemIndex, earlier.itemIndex);
			earlier.request.itemIndexes.push(itemIndex);
			return undefined;
		}
		const request = (this.open ??= this.startRequest());
		request.targets.push(target);
		request.itemIndexes.push(itemIndex);
		this.carrier.set(personKey, { itemIndex, request });
		if (request.targets.length < this.targetsPerRequest) return undefined;
		this.open = undefined;
		return request;
	}

	/** The last request, not full, once no more people come. */
	finish(): PlannedRequest<Target> | undefined {
		const last = this.open;
		this.open = undefined;
		return last;
	}

	private startRequest(): PlannedRequest<Target> {
		const request = { number: this.requests.length + 1, targets: [], itemIndexes: [] };
		this.requests.push(request);
		return request;
	}
}
