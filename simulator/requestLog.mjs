/**
 * The log of vendor requests. Counts per vendor, endpoint and status are always kept; full
 * entries only in mode "full". Entries hold references to the parsed bodies, not copies, so a
 * 1000-customer bulk costs no more than its parse did.
 */

const SECRET_QUERY_PARAMETERS = new Set(['api_key']);

/** Authorization keeps only its scheme: `Basic [REDACTED]`, `api_key [REDACTED]`. */
export function redactHeaders(headers) {
	const copy = { ...headers };
	if (copy.authorization !== undefined) {
		const [scheme] = String(copy.authorization).trim().split(/\s+/, 1);
		copy.authorization = scheme ? `${scheme} [REDACTED]` : '[REDACTED]';
	}
	return copy;
}

export function redactQuery(searchParams) {
	const query = {};
	for (const [name, value] of searchParams) {
		query[name] = SECRET_QUERY_PARAMETERS.has(name.toLowerCase()) ? '[REDACTED]' : value;
	}
	return query;
}

/**
 * @typedef {{ seq: number, at: number, vendor: string | null, endpoint: string | null, method: string,
 *   path: string, query: Record<string, string>, headers: Record<string, unknown>, body: unknown,
 *   status: number | null, fault: string | null, durationMs: number }} LoggedRequest
 */

export class RequestLog {
	/** @param {'full' | 'counts'} mode */
	constructor(mode) {
		this.mode = mode;
		this.generation = 0;
		this.clear();
	}

	/** Also drops the entries of requests still in flight, which would otherwise land in the new log. */
	clear() {
		this.generation += 1;
		this.total = 0;
		/** @type {LoggedRequest[]} */
		this.entries = [];
		/** @type {Record<string, Record<string, Record<string, number>>>} vendor → endpoint → status → count */
		this.byVendor = {};
	}

	/**
	 * @param {Omit<LoggedRequest, 'seq'>} entry
	 * @param {number} generation the log's `generation` when the request arrived
	 */
	record(entry, generation) {
		if (generation !== this.generation) return;
		this.total += 1;
		const endpoints = (this.byVendor[entry.vendor ?? 'unrouted'] ??= {});
		const statuses = (endpoints[entry.endpoint ?? 'unrouted'] ??= {});
		const status = entry.status === null ? 'no answer' : String(entry.status);
		statuses[status] = (statuses[status] ?? 0) + 1;
		if (this.mode === 'full') this.entries.push({ seq: this.total, ...entry });
	}

	counts() {
		return { total: this.total, byVendor: structuredClone(this.byVendor) };
	}

	/** @param {{ vendor?: string, endpoint?: string, since?: number }} [filter] entries with seq > since */
	list({ vendor, endpoint, since = 0 } = {}) {
		return this.entries.filter(
			(entry) =>
				entry.seq > since && (!vendor || entry.vendor === vendor) && (!endpoint || entry.endpoint === endpoint),
		);
	}
}
