import nock from 'nock';
import { describe, expect, it } from 'vitest';

import { BloomreachEngagement } from '../../nodes/BloomreachEngagement/BloomreachEngagement.node';
import { Blueshift } from '../../nodes/Blueshift/Blueshift.node';
import { CustomerGauge } from '../../nodes/CustomerGauge/CustomerGauge.node';
import { runNode, type OnError } from '../harness/engine';
import { bloomreachBulkByEmail, blueshiftByEmail } from '../harness/nodeParameters';

function run(
	items: Array<Record<string, unknown>>,
	{
		options = {},
		timezone,
		onError = 'continueRegularOutput',
	}: { options?: Record<string, unknown>; timezone?: string; onError?: OnError } = {},
) {
	return runNode({
		node: new CustomerGauge(),
		parameters: {
			resource: 'contact',
			authentication: 'apiKey',
			operation: 'anonymize',
			identifyBy: 'email',
			email: '={{ $json.email }}',
			options: { identifierInOutput: 'asGiven', dryRun: true, receivedAt: '={{ $json.receivedAt }}', ...options },
		},
		credentials: { customerGaugeApi: { region: 'eu', apiKey: 'cg-secret-key-1' } },
		items,
		onError,
		timezone,
	});
}

const dueBys = (result: Awaited<ReturnType<typeof run>>) =>
	result.main.map((item) => [item.json.receivedAt, item.json.dueBy]);

describe('the legal deadline on every receipt', () => {
	it('GDPR: one calendar month, to the last day of a shorter month, leap years included', async () => {
		const received = ['2026-01-31', '2024-01-31', '2026-03-31', '2025-12-15', '2026-02-28', '2024-02-29'];
		const result = await run(received.map((receivedAt, index) => ({ email: `p${index}@example.com`, receivedAt })));

		expect(dueBys(result)).toEqual([
			['2026-01-31', '2026-02-28'],
			['2024-01-31', '2024-02-29'],
			['2026-03-31', '2026-04-30'],
			['2025-12-15', '2026-01-15'],
			['2026-02-28', '2026-03-28'],
			['2024-02-29', '2024-03-29'],
		]);
		expect(result.main[0].json.dueByRule).toBe(
			"GDPR Art. 12(3): one month, to the same date of the next month (or that month's last day), counted from the day of receipt in the time zone America/New_York",
		);
	});

	it('CCPA/CPRA: 45 calendar days, across the year end and a leap February', async () => {
		const received = ['2025-12-20', '2024-02-01', '2025-02-01'];
		const result = await run(
			received.map((receivedAt, index) => ({ email: `p${index}@example.com`, receivedAt })),
			{ options: { regulation: 'ccpa' } },
		);

		expect(dueBys(result).map(([, dueBy]) => dueBy)).toEqual(['2026-02-03', '2024-03-17', '2025-03-18']);
		expect(result.main[0].json.dueByRule).toBe(
			'CCPA/CPRA: 45 calendar days, counted from the day of receipt in the time zone America/New_York',
		);
	});

	it('Custom: the given number of days', async () => {
		const result = await run([{ email: 'a@example.com', receivedAt: '2026-01-31' }], {
			options: { regulation: 'custom', daysToRespond: 10 },
		});

		expect(dueBys(result)).toEqual([['2026-01-31', '2026-02-10']]);
		expect(result.main[0].json.dueByRule).toBe(
			'10 calendar days, counted from the day of receipt in the time zone America/New_York',
		);
	});

	it("counts from the day of receipt in the workflow's time zone, not in UTC", async () => {
		const late = { email: 'a@example.com', receivedAt: '2026-05-10T23:30:00Z' };
		const berlin = await run([late], { timezone: 'Europe/Berlin' });
		const losAngeles = await run([late], { timezone: 'America/Los_Angeles' });

		// 23:30 UTC on 10 May is already 11 May in Berlin, still 10 May in Los Angeles.
		expect(dueBys(berlin)).toEqual([['2026-05-10T23:30:00.000Z', '2026-06-11']]);
		expect(dueBys(losAngeles)).toEqual([['2026-05-10T23:30:00.000Z', '2026-06-10']]);
		expect(berlin.main[0].json.dueByRule).toContain('in the time zone Europe/Berlin');
	});

	it('reads an offset, a wall-clock time (in the workflow time zone) and a Unix time in milliseconds, as a number or as text', async () => {
		const result = await run(
			[
				{ email: 'a@example.com', receivedAt: '2026-05-31T01:00:00+02:00' },
				{ email: 'b@example.com', receivedAt: '2026-05-31T01:00:00' },
				{ email: 'c@example.com', receivedAt: Date.UTC(2026, 0, 31, 12) },
				{ email: 'd@example.com', receivedAt: '1773144000000' },
				{ email: 'e@example.com', receivedAt: ' 1769860800000 ' },
			],
			{ timezone: 'Europe/Berlin' },
		);

		expect(dueBys(result)).toEqual([
			['2026-05-30T23:00:00.000Z', '2026-06-30'],
			['2026-05-31T01:00:00', '2026-06-30'],
			['2026-01-31T12:00:00.000Z', '2026-02-28'],
			['2026-03-10T12:00:00.000Z', '2026-04-10'],
			['2026-01-31T12:00:00.000Z', '2026-02-28'],
		]);
	});

	it('refuses digits that are not a Unix time in milliseconds (13 digits), naming the field', async () => {
		const result = await run([
			{ email: 'a@example.com', receivedAt: '20260131' },
			{ email: 'b@example.com', receivedAt: '1773144000' },
		]);

		expect(
			result.main.map((item) => [item.json.status, item.json.dueBy, (item.json.failure as { field?: string })?.field]),
		).toEqual([
			['failed', null, 'Request Received At'],
			['failed', null, 'Request Received At'],
		]);
		expect(result.main[1].json.message).toBe(
			'Not sent: Request Received At is not an ISO 8601 date or date-time, nor a Unix time in milliseconds ("1773144000"): use e.g. 2026-01-31, 2026-01-31T14:05:00Z or 1769860800000.',
		);
	});

	it.each([0, -3, 1e9, 2.5])(
		'Custom: refuses Days to Respond %s, naming the field, and sends nothing',
		async (daysToRespond) => {
			const items = [{ email: 'a@example.com', receivedAt: '2026-01-31' }, { email: 'b@example.com' }];
			const options = { regulation: 'custom', daysToRespond, dryRun: false };
			const api = nock('https://api.eu.customergauge.com')
				.post('/v4.1/anonymize.json')
				.reply(200, { Data: { message: 'Record updated successfully' } });

			const continued = await run(items, { options });
			const stopped = await run(items, { options, onError: 'stopWorkflow' });

			expect(api.isDone()).toBe(false);
			const problem = `must be a whole number of days from 1 to 3650, got ${daysToRespond}`;
			expect(continued.main.map((item) => item.json)).toEqual(
				[0, 1].map(() =>
					expect.objectContaining({
						status: 'failed',
						attempts: 0,
						dueBy: null,
						message: `Not sent: Days to Respond ${problem}.`,
						failure: { reason: 'invalid_input', field: 'Days to Respond', description: problem },
					}),
				),
			);
			expect(stopped.main).toEqual([]);
			expect(stopped.error?.message).toBe(`Days to Respond ${problem}`);
		},
	);

	it('Custom: accepts Days to Respond 1 and 3650, the ends of its range', async () => {
		const first = await run([{ email: 'a@example.com', receivedAt: '2026-01-31' }], {
			options: { regulation: 'custom', daysToRespond: 1 },
		});
		const last = await run([{ email: 'a@example.com', receivedAt: '2026-01-31' }], {
			options: { regulation: 'custom', daysToRespond: 3650 },
		});

		expect([...dueBys(first), ...dueBys(last)]).toEqual([
			['2026-01-31', '2026-02-01'],
			['2026-01-31', '2036-01-29'],
		]);
	});

	it('without Request Received At, counts from the time the node runs', async () => {
		const before = Date.now();
		const result = await run([{ email: 'a@example.com' }], { options: { receivedAt: '' }, timezone: 'UTC' });

		const receivedAt = Date.parse(String(result.main[0].json.receivedAt));
		expect(receivedAt).toBeGreaterThanOrEqual(before);
		expect(receivedAt).toBeLessThanOrEqual(Date.now());
		const received = new Date(receivedAt);
		const nextMonth = new Date(Date.UTC(received.getUTCFullYear(), received.getUTCMonth() + 1, 1));
		const lastDay = new Date(Date.UTC(nextMonth.getUTCFullYear(), nextMonth.getUTCMonth() + 1, 0)).getUTCDate();
		const expected = new Date(
			Date.UTC(nextMonth.getUTCFullYear(), nextMonth.getUTCMonth(), Math.min(received.getUTCDate(), lastDay)),
		);
		expect(result.main[0].json.dueBy).toBe(expected.toISOString().slice(0, 10));
	});

	it('fails an item whose date cannot be read, naming the field and the problem, and sends the others', async () => {
		nock('https://api.eu.customergauge.com')
			.post('/v4.1/anonymize.json', { email: 'good@example.com' })
			.reply(200, { Data: { message: 'Record updated successfully' } });
		const future = new Date(Date.now() + 3 * 86_400_000).toISOString();

		const result = await run(
			[
				{ email: 'good@example.com', receivedAt: '2026-01-31' },
				{ email: 'b@example.com', receivedAt: 'last Tuesday' },
				{ email: 'c@example.com', receivedAt: '2026-02-30' },
				{ email: 'd@example.com', receivedAt: future },
				{ email: 'e@example.com', receivedAt: { when: 'today' } },
			],
			{ options: { dryRun: false } },
		);

		expect(result.main.map((item) => [item.json.status, item.json.dueBy, item.json.message])).toEqual([
			['accepted', '2026-02-28', expect.stringContaining('CustomerGauge accepted')],
			[
				'failed',
				null,
				'Not sent: Request Received At is not an ISO 8601 date or date-time, nor a Unix time in milliseconds ("last Tuesday"): use e.g. 2026-01-31, 2026-01-31T14:05:00Z or 1769860800000.',
			],
			['failed', null, 'Not sent: Request Received At is not a real date ("2026-02-30").'],
			['failed', null, `Not sent: Request Received At is in the future ("${future}").`],
			['failed', null, 'Not sent: Request Received At must be a date, got an object.'],
		]);
		expect(result.main[1].json.failure).toEqual({
			reason: 'invalid_input',
			field: 'Request Received At',
			description:
				'is not an ISO 8601 date or date-time, nor a Unix time in milliseconds ("last Tuesday"): use e.g. 2026-01-31, 2026-01-31T14:05:00Z or 1769860800000',
		});
		expect(nock.isDone()).toBe(true);
	});

	it('refuses a wall-clock time in the future as it refuses an instant', async () => {
		const result = await run([{ email: 'a@example.com', receivedAt: '2099-01-01T10:00:00' }]);

		expect(result.main.map((item) => [item.json.status, item.json.dueBy, item.json.message])).toEqual([
			['failed', null, 'Not sent: Request Received At is in the future ("2099-01-01T10:00:00").'],
		]);
	});

	it('with On Error: Stop, refuses the run before sending anything and names the item', async () => {
		const result = await run(
			[
				{ email: 'a@example.com', receivedAt: '2026-01-31' },
				{ email: 'b@example.com', receivedAt: '31/01/2026' },
			],
			{ options: { dryRun: false }, onError: 'stopWorkflow' },
		);

		expect(result.main).toEqual([]);
		expect(result.error?.message).toBe(
			'Item 2: Request Received At is not an ISO 8601 date or date-time, nor a Unix time in milliseconds ("31/01/2026"): use e.g. 2026-01-31, 2026-01-31T14:05:00Z or 1769860800000',
		);
	});
});

const GDPR_RULE =
	"GDPR Art. 12(3): one month, to the same date of the next month (or that month's last day), counted from the day of receipt in the time zone America/New_York";

/** Received, told and due dates of one item: [dueBy, originalDueBy, extension]. */
const extended = (result: Awaited<ReturnType<typeof run>>) =>
	result.main.map((item) => [item.json.dueBy, item.json.originalDueBy, item.json.extension]);

/** A day `days` from today (UTC), `YYYY-MM-DD`. */
const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('an extension of the deadline (Extension Reason, Person Told of Extension On)', () => {
	const reason = 'Data held in several archived systems';

	it("GDPR: two further months, to the same date three months after receipt or that month's last day", async () => {
		const received = [
			['2026-11-30', '2026-12-01'],
			['2026-01-31', '2026-02-28'],
			['2025-11-30', '2025-12-30'],
			['2026-03-15', '2026-03-16'],
		];
		const result = await run(
			received.map(([receivedAt, toldOn], index) => ({ email: `p${index}@example.com`, receivedAt, toldOn })),
			{ options: { extensionReason: reason, extensionToldOn: '={{ $json.toldOn }}' } },
		);

		const told = (personToldOn: string) => ({ reason, personToldOn });
		expect(extended(result)).toEqual([
			['2027-02-28', '2026-12-30', told('2026-12-01')],
			['2026-04-30', '2026-02-28', told('2026-02-28')],
			['2026-02-28', '2025-12-30', told('2025-12-30')],
			['2026-06-15', '2026-04-15', told('2026-03-16')],
		]);
		expect(result.main[0].json.dueByRule).toBe(
			`${GDPR_RULE}; extended by two further months (Art. 12(3)), to the same date three months after receipt (or that month's last day), the person told on 2026-12-01: ${reason}`,
		);
	});

	it('without an extension, originalDueBy is dueBy and extension is null; an empty reason is no extension', async () => {
		const result = await run(
			[
				{ email: 'a@example.com', receivedAt: '2026-01-31', reason: '' },
				{ email: 'b@example.com', receivedAt: '2026-01-31', reason: '   ' },
			],
			{ options: { extensionReason: '={{ $json.reason }}', extensionToldOn: '2026-02-01' } },
		);

		expect(extended(result)).toEqual([
			['2026-02-28', '2026-02-28', null],
			['2026-02-28', '2026-02-28', null],
		]);
		expect(result.main[0].json.dueByRule).toBe(GDPR_RULE);
	});

	it('CCPA/CPRA: 45 further calendar days after the original due date', async () => {
		const result = await run([{ email: 'a@example.com', receivedAt: '2025-12-20' }], {
			options: { regulation: 'ccpa', extensionReason: reason, extensionToldOn: '2026-01-05T10:00:00Z' },
		});

		expect(extended(result)).toEqual([['2026-03-20', '2026-02-03', { reason, personToldOn: '2026-01-05' }]]);
		expect(result.main[0].json.dueByRule).toBe(
			`CCPA/CPRA: 45 calendar days, counted from the day of receipt in the time zone America/New_York; extended by 45 further calendar days after the original due date, the person told on 2026-01-05: ${reason}`,
		);
	});

	it('Custom: Extension Days further calendar days after the original due date', async () => {
		const result = await run([{ email: 'a@example.com', receivedAt: '2026-01-31' }], {
			options: {
				regulation: 'custom',
				daysToRespond: 10,
				extensionDays: 20,
				extensionReason: reason,
				extensionToldOn: '2026-02-10',
			},
		});

		expect(extended(result)).toEqual([['2026-03-02', '2026-02-10', { reason, personToldOn: '2026-02-10' }]]);
		expect(result.main[0].json.dueByRule).toBe(
			`10 calendar days, counted from the day of receipt in the time zone America/New_York; extended by 20 further calendar days after the original due date, the person told on 2026-02-10: ${reason}`,
		);
	});

	it('bounds a long reason in dueByRule, and keeps it whole in extension.reason', async () => {
		const long = 'x'.repeat(500);
		const result = await run([{ email: 'a@example.com', receivedAt: '2026-01-31' }], {
			options: { extensionReason: long, extensionToldOn: '2026-02-01' },
		});

		expect(result.main[0].json.dueByRule).toMatch(new RegExp(`: ${'x'.repeat(200)}… \\(500 characters\\)$`));
		expect((result.main[0].json.extension as { reason: string }).reason).toBe(long);
	});

	it('refuses an extension without the day the person was told, told after the original due date, or told in the future, naming the field', async () => {
		const future = daysFromToday(5);
		const result = await run(
			[
				{ email: 'a@example.com', receivedAt: '2026-01-31', toldOn: '' },
				{ email: 'b@example.com', receivedAt: '2026-01-31', toldOn: '2026-03-01' },
				{ email: 'c@example.com', receivedAt: '2026-01-31', toldOn: future },
				{ email: 'd@example.com', receivedAt: '2026-01-31', toldOn: '2026-02-28' },
			],
			{ options: { extensionReason: reason, extensionToldOn: '={{ $json.toldOn }}' } },
		);

		expect(result.main.map((item) => [item.json.status, item.json.dueBy, item.json.message])).toEqual([
			[
				'failed',
				null,
				'Not sent: Person Told of Extension On is required with Extension Reason: the day the person was told of the extension.',
			],
			[
				'failed',
				null,
				'Not sent: Person Told of Extension On is after the original due date 2026-02-28 (2026-03-01): the person must be told of an extension within the time to respond.',
			],
			['failed', null, `Not sent: Person Told of Extension On is in the future ("${future}").`],
			['dry_run', '2026-04-30', expect.any(String)],
		]);
		expect(result.main[1].json.failure).toEqual({
			reason: 'invalid_input',
			field: 'Person Told of Extension On',
			description:
				'is after the original due date 2026-02-28 (2026-03-01): the person must be told of an extension within the time to respond',
		});
	});

	it('with On Error: Stop, a refused extension stops the run before sending anything, naming the item', async () => {
		const api = nock('https://api.eu.customergauge.com')
			.post('/v4.1/anonymize.json')
			.reply(200, { Data: { message: 'Record updated successfully' } });
		const result = await run(
			[
				{ email: 'a@example.com', receivedAt: '2026-01-31', toldOn: '2026-02-01' },
				{ email: 'b@example.com', receivedAt: '2026-01-31', toldOn: '2026-03-01' },
			],
			{
				options: { dryRun: false, extensionReason: reason, extensionToldOn: '={{ $json.toldOn }}' },
				onError: 'stopWorkflow',
			},
		);

		expect(api.isDone()).toBe(false);
		nock.cleanAll();
		expect(result.main).toEqual([]);
		expect(result.error?.message).toBe(
			'Item 2: Person Told of Extension On is after the original due date 2026-02-28 (2026-03-01): the person must be told of an extension within the time to respond',
		);
	});

	it.each([0, -3, 1e9, 2.5])(
		'Custom: refuses Extension Days %s, naming the field, and sends nothing',
		async (extensionDays) => {
			const items = [{ email: 'a@example.com', receivedAt: '2026-01-31' }];
			const options = {
				regulation: 'custom',
				extensionDays,
				extensionReason: reason,
				extensionToldOn: '2026-02-01',
				dryRun: false,
			};
			const api = nock('https://api.eu.customergauge.com')
				.post('/v4.1/anonymize.json')
				.reply(200, { Data: { message: 'Record updated successfully' } });

			const continued = await run(items, { options });
			const stopped = await run(items, { options, onError: 'stopWorkflow' });

			expect(api.isDone()).toBe(false);
			nock.cleanAll();
			const problem = `must be a whole number of days from 1 to 3650, got ${extensionDays}`;
			expect(continued.main[0].json).toMatchObject({
				status: 'failed',
				attempts: 0,
				dueBy: null,
				originalDueBy: null,
				extension: null,
				message: `Not sent: Extension Days ${problem}.`,
				failure: { reason: 'invalid_input', field: 'Extension Days', description: problem },
			});
			expect(stopped.error?.message).toBe(`Extension Days ${problem}`);
		},
	);

	it("every vendor's receipts carry the extended dueBy, originalDueBy and the extension", async () => {
		const items = [{ email: 'jane@example.com', receivedAt: '2026-11-30' }];
		const options = {
			dryRun: true,
			receivedAt: '={{ $json.receivedAt }}',
			extensionReason: reason,
			extensionToldOn: '2026-12-01',
		};
		const bloomreach = await runNode({
			node: new BloomreachEngagement(),
			parameters: { ...bloomreachBulkByEmail, options },
			credentials: {
				bloomreachEngagementApi: {
					instanceUrl: 'https://api.exponea.com',
					projectToken: 'proj-token-1',
					apiKeyId: 'key-id-1',
					apiSecret: 'secret-value-1',
				},
			},
			items,
		});
		const blueshift = await runNode({
			node: new Blueshift(),
			parameters: { ...blueshiftByEmail('delete'), options },
			credentials: { blueshiftApi: { region: 'us', customBaseUrl: '', userApiKey: 'bs-user-key' } },
			items,
		});
		const customerGauge = await run(items, { options });

		for (const result of [bloomreach, blueshift, customerGauge]) {
			expect(result.main[0].json).toMatchObject({
				status: 'dry_run',
				dueBy: '2027-02-28',
				originalDueBy: '2026-12-30',
				extension: { reason, personToldOn: '2026-12-01' },
				dueByRule: expect.stringContaining(`extended by two further months (Art. 12(3))`),
			});
		}
	});
});
