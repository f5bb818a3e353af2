import { setOwn } from './ownProperty';

export interface MapStringsOptions {
	/** Object keys are transformed too. */
	keys?: boolean;
	/** Numbers are transformed as their text. */
	numbers?: boolean;
}

/** A copy of a JSON-like value with every string replaced by `transform`. */
export function mapStrings(
	value: unknown,
	transform: (text: string) => string,
	options: MapStringsOptions = {},
): unknown {
	if (typeof value === 'string') return transform(value);
	if (typeof value === 'number' && options.numbers) return transform(String(value));
	if (Array.isArray(value)) return value.map((entry) => mapStrings(entry, transform, options));
	if (value && typeof value === 'object') {
		// Not Object.fromEntries: every dry-run receipt copies its request this way, and its entry pairs
		// are garbage to collect (docs/design/memory.md).
		const copy: Record<string, unknown> = {};
		for (const key of Object.keys(value)) {
			const entry = mapStrings((value as Record<string, unknown>)[key], transform, options);
			setOwn(copy, options.keys ? transform(key) : key, entry);
		}
		return copy;
	}
	return value;
}
