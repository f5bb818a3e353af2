import { describeValue, InvalidValueError } from './invalidValueError';

// Control characters, and characters that render as nothing or reorder text (zero-width spaces
// and joiners, bidi controls, word joiner, invisible operators, byte order mark, variation
// selectors, Hangul fillers). A vendor compares identifiers byte for byte, so "a@example.com" with
// one of these inside is another person: such values are refused, never silently cleaned.
const INVISIBLE_OR_CONTROL =
	/[\u0000-\u001F\u007F-\u009F\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFFB]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function codePointName(character: string): string {
	return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Accepts a non-blank string or a safe integer or finite number and returns it as trimmed text.
 * Refuses invisible and control characters, and integers beyond 2^53, which JavaScript has
 * already rounded to another number (another person's ID) before the node sees them.
 */
export function requireText(value: unknown, field: string): string {
	if (typeof value === 'number' && Number.isFinite(value)) {
		if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
			throw new InvalidValueError(field, {
				value: String(value),
				problem: (shown) =>
					`is the number ${shown}, larger than 2^53: numbers that large are rounded when the data is read, so it may be another person's ID. Pass IDs as text (a string in the input data), not as numbers`,
			});
		}
		return String(value);
	}
	if (typeof value !== 'string') {
		if (value === undefined || value === '') throw new InvalidValueError(field, 'is empty');
		throw new InvalidValueError(field, `must be text or a number, got ${describeValue(value)}`);
	}
	const text = value.trim();
	if (text === '') throw new InvalidValueError(field, value === '' ? 'is empty' : 'is empty or only whitespace');
	const hidden = INVISIBLE_OR_CONTROL.exec(text);
	if (hidden) {
		throw new InvalidValueError(
			field,
			`contains an invisible or control character (${codePointName(hidden[0])}) at position ${hidden.index + 1}: the vendor would look up another person. Remove it from the input`,
		);
	}
	return text;
}

// One @, a local part without spaces or the characters mail systems reserve,
// and a domain of dot-separated labels ending in an alphabetic TLD.
const EMAIL = /^[^\s@"<>()[\],;:\\]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/** A trimmed email address that passes the rule above, at most 254 characters. */
export function requireEmail(value: unknown, field: string): string {
	const email = requireText(value, field);
	if (email.length > 254 || !EMAIL.test(email)) {
		throw new InvalidValueError(field, { value: email, problem: (shown) => `"${shown}" is not a valid email address` });
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
		throw new InvalidValueError(field, {
			value: String(value).trim(),
			problem: (shown) =>
				`"${shown}" is not a phone number (after removing spaces, dots, hyphens, brackets and slashes, 6 to 15 digits with an optional leading + must remain)`,
		});
	}
	return phone;
}
