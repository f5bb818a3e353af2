import { describeValue, InvalidValueError, quoteBounded } from '../input/invalidValueError';

export type Regulation = 'gdpr' | 'ccpa' | 'custom';

/** How long the organisation has to answer a request, counted in the workflow's time zone. */
export interface DeadlineRule {
	regulation: Regulation;
	/** Only for `custom`: calendar days after the day of receipt. */
	days: number;
	/** Only for `custom`: calendar days an extension adds after the original due date. */
	extensionDays: number;
	timeZone: string;
}

/** An extension the officer recorded: why, and the day the person was told (`YYYY-MM-DD`). */
export interface Extension {
	reason: string;
	personToldOn: string;
}

/** "Extension Reason" and "Person Told of Extension On" as given for one item. */
export interface ExtensionInput {
	reason: unknown;
	toldOn: unknown;
}

export interface Deadline {
	/** When the request arrived, as given (or the time the node ran). */
	receivedAt: string;
	/** The last calendar day to complete the request, `YYYY-MM-DD`, in the rule's time zone; extended when there is an extension. */
	dueBy: string;
	/** The due date without the extension; equal to `dueBy` when there is none. */
	originalDueBy: string;
	extension: Extension | null;
}

interface CalendarDate {
	year: number;
	month: number;
	day: number;
}

/** A date, or a date-time with or without an offset (group 4). */
const ISO_DATE_OR_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const UNIX_MS_TEXT = /^\d{13}$/;
const ONE_DAY_MS = 86_400_000;
const FIELD = 'Request Received At';
const REASON_FIELD = 'Extension Reason';
const TOLD_ON_FIELD = 'Person Told of Extension On';
/** The most characters of the reason dueByRule repeats; the receipt's `extension.reason` keeps it whole. */
const REASON_IN_RULE_MAX = 200;

const descriptions = new WeakMap<DeadlineRule, string>();

/** The rule in words, for every receipt (one string per run's rule, shared by all its receipts). */
export function describeRule(rule: DeadlineRule): string {
	let text = descriptions.get(rule);
	if (text === undefined) descriptions.set(rule, (text = ruleInWords(rule)));
	return text;
}

/** The rule in words, with the extension when there is one (its reason bounded in length). */
export function describeDeadline(rule: DeadlineRule, deadline: Deadline | undefined): string {
	const base = describeRule(rule);
	const extension = deadline?.extension;
	if (!extension) return base;
	const { reason } = extension;
	const shown =
		reason.length <= REASON_IN_RULE_MAX
			? reason
			: `${reason.slice(0, REASON_IN_RULE_MAX)}… (${reason.length} characters)`;
	return `${base}; extended by ${extensionInWords(rule)}, the person told on ${extension.personToldOn}: ${shown}`;
}

function extensionInWords(rule: DeadlineRule): string {
	if (rule.regulation === 'gdpr') {
		return "two further months (Art. 12(3)), to the same date three months after receipt (or that month's last day)";
	}
	if (rule.regulation === 'ccpa') return '45 further calendar days after the original due date';
	return `${rule.extensionDays} further calendar day${rule.extensionDays === 1 ? '' : 's'} after the original due date`;
}

function ruleInWords(rule: DeadlineRule): string {
	const counted = `counted from the day of receipt in the time zone ${rule.timeZone}`;
	if (rule.regulation === 'gdpr') {
		return `GDPR Art. 12(3): one month, to the same date of the next month (or that month's last day), ${counted}`;
	}
	if (rule.regulation === 'ccpa') return `CCPA/CPRA: 45 calendar days, ${counted}`;
	return `${rule.days} calendar day${rule.days === 1 ? '' : 's'}, ${counted}`;
}

/**
 * Reads "Request Received At": an ISO 8601 date or date-time, a Unix time in milliseconds (a number,
 * or text of 13 digits), or a date object. Empty means the time the node runs. A time after `now` (beyond a day of clock skew)
 * is refused: a deadline counted from the future would look later than it is.
 */
export function deadlineFor(value: unknown, rule: DeadlineRule, now: Date, extension?: ExtensionInput): Deadline {
	const received = receiptDay(value, rule, now);
	const originalDueBy = formatDate(dueDate(received.day, rule));
	const extended = extension === undefined ? null : readExtension(extension, originalDueBy, rule, now);
	return {
		receivedAt: received.receivedAt,
		dueBy: extended ? formatDate(extendedDueDate(received.day, rule)) : originalDueBy,
		originalDueBy,
		extension: extended,
	};
}

interface ReceiptDay {
	receivedAt: string;
	day: CalendarDate;
}

function receiptDay(value: unknown, rule: DeadlineRule, now: Date): ReceiptDay {
	if (value === undefined || value === null || value === '') return dayOfInstant(now, rule);
	if (value instanceof Date || typeof value === 'number') return checkedInstant(new Date(Number(value)), rule, now);
	if (typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') {
		return checkedInstant(new Date(String((value as { toISO: () => string }).toISO())), rule, now);
	}
	if (typeof value !== 'string') throw new InvalidValueError(FIELD, `must be a date, got ${describeValue(value)}`);
	const text = value.trim();
	// A Unix time in milliseconds given as text (a query parameter, a CSV column): 13 digits, 2001 to 2286.
	if (UNIX_MS_TEXT.test(text)) return checkedInstant(new Date(Number(text)), rule, now, value);
	const parsed = ISO_DATE_OR_TIME.exec(text);
	if (!parsed) {
		throw new InvalidValueError(
			FIELD,
			`is not an ISO 8601 date or date-time, nor a Unix time in milliseconds (${quoteBounded(value)}): use e.g. 2026-01-31, 2026-01-31T14:05:00Z or 1769860800000`,
		);
	}
	const date = calendarDate(Number(parsed[1]), Number(parsed[2]), Number(parsed[3]), value);
	if (parsed[4] !== undefined) return checkedInstant(new Date(text), rule, now, value);
	// A date, or a time without an offset (a wall-clock time in the workflow's time zone): its date is the day of receipt.
	if (formatDate(date) > formatDate(calendarDateIn(new Date(now.getTime() + ONE_DAY_MS), rule.timeZone))) {
		throw new InvalidValueError(FIELD, `is in the future (${quoteBounded(value)})`);
	}
	return { receivedAt: text, day: date };
}

/**
 * An extension, or null when Extension Reason is empty. The person must have been told by the
 * original due date (GDPR: within the first month; CCPA: within the first 45 days), and not in the future.
 */
function readExtension(
	{ reason, toldOn }: ExtensionInput,
	originalDueBy: string,
	rule: DeadlineRule,
	now: Date,
): Extension | null {
	if (reason === undefined || reason === null) return null;
	if (typeof reason !== 'string' && typeof reason !== 'number') {
		throw new InvalidValueError(REASON_FIELD, `must be text, got ${describeValue(reason)}`);
	}
	const text = String(reason).trim();
	if (text === '') return null;
	const personToldOn = toldOnDay(toldOn, rule, now);
	if (personToldOn > originalDueBy) {
		throw new InvalidValueError(
			TOLD_ON_FIELD,
			`is after the original due date ${originalDueBy} (${personToldOn}): the person must be told of an extension within the time to respond`,
		);
	}
	return { reason: text, personToldOn };
}

/** "Person Told of Extension On": an ISO 8601 date or date-time (or a date object), as a day in the rule's time zone. */
function toldOnDay(value: unknown, rule: DeadlineRule, now: Date): string {
	if (value === undefined || value === null || value === '') {
		throw new InvalidValueError(
			TOLD_ON_FIELD,
			`is required with ${REASON_FIELD}: the day the person was told of the extension`,
		);
	}
	let instant: Date | undefined;
	let given = '';
	if (value instanceof Date) instant = value;
	else if (typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') {
		instant = new Date(String((value as { toISO: () => string }).toISO()));
	} else if (typeof value !== 'string') {
		throw new InvalidValueError(TOLD_ON_FIELD, `must be an ISO 8601 date, got ${describeValue(value)}`);
	} else {
		given = value.trim();
		const parsed = ISO_DATE_OR_TIME.exec(given);
		if (!parsed) {
			throw new InvalidValueError(
				TOLD_ON_FIELD,
				`is not an ISO 8601 date or date-time (${quoteBounded(value)}): use e.g. 2026-01-31`,
			);
		}
		const date = calendarDate(Number(parsed[1]), Number(parsed[2]), Number(parsed[3]), value, TOLD_ON_FIELD);
		if (parsed[4] !== undefined) instant = new Date(given);
		else {
			const day = formatDate(date);
			if (day > formatDate(calendarDateIn(new Date(now.getTime() + ONE_DAY_MS), rule.timeZone))) {
				throw new InvalidValueError(TOLD_ON_FIELD, `is in the future (${quoteBounded(value)})`);
			}
			return day;
		}
	}
	if (Number.isNaN(instant.getTime()))
		throw new InvalidValueError(TOLD_ON_FIELD, `is not a valid date (${quoteBounded(given || String(value))})`);
	if (instant.getTime() > now.getTime() + ONE_DAY_MS) {
		throw new InvalidValueError(TOLD_ON_FIELD, `is in the future ("${instant.toISOString()}")`);
	}
	return formatDate(calendarDateIn(instant, rule.timeZone));
}

function checkedInstant(instant: Date, rule: DeadlineRule, now: Date, given: unknown = instant): ReceiptDay {
	if (Number.isNaN(instant.getTime()))
		throw new InvalidValueError(FIELD, `is not a valid date (${quoteBounded(String(given))})`);
	if (instant.getTime() > now.getTime() + ONE_DAY_MS) {
		throw new InvalidValueError(FIELD, `is in the future ("${instant.toISOString()}")`);
	}
	return dayOfInstant(instant, rule);
}

function dayOfInstant(instant: Date, rule: DeadlineRule): ReceiptDay {
	return { receivedAt: instant.toISOString(), day: calendarDateIn(instant, rule.timeZone) };
}

/** Whether the due date has passed: the day after `dueBy` has begun in the rule's time zone. */
export function isOverdue(dueBy: string, rule: DeadlineRule, now: Date): boolean {
	return formatDate(calendarDateIn(now, rule.timeZone)) > dueBy;
}

export function dueDate(received: CalendarDate, rule: DeadlineRule): CalendarDate {
	if (rule.regulation === 'gdpr') return monthsAfter(received, 1);
	return daysAfter(received, rule.regulation === 'ccpa' ? 45 : rule.days);
}

/**
 * The due date with an extension. GDPR: two further months, i.e. the same date three months after
 * receipt (or that month's last day), so receipt on 30 Nov gives 30 Dec, extended to 28 Feb. CCPA/CPRA:
 * 45 further days after the original due date; Custom: Extension Days further days.
 */
export function extendedDueDate(received: CalendarDate, rule: DeadlineRule): CalendarDate {
	if (rule.regulation === 'gdpr') return monthsAfter(received, 3);
	return daysAfter(dueDate(received, rule), rule.regulation === 'ccpa' ? 45 : rule.extensionDays);
}

/** The same date `months` later, or that month's last day. */
function monthsAfter(from: CalendarDate, months: number): CalendarDate {
	const first = new Date(Date.UTC(from.year, from.month - 1 + months, 1));
	const year = first.getUTCFullYear();
	const month = first.getUTCMonth() + 1;
	return { year, month, day: Math.min(from.day, daysInMonth(year, month)) };
}

function daysAfter(from: CalendarDate, days: number): CalendarDate {
	const due = new Date(Date.UTC(from.year, from.month - 1, from.day + days));
	return { year: due.getUTCFullYear(), month: due.getUTCMonth() + 1, day: due.getUTCDate() };
}

function daysInMonth(year: number, month: number): number {
	return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function calendarDate(year: number, month: number, day: number, given: unknown, field = FIELD): CalendarDate {
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
		throw new InvalidValueError(field, `is not a real date (${quoteBounded(String(given))})`);
	}
	return { year, month, day };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function calendarDateIn(instant: Date, timeZone: string): CalendarDate {
	let formatter = formatters.get(timeZone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' });
		formatters.set(timeZone, formatter);
	}
	const parts = formatter.formatToParts(instant);
	const part = (type: string) => Number(parts.find((entry) => entry.type === type)!.value);
	return { year: part('year'), month: part('month'), day: part('day') };
}

function formatDate({ year, month, day }: CalendarDate): string {
	return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
