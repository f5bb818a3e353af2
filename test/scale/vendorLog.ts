import type { LoggedRequest } from '../../simulator/index.mjs';

/** The most requests that arrived at the vendor within any 1000 ms. */
export function peakPerSecond(requests: LoggedRequest[]): number {
	const times = requests.map((request) => request.at).sort((a, b) => a - b);
	let peak = 0;
	for (let first = 0, last = 0; last < times.length; last++) {
		while (times[last] - times[first] >= 1000) first++;
		peak = Math.max(peak, last - first + 1);
	}
	return peak;
}

/** Requests per second from the first arrival to the last. */
export function meanPerSecond(requests: LoggedRequest[]): number {
	if (requests.length < 2) return requests.length;
	const times = requests.map((request) => request.at);
	return ((requests.length - 1) * 1000) / (Math.max(...times) - Math.min(...times));
}

/** Each email: how many requests carrying it the vendor answered with `status`. */
export function emailsAnswered(
	requests: LoggedRequest[],
	status: number,
	emailsOf: (body: unknown) => string[],
): Map<string, number> {
	const counts = new Map<string, number>();
	for (const request of requests.filter((candidate) => candidate.status === status)) {
		for (const email of emailsOf(request.body)) counts.set(email, (counts.get(email) ?? 0) + 1);
	}
	return counts;
}

/** One line of figures for a run: what the vendor saw, against its limit. */
export function vendorFigures(requests: LoggedRequest[], limitPerSecond: number): string {
	const refused = requests.filter((request) => request.status === 429).length;
	return (
		`vendor: ${requests.length} requests (${refused} answered 429), ` +
		`peak ${peakPerSecond(requests)} in any 1 s and mean ${meanPerSecond(requests).toFixed(1)}/s against a limit of ${limitPerSecond}/s`
	);
}
