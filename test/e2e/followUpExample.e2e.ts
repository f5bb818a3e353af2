import type { IDataObject } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { selectedRuntime } from '../../scripts/lib/n8n-runtime.mjs';
import {
	byRequestId,
	days,
	daysBefore,
	digestSection,
	erasureLogRows,
	expectedSummaryTable,
	publishFollowUpWorkflows,
	runFollowUpWorkflow,
	seedDueDates,
	shortDate,
	tableRows,
	todayInN8nZone,
} from './support/followUp';
import { inbox } from './support/mail';
import { ownerSession, type Rest, type RunningN8n, startN8n } from './support/n8nServer';
import { requestLines, simulator } from './support/simulator';
import { followUpSeeds, PRIVACY_TEAM } from './workflows/followUpExample';

// n8n 1.x cannot create data tables (docs/privacy-officer.md, Security model): the Erasure log needs n8n 2.x.
const n8nMajor = Number(selectedRuntime().n8nVersion.split('.')[0]);
const tablesCanBeCreated = n8nMajor >= 2;

const seededEmails = followUpSeeds.flatMap(({ email }) => (email ? [email] : []));

let n8n: RunningN8n | undefined;
let rest: Rest;

describe.runIf(tablesCanBeCreated)('"Erasure follow-up and summary (schedule)" on a seeded Erasure log', () => {
	// \`n8n execute\` does not load n8n's data table module: the test workflows run in \`n8n start\`,
	// each started by a webhook in place of its Schedule Trigger.
	const run = (name: Parameters<typeof runFollowUpWorkflow>[1]) => runFollowUpWorkflow(n8n!.url, name);

	beforeAll(async () => {
		n8n = await startN8n();
		rest = await ownerSession(n8n.url);
		await publishFollowUpWorkflows(n8n.url, rest);
	});
	// Other test files expect no Erasure log, or only their own rows in it.
	afterAll(async () => {
		if (n8n) await run('drop').catch(() => undefined);
		await n8n?.stop();
	});
	beforeEach(async () => {
		await simulator.reset();
		await inbox.clear();
	});

	it('checks every open request again at both vendors, updates its row, and emails the privacy team a digest', async () => {
		const seeded = byRequestId(await run('seed'));
		expect(Object.keys(seeded)).toHaveLength(followUpSeeds.length);
		const started = Date.now();

		await run('followUp');

		// What the vendors saw: read-only checks, one per vendor for each open request with an address.
		const lines = requestLines(await simulator.requests()).filter(
			(line) => line !== 'POST customerGauge token 200' && !line.endsWith(' 401'),
		);
		expect(lines.sort()).toEqual([
			...Array(7).fill('GET blueshift search 200'),
			...Array(7).fill('GET customerGauge preview 200'),
		]);

		// The log after the check, as n8n's editor reads it.
		const rows = byRequestId(await erasureLogRows(rest));
		const checkedNow = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/);
		const open = { completed: false, completedAt: null, completedLate: false, checkedAt: checkedNow };
		expect(rows['seed-overdue']).toMatchObject({
			...open,
			email: 'nina@example.com',
			customerGauge: 'pending',
			blueshift: 'completed',
			overdue: true,
		});
		expect(rows['seed-due-soon']).toMatchObject({
			...open,
			email: 'maria@example.com',
			customerGauge: 'pending',
			blueshift: 'completed',
			overdue: false,
		});
		expect(rows['seed-open']).toMatchObject({
			...open,
			email: 'solo@example.com',
			customerGauge: 'completed',
			blueshift: 'pending',
			overdue: false,
		});
		// No address to check with (a row written before the log kept it): both checks fail, the row stays open.
		expect(rows['seed-no-address']).toMatchObject({
			...open,
			email: null,
			customerGauge: 'failed',
			blueshift: 'failed',
			overdue: false,
		});
		// Completed by this check: the address is blanked; completedAt is the check's time.
		const completed = {
			email: null,
			customerGauge: 'completed',
			blueshift: 'completed',
			completed: true,
			overdue: false,
		};
		expect(rows['seed-late']).toMatchObject({ ...completed, completedLate: true });
		expect(rows['seed-on-time']).toMatchObject({ ...completed, completedLate: false });
		for (const id of ['seed-late', 'seed-on-time']) {
			expect(rows[id].completedAt).toBe(rows[id].checkedAt);
			expect(Date.parse(rows[id].completedAt as string)).toBeGreaterThanOrEqual(started - 1_000);
		}
		// Extended by the privacy officer in the row: the first due date has passed, the extended one
		// has not. Verify counted from the extended date, and the row has it now.
		const today = todayInN8nZone();
		const extended = seedDueDates('seed-extended', today);
		const extendedDone = seedDueDates('seed-extended-done', today);
		for (const [id, dates] of [
			['seed-extended', extended],
			['seed-extended-done', extendedDone],
		] as const) {
			expect(seeded[id]).toMatchObject({ dueBy: dates.originalDueBy, originalDueBy: dates.originalDueBy });
			expect(dates.originalDueBy < today && dates.dueBy >= today).toBe(true);
		}
		expect(rows['seed-extended']).toMatchObject({
			...open,
			email: 'tom@example.com',
			customerGauge: 'pending',
			blueshift: 'completed',
			overdue: false,
			dueBy: extended.dueBy,
			originalDueBy: extended.originalDueBy,
			extensionReason: 'Data held in several archived systems',
			extensionToldOn: daysBefore(today, 85 - 20),
		});
		// Completed by this check after its first due date, within the extended one: not late.
		expect(rows['seed-extended-done']).toMatchObject({
			...completed,
			completedLate: false,
			dueBy: extendedDone.dueBy,
			originalDueBy: extendedDone.originalDueBy,
			extensionReason: 'Many requests this month',
			extensionToldOn: daysBefore(today, 40 - 10),
		});
		expect(rows['seed-extended-done'].completedAt).toBe(rows['seed-extended-done'].checkedAt);
		// Completed before: not checked again, not changed.
		const columns = ({ createdAt, updatedAt, ...rest }: IDataObject) => rest;
		expect(columns(rows['seed-done'])).toEqual(columns(seeded['seed-done']));
		// The other columns are as seeded; dueBy too, but for the extended requests.
		for (const id of Object.keys(seeded)) {
			const keep = ({
				requestId,
				person,
				receivedAt,
				originalDueBy,
				extensionReason,
				extensionToldOn,
			}: IDataObject) => ({
				requestId,
				person,
				receivedAt,
				originalDueBy,
				extensionReason,
				extensionToldOn,
			});
			expect(keep(rows[id])).toEqual(keep(seeded[id]));
			expect(rows[id].dueBy).toBe(id.startsWith('seed-extended') ? seedDueDates(id, today).dueBy : seeded[id].dueBy);
		}

		// The digest, as the local mail server received it.
		const digest = await inbox.nth(PRIVACY_TEAM, 1);
		expect(digest.subject).toBe(`Erasure follow-up ${today}: 5 open, 2 due within 7 days, 1 overdue`);
		expect(tableRows(digest.html).slice(0, 2)).toEqual([
			['Open', 'Due within 7 days', 'Overdue', 'Completed in the last 24 hours', 'of which after their due date'],
			['5', '2', '1', '3', '1'],
		]);
		const listed = (title: string) =>
			tableRows(digestSection(digest.html, title) ?? '')
				.slice(1)
				.map(([requestId, , dueBy, when]) => [requestId, dueBy, when]);
		const dueBy = (id: string) =>
			shortDate(rows[id].dueBy as string) +
			(id.startsWith('seed-extended') ? ` (extended from ${shortDate(rows[id].originalDueBy as string)})` : '');
		// As the digest orders a list: by dueBy, then requestId.
		const byDueBy = (ids: string[]) =>
			[...ids].sort((a, b) => String(rows[a].dueBy).localeCompare(String(rows[b].dueBy)) || a.localeCompare(b));
		const daysFromToday = (id: string) =>
			Math.round((Date.parse(rows[id].dueBy as string) - Date.parse(today)) / 86_400_000);
		expect(listed('Overdue (1)')).toEqual([
			['seed-overdue', dueBy('seed-overdue'), `${days(-daysFromToday('seed-overdue'))} late`],
		]);
		// The extended request is due soon, not overdue.
		expect(listed('Due within 7 days (2)')).toEqual(
			byDueBy(['seed-due-soon', 'seed-extended']).map((id) => [id, dueBy(id), `in ${days(daysFromToday(id))}`]),
		);
		expect(listed('Open, due later (2)').map(([requestId]) => requestId)).toEqual(
			byDueBy(['seed-open', 'seed-no-address']),
		);
		expect(
			tableRows(digestSection(digest.html, 'Completed in the last 24 hours (3)') ?? '')
				.slice(1)
				.map(([requestId, due, , onTime]) => [requestId, due, onTime]),
		).toEqual(
			byDueBy(['seed-late', 'seed-on-time', 'seed-extended-done']).map((id) => [
				id,
				dueBy(id),
				id === 'seed-late' ? 'no, late' : 'yes',
			]),
		);
		expect(digest.html).not.toContain('seed-done');
		// No email address of anyone in the digest.
		expect(digest.html).not.toContain('@');
		for (const email of seededEmails) expect(digest.text ?? '').not.toContain(email);
	});

	it('with no Erasure log yet: creates it, checks nothing, and sends a digest that says nothing is open', async () => {
		await run('drop');

		await run('followUp');

		expect(await simulator.requests()).toEqual([]);
		expect(await erasureLogRows(rest)).toEqual([]);
		const digest = await inbox.nth(PRIVACY_TEAM, 1);
		expect(digest.subject).toBe(`Erasure follow-up ${todayInN8nZone()}: 0 open, 0 due within 7 days, 0 overdue`);
		expect(tableRows(digest.html)[1]).toEqual(['0', '0', '0', '0', '0']);
	});

	it('the monthly summary: requests by month of receipt, completed on time and late, still open, median days', async () => {
		await run('seed');
		await run('followUp');
		await inbox.nth(PRIVACY_TEAM, 1);
		const before = (await simulator.requests()).length;

		await run('summary');

		// The summary reads the log only: nothing reaches a vendor.
		expect((await simulator.requests()).length).toBe(before);
		const summary = await inbox.nth(PRIVACY_TEAM, 2);
		const today = todayInN8nZone();
		expect(summary.subject).toMatch(/^Erasure requests: monthly summary as of \d{1,2} [A-Z][a-z]+ \d{4}$/);
		expect(tableRows(summary.html)).toEqual(expectedSummaryTable(today));
		expect(summary.html).not.toContain('@');
		expect(summary.html).not.toContain('seed-');
	});
});
