/**
 * The data table "Erasure log" as the examples define and write it: both examples create it with
 * the same columns, write only those columns, and the privacy officer's guide
 * (docs/privacy-officer.md, "The Erasure log") defines every one of them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

interface ExampleNode {
	name: string;
	type: string;
	parameters: {
		columns?: { column?: Array<{ name: string; type: string }> };
		assignments?: { assignments: Array<{ name: string; value: string }> };
	};
}

const root = path.resolve(__dirname, '..', '..');
const example = (file: string) =>
	JSON.parse(readFileSync(path.join(root, 'examples', file), 'utf8')) as { nodes: ExampleNode[] };
const record = example('erase-verify-record-webhook.json');
const followUp = example('erasure-follow-up-schedule.json');
const node = (workflow: { nodes: ExampleNode[] }, name: string) => workflow.nodes.find((candidate) => candidate.name === name)!;
const columnsOf = (workflow: { nodes: ExampleNode[] }) => node(workflow, 'Erasure log table').parameters.columns!.column!;
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
		expect(written(record, 'Audit record').map(({ name }) => name).sort()).toEqual([...columns].sort());
		expect(written(followUp, 'Follow-up record').map(({ name }) => name).sort()).toEqual(
			['id', 'customerGauge', 'blueshift', 'completed', 'completedAt', 'completedLate', 'overdue', 'checkedAt', 'email'].sort(),
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

	it("has every column defined in the privacy officer's guide", () => {
		const guide = readFileSync(path.join(root, 'docs', 'privacy-officer.md'), 'utf8');
		const start = guide.indexOf('\n## The Erasure log\n');
		expect(start, 'the heading "## The Erasure log"').toBeGreaterThanOrEqual(0);
		const next = guide.indexOf('\n## ', start + 1);
		const section = guide.slice(start, next === -1 ? undefined : next);
		for (const { name } of columnsOf(record)) expect(section).toMatch(new RegExp(`^\\| (\`\\w+\`, )*\`${name}\``, 'm'));
	});
});
