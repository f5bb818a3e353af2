/**
 * A value given to the node breaks one of its rules, found before anything is sent: a parameter of
 * one item, or a field of the credential. Names the field and the problem.
 */
export class InvalidValueError extends Error {
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
