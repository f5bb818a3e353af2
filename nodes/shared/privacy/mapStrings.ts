export interface MapStringsOptions {
	/** Object keys are transformed too. */
	keys?: boolean;
	/** Numbers are transformed as their text. */
	numbers?: boolean;
}

/** A copy of a JSON-like value with every string replaced by `transform`. */
export function mapStrings(value: unknown, transform: (text: string) => string, options: MapStringsOptions = {}): unknown {
	if (typeof value === 'string') return transform(value);
	if (typeof value === 'number' && options.numbers) return transform(String(value));
	if (Array.isArray(value)) return value.map((entry) => mapStrings(entry, transform, options));
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value).map(([key, entry]) => [options.keys ? transform(key) : key, mapStrings(entry, transform, options)]),
		);
	}
	return value;
}
