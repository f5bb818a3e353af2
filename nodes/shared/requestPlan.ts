import type { Identifier } from './receipt';

export interface ValidEntry<Target> {
	itemIndex: number;
	target: Target;
	identifiers: Identifier[];
}

export interface PlannedRequest<Target> {
	number: number;
	targets: Target[];
	/** Input items this request answers for, duplicates included. */
	itemIndexes: number[];
}

export interface RequestPlan<Target> {
	requests: Array<PlannedRequest<Target>>;
	/** For a repeated person: the item that carries it, by the repeating item. */
	duplicateOf: Map<number, number>;
}

/** Packs targets into requests in input order, sending each person once. */
export function planRequests<Target>(
	entries: Array<ValidEntry<Target>>,
	key: (target: Target) => string,
	targetsPerRequest: number,
): RequestPlan<Target> {
	const requests: Array<PlannedRequest<Target>> = [];
	const duplicateOf = new Map<number, number>();
	const carrier = new Map<string, { itemIndex: number; request: PlannedRequest<Target> }>();
	let current: PlannedRequest<Target> | undefined;
	for (const entry of entries) {
		const personKey = key(entry.target);
		const earlier = carrier.get(personKey);
		if (earlier) {
			duplicateOf.set(entry.itemIndex, earlier.itemIndex);
			earlier.request.itemIndexes.push(entry.itemIndex);
			continue;
		}
		if (!current || current.targets.length >= targetsPerRequest) {
			current = { number: requests.length + 1, targets: [], itemIndexes: [] };
			requests.push(current);
		}
		current.targets.push(entry.target);
		current.itemIndexes.push(entry.itemIndex);
		carrier.set(personKey, { itemIndex: entry.itemIndex, request: current });
	}
	return { requests, duplicateOf };
}
