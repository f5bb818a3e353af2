const BASE_DELAY_MS = 1000;

/** Exponential backoff from one second with "equal jitter": half fixed, half random. */
export function backoffDelayMs(failedAttempts: number, capMs: number): number {
	const exponential = Math.min(capMs, BASE_DELAY_MS * 2 ** (failedAttempts - 1));
	return Math.round(exponential / 2 + Math.random() * (exponential / 2));
}

/** Reads `Retry-After` as seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(headers: Record<string, unknown>, now = Date.now()): number | undefined {
	const raw = headers['retry-after'];
	const value = Array.isArray(raw) ? raw[0] : raw;
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}
