import { createHash } from 'crypto';

import { mapStrings } from './mapStrings';
import type { Identifier, IdentifierForm } from '../types/receipt';

export function presentIdentifiers(identifiers: Identifier[], form: IdentifierForm): Identifier[] {
	return identifiers.map(({ type, value }) => ({ type, value: presentValue(value, form) }));
}

export function presentValue(value: string, form: IdentifierForm): string {
	if (form === 'asGiven') return value;
	if (form === 'sha256') return `sha256:${createHash('sha256').update(value, 'utf8').digest('hex')}`;
	return mask(value);
}

/** `jane.doe@example.com` → `j***@example.com`; other values keep two characters at each end. */
function mask(value: string): string {
	const at = value.lastIndexOf('@');
	if (at > 0) return `${value[0]}***${value.slice(at)}`;
	if (value.length <= 6) return '***';
	return `${value.slice(0, 2)}***${value.slice(-2)}`;
}

const FORMATTING = /[\s.\-()/]/g;
const comparable = (value: string) => value.toLowerCase().replace(FORMATTING, '');

/**
 * A request echoes the people's own identifiers; show every string that matches one of them,
 * ignoring case and phone formatting, in the form the user chose, and everything else as it is.
 */
export function presentIdentifiersWithin(value: unknown, identifiers: Identifier[], form: IdentifierForm): unknown {
	if (form === 'asGiven' || identifiers.length === 0) return value;
	const known = new Set(identifiers.map((identifier) => comparable(identifier.value)));
	return mapStrings(value, (text) => (known.has(comparable(text)) ? presentValue(text, form) : text));
}

/**
 * What a look-up found about a person (names, contact details, IDs, comments): every value in the
 * form the user chose, so the execution log keeps no more than they asked for.
 */
export function presentRecord(value: unknown, form: IdentifierForm): unknown {
	if (form === 'asGiven') return value;
	return mapStrings(value, (text) => presentValue(text, form), { numbers: true });
}
