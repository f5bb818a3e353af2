import { InvalidItemError, requireText } from './invalidItemError';

// One @, a local part without spaces or the characters mail systems reserve,
// and a domain of dot-separated labels ending in an alphabetic TLD.
const EMAIL = /^[^\s@"<>()[\],;:\\]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/** A trimmed email address that passes the rule above, at most 254 characters. */
export function requireEmail(value: unknown, field: string): string {
	const email = requireText(value, field);
	if (email.length > 254 || !EMAIL.test(email)) {
		throw new InvalidItemError(field, `"${email}" is not a valid email address`);
	}
	return email;
}

const PHONE_FORMATTING = /[\s.\-()/]/g;

/**
 * Removes only formatting (spaces, dots, hyphens, brackets, slashes); what is
 * left must be 6 to 15 digits with an optional leading +. No country code is
 * added: the number must match the one the vendor stored.
 */
export function requirePhone(value: unknown, field: string): string {
	const phone = requireText(value, field).replace(PHONE_FORMATTING, '');
	if (!/^\+?\d{6,15}$/.test(phone)) {
		throw new InvalidItemError(
			field,
			`"${String(value).trim()}" is not a phone number (after removing spaces, dots, hyphens, brackets and slashes, 6 to 15 digits with an optional leading + must remain)`,
		);
	}
	return phone;
}
