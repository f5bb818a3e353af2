import { createHash } from 'crypto';

import type { Identifier, IdentifierForm } from './receipt';

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
