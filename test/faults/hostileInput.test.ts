/**
 * Thousands of items of random shapes, from a seeded generator so a failure can be replayed: no
 * crash, no request for an invalid item, exactly one output per input in order, errors that name
 * the field, and no credential anywhere.
 */
import nock from 'nock';
import { describe, expect, it } from 'vitest';

import { BloomreachEngagement } from '../../nodes/BloomreachEngagement/BloomreachEngagement.node';
import { Blueshift } from '../../nodes/Blueshift/Blueshift.node';
import { CustomerGauge } from '../../nodes/CustomerGauge/CustomerGauge.node';
import { runNode, type RunResult } from '../harness/engine';
import { bloomreachBulkByEmail, blueshiftByEmail, customerGaugeAnonymizeByEmail } from '../harness/nodeParameters';

const SEED = 20261122;
const MARKERS = [
	'hostile-key-id-41c2',
	'hostile-secret-8d0e',
	'hostile-project-77aa',
	'hostile-cg-key-2f5b',
	'hostile-bs-key-90d3',
];

/** mulberry32: small, fast, and the same sequence for the same seed. */
function randomSource(seed: number) {
	let state = seed;
	return () => {
		state = (state + 0x6d2b79f5) | 0;
		let t = Math.imul(state ^ (state >>> 15), 1 | state);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function hostileValues(random: () => number): () => unknown {
	const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
	const text = (length: number) =>
		Array.from({ length }, () =>
			String.fromCodePoint(pick([32, 48, 64, 97, 0x7f, 0x0, 0x1f, 0xe9, 0x4e2d, 0x1f600]) + Math.floor(random() * 10)),
		).join('');
	const generators: Array<() => unknown> = [
		() => undefined,
		() => null,
		() => Math.floor(random() * 1e9),
		() => random() * 1e6 - 5e5,
		() => Number.NaN,
		() => Number.POSITIVE_INFINITY,
		() => random() < 0.5,
		() => [],
		() => ['a@example.com'],
		() => ({ email: 'nested@example.com' }),
		() => '',
		() => ' \t\n ',
		() => 'x'.repeat(5000 + Math.floor(random() * 5000)),
		() => text(1 + Math.floor(random() * 20)),
		() => '{{ $json.secret }}',
		() => '={{ 1 + 1 }}',
		() => '<script>alert(1)</script>@example.com',
		() => 'name@example.com\u0000',
		() => `person${Math.floor(random() * 1000)}@example.com`,
		() => ` Person${Math.floor(random() * 1000)}@Example.com `,
		() => '+44 (20) 7946-0958',
		() => 'ünïcödé@exämple.com',
		// Invisible and direction characters: another person to the vendor, the same to a reader.
		() => `person${Math.floor(random() * 1000)}@example.com\u200b`,
		() => `\u202eperson${Math.floor(random() * 1000)}@example.com`,
		() => `per\u2060son${Math.floor(random() * 1000)}@example.com`,
		() => `\ufeffperson${Math.floor(random() * 1000)}@example.com\u200d`,
		// Integers beyond 2^53 arrive already rounded: another person's ID.
		() => 12345678901234567890,
		() => 2 ** 53 + 2,
	];
	return () => pick(generators)();
}

function generateItems(count: number, seed: number) {
	const random = randomSource(seed);
	const value = hostileValues(random);
	return Array.from({ length: count }, () => {
		const item: Record<string, unknown> = {};
		if (random() < 0.9) item.email = value();
		if (random() < 0.3) item.other = value();
		return item;
	});
}

// Written out here, apart from the node's own rule: C0/C1 controls, soft hyphen, zero-width and
// bidi controls, word joiner and invisible operators, byte order mark.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/;

/** What the nodes must accept as an identifier: visible text, or a number that is held exactly. */
function acceptableIdentifier(given: unknown): boolean {
	if (typeof given === 'number')
		return Number.isFinite(given) && (!Number.isInteger(given) || Number.isSafeInteger(given));
	return typeof given === 'string' && given.trim() !== '' && !INVISIBLE.test(given.trim());
}

function expectOneReceiptPerItem(result: RunResult, count: number) {
	expect(result.error).toBeUndefined();
	expect(result.main).toHaveLength(count);
	result.main.forEach((item, index) => expect(item.pairedItem).toEqual({ item: index }));
	const everything = JSON.stringify([result.main, result.logs]);
	for (const marker of MARKERS) expect(everything).not.toContain(marker);
}

describe('hostile input', () => {
	it('Bloomreach bulk: 3000 random items, only valid IDs are sent, every invalid one names its field', async () => {
		const input = generateItems(3000, SEED);
		const sent: string[] = [];
		nock('https://api.exponea.com')
			.post(
				'/data/v2/projects/hostile-project-77aa/customers/anonymize_bulk',
				(body: { customers: Array<{ customer_ids: { registered: string } }> }) => {
					sent.push(...body.customers.map((customer) => customer.customer_ids.registered));
					return true;
				},
			)
			.times(10)
			.reply(200, { success: true, bulk_id: 'bulk-hostile' });

		const result = await runNode({
			node: new BloomreachEngagement(),
			parameters: {
				...bloomreachBulkByEmail,
				options: { identifierInOutput: 'asGiven' },
			},
			credentials: {
				bloomreachEngagementApi: {
					instanceUrl: 'https://api.exponea.com',
					projectToken: 'hostile-project-77aa',
					apiKeyId: 'hostile-key-id-41c2',
					apiSecret: 'hostile-secret-8d0e',
				},
			},
			items: input,
			onError: 'continueRegularOutput',
		});

		expectOneReceiptPerItem(result, input.length);
		const sentOnce = new Set(sent);
		expect(sentOnce.size).toBe(sent.length);
		result.main.forEach(({ json }, index) => {
			const given = input[index].email;
			if (acceptableIdentifier(given)) {
				expect(json.status).toBe('accepted');
				const identifier = String(typeof given === 'string' ? given.trim() : given);
				expect(json.identifiers).toEqual([{ type: 'registered', value: identifier }]);
				expect(sentOnce.has(identifier)).toBe(true);
			} else {
				expect(json.status).toBe('failed');
				expect(json.attempts).toBe(0);
				expect(json.failure).toMatchObject({ reason: 'invalid_input', field: 'ID Value' });
				expect(json.message).toMatch(
					/^Not sent: ID Value (is empty|is empty or only whitespace|must be text or a number, got .+|contains an invisible or control character \(U\+[0-9A-F]{4}\) at position \d+: .+|is the number \d.+ Pass IDs as text.+)\.$/s,
				);
			}
		});
	});

	it('CustomerGauge: 1500 random items, every request carries one well-formed email, every invalid item names its field', async () => {
		const input = generateItems(1500, SEED + 1);
		const sent: string[] = [];
		nock('https://api.eu.customergauge.com')
			.post('/v4.1/anonymize.json', (body: Record<string, string>) => {
				expect(Object.keys(body)).toEqual(['email']);
				sent.push(body.email);
				return true;
			})
			.times(1500)
			.reply(200, { Data: { message: 'Record updated successfully' } });

		const result = await runNode({
			node: new CustomerGauge(),
			parameters: {
				...customerGaugeAnonymizeByEmail,
				options: {
					identifierInOutput: 'asGiven',
					maxConcurrentRequests: 20,
					maxRequestsPerSecond: 0,
					itemsPerBatch: 1000,
				},
			},
			credentials: { customerGaugeApi: { region: 'eu', customBaseUrl: '', apiKey: 'hostile-cg-key-2f5b' } },
			items: input,
			onError: 'continueRegularOutput',
		});

		expectOneReceiptPerItem(result, input.length);
		expect(new Set(sent.map((email) => email.toLowerCase())).size).toBe(sent.length);
		for (const email of sent) expect(email).toMatch(/^[^\s@]+@[^\s@]+\.[A-Za-z]{2,}$/);
		const sentLowerCase = new Set(sent.map((email) => email.toLowerCase()));
		let failed = 0;
		for (const { json } of result.main) {
			if (json.status === 'accepted') {
				// The same address in another case is the same person, sent once.
				expect(sentLowerCase.has((json.identifiers as Array<{ value: string }>)[0].value.toLowerCase())).toBe(true);
			} else {
				failed++;
				expect(json.status).toBe('failed');
				expect(json.attempts).toBe(0);
				expect(json.failure).toMatchObject({ reason: 'invalid_input', field: 'Email' });
				expect(json.message).toMatch(/^Not sent: Email .+\.$/);
			}
		}
		expect(failed).toBeGreaterThan(500);
		expect(sent.length).toBeGreaterThan(50);
	});

	it('Blueshift: 1500 random items with an email and a customer ID, only well-formed identifiers are sent, every invalid item names its field', async () => {
		const input = generateItems(1500, SEED + 2);
		const sent: Array<Record<string, unknown>> = [];
		nock('https://api.getblueshift.com')
			.post('/api/v1/customers/forget', (body: Record<string, unknown>) => (sent.push(body), true))
			.times(1500)
			.reply(200, { status: 'ok' });

		const result = await runNode({
			node: new Blueshift(),
			parameters: {
				...blueshiftByEmail('forget'),
				otherIdentifiers: { customerId: '={{ $json.other }}' },
				options: {
					identifierInOutput: 'asGiven',
					maxConcurrentRequests: 20,
					maxRequestsPerSecond: 0,
					itemsPerBatch: 1000,
				},
			},
			credentials: { blueshiftApi: { region: 'us', customBaseUrl: '', userApiKey: 'hostile-bs-key-90d3' } },
			items: input,
			onError: 'continueRegularOutput',
		});

		expectOneReceiptPerItem(result, input.length);
		const absent = (value: unknown) =>
			value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
		for (const body of sent) {
			expect(Object.keys(body).every((key) => key === 'email' || key === 'customer_id')).toBe(true);
			expect(Object.keys(body).length).toBeGreaterThan(0);
			if ('email' in body) expect(body.email).toMatch(/^[^\s@]+@[^\s@]+\.[A-Za-z]{2,}$/);
			if ('customer_id' in body) expect(String(body.customer_id)).toBe(String(body.customer_id).trim());
		}
		expect(new Set(sent.map((body) => JSON.stringify([String(body.email).toLowerCase(), body.customer_id]))).size).toBe(
			sent.length,
		);
		let failed = 0;
		result.main.forEach(({ json }, index) => {
			const { email, other } = input[index];
			if (json.status === 'accepted') {
				expect(absent(email) && absent(other)).toBe(false);
				return;
			}
			failed++;
			expect(json.status).toBe('failed');
			expect(json.attempts).toBe(0);
			const { field } = json.failure as { field: string };
			if (absent(email) && absent(other)) expect(field).toBe('Identifiers');
			else if (absent(email)) expect(field).toBe('Customer ID');
			else expect(['Email', 'Customer ID']).toContain(field);
			expect(json.message).toMatch(new RegExp(`^Not sent: ${field} .+\\.$`, 's'));
		});
		expect(failed).toBeGreaterThan(300);
		expect(sent.length).toBeGreaterThan(50);
	});
});
