import type { IDataObject } from 'n8n-workflow';

import { e2eContext } from '../context';
import { FOLLOW_UP_PATHS, followUpSeeds, followUpTestWorkflows } from '../workflows/followUpExample';
import { publishWorkflow, type Rest } from './n8nServer';

/** n8n's time zone in the e2e runs: GENERIC_TIMEZONE, else n8n's default. */
export const n8nZone = () => e2eContext().env.GENERIC_TIMEZONE ?? 'America/New_York';

/** Today's calendar date (YYYY-MM-DD) in n8n's time zone. */
export const todayInN8nZone = () =>
	new Intl.DateTimeFormat('en-CA', { timeZone: n8nZone(), year: 'numeric', month: '2-digit', day: '2-digit' }).format(
		new Date(),
	);

/** The calendar date `days` before `isoDate`. */
export const daysBefore = (isoDate: string, days: number) => {
	const [year, month, day] = isoDate.split('-').map(Number);
	return new Date(Date.UTC(year, month - 1, day - days)).toISOString().slice(0, 10);
};

/** The same day number `months` later, or that month's last day (GDPR, as the nodes count a month). */
export const monthsAfter = (isoDate: string, months: number) => {
	const [year, month, day] = isoDate.split('-').map(Number);
	const lastDay = new Date(Date.UTC(year, month - 1 + months + 1, 0)).getUTCDate();
	return new Date(Date.UTC(year, month - 1 + months, Math.min(day, lastDay))).toISOString().slice(0, 10);
};

/** A seeded request's due dates, computed independently of n8n: the first (one month) and, with an extension, the extended one (three months). */
export function seedDueDates(requestId: string, today: string) {
	const seed = followUpSeeds.find((candidate) => candidate.requestId === requestId)!;
	const received = daysBefore(today, seed.receivedDaysAgo);
	const originalDueBy = monthsAfter(received, 1);
	return { received, originalDueBy, dueBy: seed.extension ? monthsAfter(received, 3) : originalDueBy };
}

/** "1 day", "3 days", as the digest counts. */
export const days = (count: number) => `${count} day${count === 1 ? '' : 's'}`;

/** "9 Dec 2026", as the digest writes a date (Luxon's `d LLL yyyy`, en-US). */
export const shortDate = (isoDate: string) => {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone: 'UTC',
		day: 'numeric',
		month: 'short',
		year: 'numeric',
	}).formatToParts(new Date(`${isoDate}T00:00:00Z`));
	const part = (type: string) => parts.find((candidate) => candidate.type === type)!.value;
	return `${part('day')} ${part('month')} ${part('year')}`;
};

/** "November 2026", as the summary writes a month (`LLLL yyyy`, en-US). */
export const monthName = (isoDate: string) =>
	new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(
		new Date(`${isoDate}T00:00:00Z`),
	);

/** What each seeded request is after the follow-up's check, and its days to completion. */
export const afterFollowUp: Record<string, { state: 'open' | 'onTime' | 'late'; days?: number }> = {
	'seed-overdue': { state: 'open' },
	'seed-due-soon': { state: 'open' },
	'seed-open': { state: 'open' },
	'seed-late': { state: 'late', days: 40 },
	'seed-on-time': { state: 'onTime', days: 3 },
	'seed-done': { state: 'onTime', days: 15 },
	'seed-no-address': { state: 'open' },
	'seed-extended': { state: 'open' },
	// Late against its first due date, on time against the extended one.
	'seed-extended-done': { state: 'onTime', days: 40 },
};

const median = (values: number[]) => {
	if (values.length === 0) return 'n/a';
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	const value = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	return Number.isInteger(value) ? String(value) : value.toFixed(1);
};

/** The rows the monthly summary's table should have for the seeded log, computed independently. */
export function expectedSummaryTable(today: string): string[][] {
	const count = (ids: string[]) => {
		const outcomes = ids.map((id) => afterFollowUp[id]);
		return [
			ids.length,
			outcomes.filter(({ state }) => state === 'onTime').length,
			outcomes.filter(({ state }) => state === 'late').length,
			outcomes.filter(({ state }) => state === 'open').length,
			median(outcomes.flatMap(({ days }) => (days === undefined ? [] : [days]))),
		].map(String);
	};
	const months = new Map<string, string[]>();
	for (const seed of followUpSeeds) {
		const month = daysBefore(today, seed.receivedDaysAgo).slice(0, 7);
		months.set(month, [...(months.get(month) ?? []), seed.requestId]);
	}
	const thisMonth = today.slice(0, 7);
	return [
		['Received in', 'Requests', 'Completed on time', 'Completed late', 'Still open', 'Median days to completion'],
		...[...months.keys()]
			.sort()
			.reverse()
			.map((month) => [
				`${monthName(`${month}-01`)}${month === thisMonth ? ' (so far)' : ''}`,
				...count(months.get(month)!),
			]),
		['All requests in the log', ...count(followUpSeeds.map(({ requestId }) => requestId))],
	];
}

const text = (html: string) =>
	html
		.replace(/<[^>]+>/g, '')
		.replaceAll('&amp;', '&')
		.replace(/\s+/g, ' ')
		.trim();

/** The cells of every row of the first HTML table in `html`, as text. */
export const tableRows = (html: string) =>
	[...html.matchAll(/<tr>(.*?)<\/tr>/gs)].map(([, row]) =>
		[...row.matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/gs)].map(([, cell]) => text(cell)),
	);

/** The part of the digest under the heading that starts with `title`, up to the next heading or paragraph. */
export function digestSection(html: string, title: string): string | undefined {
	const start = html.search(new RegExp(`<h3[^>]*>${title.replace(/[()]/g, '\\$&')}`));
	if (start < 0) return undefined;
	const rest = html.slice(start + 3);
	const end = rest.search(/<h3|<p style="font-family:sans-serif;color/);
	return html.slice(start, end < 0 ? undefined : start + 3 + end);
}

/** Rows by requestId. */
export const byRequestId = (rows: IDataObject[]) =>
	Object.fromEntries(rows.map((row) => [row.requestId as string, row]));

/** Publishes the follow-up tests' workflows (each behind a webhook) and waits for their routes. */
export async function publishFollowUpWorkflows(n8nUrl: string, rest: Rest) {
	const paths: string[] = Object.values(FOLLOW_UP_PATHS);
	for (const [index, workflow] of followUpTestWorkflows.entries()) {
		await publishWorkflow(n8nUrl, rest, workflow.id, { method: 'OPTIONS', path: `/webhook/${paths[index]}` });
	}
}

/** Runs one of them through its webhook; resolves with the items its last node output. */
export async function runFollowUpWorkflow(n8nUrl: string, name: keyof typeof FOLLOW_UP_PATHS): Promise<IDataObject[]> {
	const response = await fetch(`${n8nUrl}/webhook/${FOLLOW_UP_PATHS[name]}`, { method: 'POST' });
	const body = await response.text();
	if (response.status !== 200)
		throw new Error(`The "${name}" workflow answered ${response.status}: ${body.slice(0, 3000)}`);
	const items = JSON.parse(body) as IDataObject | IDataObject[];
	return Array.isArray(items) ? items : [items];
}

interface DataTable {
	id: string;
	name: string;
	projectId: string;
}

/** Every row of the data table "Erasure log", through n8n's REST API (as the editor reads it). */
export async function erasureLogRows(rest: Rest): Promise<IDataObject[]> {
	const tables = await rest<unknown>('GET', '/data-tables-global');
	const list = (tables.data as { data?: DataTable[] }).data ?? (tables.data as DataTable[]);
	const table = list.find((candidate) => candidate.name === 'Erasure log');
	if (!table) throw new Error('No data table "Erasure log"');
	const found = await rest<unknown>('GET', `/projects/${table.projectId}/data-tables/${table.id}/rows?take=250`);
	const rows = (found.data as { data?: IDataObject[] }).data ?? (found.data as IDataObject[]);
	return rows;
}
