import { describeValue, InvalidValueError, quoteBounded } from '../input/invalidValueError';

export type Regulation = 'gdpr' | 'ccpa' | 'custom';

/** How long the organisation has to answer a request, counted in the workflow's time zone. */
export interface DeadlineRule {
	regulation: Regulation;
	/** Only for `custom`: calendar days after the day of receipt. */
	days: number;
	timeZone: string;
}

export interface Deadline {
	/** When the request arrived, as given (or the time the node ran). */
	receivedAt: string;
	/** The last calendar day to complete the request, `YYYY-MM-DD`, in the rule's time zone. */
	dueBy: string;
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

const descriptions = new WeakMap<DeadlineRule, string>();

/** The rule in words, for every receipt (one string per run's rule, shared by all its receipts). */
export function describeRule(rule: DeadlineRule): string {
	let text = descriptions.get(rule);
	if (text === undefined) descriptions.set(rule, (text = ruleInWords(rule)));
	return text;
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
export function deadlineFor(value: unknown, rule: DeadlineRule, now: Date): Deadline {
	if (value === undefined || value === null || value === '') return deadlineOfInstant(now, rule);
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
	return { receivedAt: text, dueBy: formatDate(dueDate(date, rule)) };
}

function checkedInstant(instant: Date, rule: DeadlineRule, now: Date, given: unknown = instant): Deadline {
	if (Number.isNaN(instant.getTime())) throw new InvalidValueError(FIELD, `is not a valid date (${quoteBounded(String(given))})`);
	if (instant.getTime() > now.getTime() + ONE_DAY_MS) {
		throw new InvalidValueError(FIELD, `is in the future ("${instant.toISOString()}")`);
	}
	return deadlineOfInstant(instant, rule);
}

function deadlineOfInstant(instant: Date, rule: DeadlineRule): Deadline {
	return {
		receivedAt: instant.toISOString(),
		dueBy: formatDate(dueDate(calendarDateIn(instant, rule.timeZone), rule)),
	};
}

/** Whether the due date has passed: the day after `dueBy` has begun in the rule's time zone. */
export function isOverdue(dueBy: string, rule: DeadlineRule, now: Date): boolean {
	return formatDate(calendarDateIn(now, rule.timeZone)) > dueBy;
}

export function dueDate(received: CalendarDate, rule: DeadlineRule): CalendarDate {
	if (rule.regulation === 'gdpr') {
		const nextMonth = new Date(Date.UTC(received.year, received.month, 1));
		const year = nextMonth.getUTCFullYear();
		const month = nextMonth.getUTCMonth() + 1;
		return { year, month, day: Math.min(received.day, daysInMonth(year, month)) };
	}
	const days = rule.regulation === 'ccpa' ? 45 : rule.days;
	const due = new Date(Date.UTC(received.year, received.month - 1, received.day + days));
	return { year: due.getUTCFullYear(), month: due.getUTCMonth() + 1, day: due.getUTCDate() };
}

function daysInMonth(year: number, month: number): number {
	return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function calendarDate(year: number, month: number, day: number, given: unknown): CalendarDate {
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
		throw new InvalidValueError(FIELD, `is not a real date (${quoteBounded(String(given))})`);
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
