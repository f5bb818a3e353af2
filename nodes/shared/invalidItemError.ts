/** A problem with one item's input, found before anything is sent. */
export class InvalidItemError extends Error {
	constructor(
		readonly field: string,
		readonly problem: string,
	) {
		super(`${field} ${problem}`);
	}
}

export function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'boolean') return `the boolean ${value}`;
	return typeof value;
}

/** Accepts a non-blank string or a finite number and returns it as trimmed text. */
export function requireText(value: unknown, field: string): string {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') {
		if (value === undefined || value === '') throw new InvalidItemError(field, 'is empty');
		throw new InvalidItemError(field, `must be text or a number, got ${describeValue(value)}`);
	}
	const text = value.trim();
	if (text === '') throw new InvalidItemError(field, value === '' ? 'is empty' : 'is empty or only whitespace');
	return text;
}
