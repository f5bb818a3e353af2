/**
 * The data table "Erasure log" as the examples define and write it: both examples create it with
 * the same columns, write only those columns, and the privacy officer's guide
 * (docs/privacy-officer.md, "The Erasure log") defines every one of them; a deadline extension
 * recorded in a row reaches Verify, and the digest and the summary count from it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

import { describe, expect, it } from 'vitest';

interface ExampleNode {
	name: string;
	type: string;
	parameters: {
		columns?: { column?: Array<{ name: string; type: string }> };
		assignments?: { assignments: Array<{ name: string; value: string }> };
		options?: Record<string, unknown>;
		jsCode?: string;
	};
}

// The Luxon that n8n-workflow brings: the one behind DateTime, $now and $today in n8n's Code node.
const { DateTime } = createRequire(createRequire(__filename).resolve('n8n-workflow'))(
	'luxon',
) as typeof import('luxon');

const root = path.resolve(__dirname, '..', '..');
const example = (file: string) =>
	JSON.parse(readFileSync(path.join(root, 'examples', file), 'utf8')) as { nodes: ExampleNode[] };
const record = example('erase-verify-record-webhook.json');
const followUp = example('erasure-follow-up-schedule.json');
const node = (workflow: { nodes: ExampleNode[] }, name: string) =>
	workflow.nodes.find((candidate) => candidate.name === name)!;
const columnsOf = (workflow: { nodes: ExampleNode[] }) =>
	node(workflow, 'Erasure log table').parameters.columns!.column!;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The text of every cell of every row of the HTML tables in `html`. */
const cells = (html: string) =>
	[...html.matchAll(/<tr>(.*?)<\/tr>/gs)].map(([, row]) =>
		[...row.matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/gs)].map(([, cell]) =>
			cell
				.replace(/<[^>]+>/g, '')
				.replace(/&amp;/g, '&')
				.trim(),
		),
	);
const written = (workflow: { nodes: ExampleNode[] }, name: string) =>
	node(workflow, name).parameters.assignments!.assignments.map((assignment) => assignment);

describe('the Erasure log', () => {
	it('is created with the same columns by both examples', () => {
		expect(columnsOf(followUp)).toEqual(columnsOf(record));
		expect(columnsOf(record).map(({ name }) => name)).toEqual([
			'requestId',
			'person',
			'email',
			'receivedAt',
			'dueBy',
			'originalDueBy',
			'extensionReason',
			'extensionToldOn',
			'customerGauge',
			'blueshift',
			'completed',
			'completedAt',
			'completedLate',
			'overdue',
			'checkedAt',
		]);
	});

	it('gets every column from "Audit record", and from "Follow-up record" every column a check changes', () => {
		const columns = columnsOf(record).map(({ name }) => name);
		expect(
			written(record, 'Audit record')
				.map(({ name }) => name)
				.sort(),
		).toEqual([...columns].sort());
		// Not the extension: the privacy officer records it, and the follow-up only reads it.
		expect(
			written(followUp, 'Follow-up record')
				.map(({ name }) => name)
				.sort(),
		).toEqual(
			[
				'id',
				'dueBy',
				'originalDueBy',
				'customerGauge',
				'blueshift',
				'completed',
				'completedAt',
				'completedLate',
				'overdue',
				'checkedAt',
				'email',
			].sort(),
		);
	});

	it('keeps the email only while the request is open, in both examples', () => {
		for (const [workflow, name] of [
			[record, 'Audit record'],
			[followUp, 'Follow-up record'],
		] as const) {
			const email = written(workflow, name).find((assignment) => assignment.name === 'email')!;
			expect(email.value).toMatch(/^=\{\{ \(.*status === 'completed' && \$json\.status === 'completed'\) \? null : /);
		}
	});

	it('passes the extension a row or a request records to both checks, and never holds up an erasure with it', () => {
		const extensionFrom = (workflow: { nodes: ExampleNode[] }, name: string) => {
			const { extensionReason, extensionToldOn, extensionDays, receivedAt } = node(workflow, name).parameters.options!;
			return { receivedAt, extensionReason, extensionToldOn, extensionDays };
		};
		const row = "$('Open requests').item.json";
		for (const name of ['CustomerGauge: verify', 'Blueshift: verify']) {
			expect(extensionFrom(followUp, name)).toEqual({
				receivedAt: `={{ ${row}.receivedAt }}`,
				extensionReason: `={{ ${row}.extensionReason }}`,
				extensionToldOn: `={{ ${row}.extensionToldOn }}`,
				extensionDays: undefined,
			});
			expect(extensionFrom(record, name)).toEqual({
				receivedAt: "={{ $('Request').item.json.receivedAt }}",
				extensionReason: "={{ $('Request').item.json.extensionReason }}",
				extensionToldOn: "={{ $('Request').item.json.extensionToldOn }}",
				extensionDays: undefined,
			});
		}
		// The erasure goes out whatever the extension says: a wrong told-on date fails the checks, not the erasure.
		for (const name of ['CustomerGauge: anonymize', 'Blueshift: forget']) {
			expect(extensionFrom(record, name)).toEqual({
				receivedAt: "={{ $('Request').item.json.receivedAt }}",
				extensionReason: undefined,
				extensionToldOn: undefined,
				extensionDays: undefined,
			});
		}
		expect(written(record, 'Request').map(({ name, value }) => [name, value])).toEqual([
			['requestId', '={{ $execution.id }}'],
			['email', "={{ $('Webhook').item.json.body.email }}"],
			['receivedAt', "={{ $('Webhook').item.json.body.receivedAt || $now.toISO() }}"],
			['extensionReason', "={{ $('Webhook').item.json.body.extensionReason ?? null }}"],
			['extensionToldOn', "={{ $('Webhook').item.json.body.extensionToldOn ?? null }}"],
		]);
	});

	it('writes the due date as the check counted it: "dueBy" and "originalDueBy" from the receipt, the row\'s own when the check could not count it', () => {
		const value = (workflow: { nodes: ExampleNode[] }, nodeName: string, column: string) =>
			written(workflow, nodeName).find(({ name }) => name === column)!.value;
		const counted = "(($('Open requests').item.json.receivedAt && $json.dueBy) || $('Open requests').item.json.dueBy)";
		expect(value(followUp, 'Follow-up record', 'dueBy')).toBe(`={{ ${counted} }}`);
		expect(value(followUp, 'Follow-up record', 'originalDueBy')).toBe(
			"={{ ($('Open requests').item.json.receivedAt && $json.originalDueBy) || $('Open requests').item.json.originalDueBy || null }}",
		);
		// Late and overdue count from that date, never from the row's date before this check.
		expect(value(followUp, 'Follow-up record', 'completedLate')).toMatch(
			new RegExp(`toISODate\\(\\) > ${escapeRegExp(counted)} }}$`),
		);
		expect(value(followUp, 'Follow-up record', 'overdue')).toMatch(
			new RegExp(`\\$today\\.toISODate\\(\\) > ${escapeRegExp(counted)} }}$`),
		);
		expect(value(record, 'Audit record', 'dueBy')).toBe("={{ $json.dueBy ?? $('Blueshift: forget').item.json.dueBy }}");
		expect(value(record, 'Audit record', 'originalDueBy')).toBe(
			"={{ $json.originalDueBy ?? $('Blueshift: forget').item.json.originalDueBy }}",
		);
		expect(value(record, 'Audit record', 'extensionReason')).toMatch(
			/^=\{\{ \$json\.dueBy \? \(\$json\.extension\?\.reason \?\? null\) : /,
		);
		expect(value(record, 'Audit record', 'extensionToldOn')).toMatch(
			/^=\{\{ \$json\.dueBy \? \(\$json\.extension\?\.personToldOn \?\? null\) : /,
		);
	});

	describe('the digest and the summary on rows with extensions (their Code nodes run on Luxon, as n8n runs them)', () => {
		// Sunday 6 December 2026, 08:00 in Berlin.
		const now = DateTime.fromISO('2026-12-06T08:00:00', { zone: 'Europe/Berlin' });
		const rows = [
			// Its first month ran out on 10 October; extended (the person told on 30 September) to 10 December.
			{
				requestId: 'extended',
				receivedAt: '2026-09-10T10:00:00.000Z',
				dueBy: '2026-12-10',
				originalDueBy: '2026-10-10',
				extensionReason: 'Archived systems',
				extensionToldOn: '2026-09-30',
				customerGauge: 'pending',
				blueshift: 'completed',
				completed: false,
			},
			// An extension the checks could not apply (told after the first month): its dueBy stayed the first one.
			{
				requestId: 'not-applied',
				receivedAt: '2026-10-01T10:00:00.000Z',
				dueBy: '2026-11-01',
				originalDueBy: '2026-11-01',
				extensionReason: 'Told too late',
				extensionToldOn: '2026-11-20',
				customerGauge: 'failed',
				blueshift: 'failed',
				completed: false,
			},
			{
				requestId: 'plain',
				receivedAt: '2026-11-20T10:00:00.000Z',
				dueBy: '2026-12-20',
				originalDueBy: '2026-12-20',
				extensionReason: null,
				extensionToldOn: null,
				customerGauge: 'completed',
				blueshift: 'pending',
				completed: false,
			},
			// A row of a log created before the extension columns.
			{
				requestId: 'older-log',
				receivedAt: '2026-11-25T10:00:00.000Z',
				dueBy: '2026-12-25',
				customerGauge: 'pending',
				blueshift: 'pending',
				completed: false,
			},
			// Completed yesterday: after its first due date (2 November), within the extended one (2 January).
			{
				requestId: 'extended-done',
				receivedAt: '2026-10-02T10:00:00.000Z',
				dueBy: '2027-01-02',
				originalDueBy: '2026-11-02',
				extensionReason: 'Many requests',
				extensionToldOn: '2026-10-20',
				customerGauge: 'completed',
				blueshift: 'completed',
				completed: true,
				completedAt: '2026-12-05T12:00:00.000Z',
				completedLate: false,
			},
		].map((row, index) => ({ id: index + 1, ...row }));
		const run = (nodeName: string) => {
			const code = node(followUp, nodeName).parameters.jsCode!;
			const context = {
				$input: { all: () => rows.map((json) => ({ json })) },
				$now: now,
				$today: now.startOf('day'),
				DateTime,
			};
			const [{ json }] = JSON.parse(JSON.stringify(vm.runInNewContext(`(() => {\n${code}\n})()`, context))) as Array<{
				json: Record<string, unknown>;
			}>;
			return json;
		};
		const section = (html: string, title: string) => {
			const start = html.indexOf(`>${title}</h3>`);
			expect(start, title).toBeGreaterThan(0);
			const end = html.indexOf('<h3', start);
			return cells(html.slice(start, end < 0 ? undefined : end)).slice(1);
		};

		it('counts an extended request from its extended date and says so; an extension not applied is flagged', () => {
			const digest = run('Daily digest');

			expect(digest).toMatchObject({
				subject: 'Erasure follow-up 2026-12-06: 4 open, 1 due within 7 days, 1 overdue',
				open: 4,
				dueSoon: 1,
				overdue: 1,
				completedRecently: 1,
				completedLateRecently: 0,
			});
			const html = digest.html as string;
			expect(section(html, 'Overdue (1)')).toEqual([
				[
					'not-applied',
					'1 Oct 2026',
					'1 Nov 2026 (extension not applied: check its extensionToldOn)',
					'35 days late',
					'failed',
					'failed',
				],
			]);
			expect(section(html, 'Due within 7 days (1)')).toEqual([
				['extended', '10 Sep 2026', '10 Dec 2026 (extended from 10 Oct 2026)', 'in 4 days', 'pending', 'completed'],
			]);
			expect(section(html, 'Open, due later (2)')).toEqual([
				['plain', '20 Nov 2026', '20 Dec 2026', 'in 14 days', 'completed', 'pending'],
				['older-log', '25 Nov 2026', '25 Dec 2026', 'in 19 days', 'pending', 'pending'],
			]);
			expect(section(html, 'Completed in the last 24 hours (1)')).toEqual([
				['extended-done', '2 Jan 2027 (extended from 2 Nov 2026)', '5 Dec 2026', 'yes'],
			]);
		});

		it('the summary counts a request completed within its extended date as on time', () => {
			const summary = run('Monthly summary');

			expect(cells(summary.html as string)).toEqual([
				['Received in', 'Requests', 'Completed on time', 'Completed late', 'Still open', 'Median days to completion'],
				['November 2026', '2', '0', '0', '2', 'n/a'],
				['October 2026', '2', '1', '0', '1', '64'],
				['September 2026', '1', '0', '0', '1', 'n/a'],
				['All requests in the log', '5', '1', '0', '4', '64'],
			]);
			expect(summary.html).toContain('three months with a recorded extension');
		});
	});

	it("has every column defined in the privacy officer's guide", () => {
		const guide = readFileSync(path.join(root, 'docs', 'privacy-officer.md'), 'utf8');
		const start = guide.indexOf('\n## The Erasure log\n');
		expect(start, 'the heading "## The Erasure log"').toBeGreaterThanOrEqual(0);
		const next = guide.indexOf('\n## ', start + 1);
		const section = guide.slice(start, next === -1 ? undefined : next);
		for (const { name } of columnsOf(record)) expect(section).toMatch(new RegExp(`^\\| (\`\\w+\`, )*\`${name}\``, 'm'));
	});
});
