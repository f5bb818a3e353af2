import { Expression, type IExecuteFunctions, type INodeParameters, type INodeType } from 'n8n-workflow';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { itemParameter } from '../../nodes/shared/input/itemParameter';
import { runNode } from '../harness/engine';

type Reader = (context: IExecuteFunctions, name: string, itemIndex: number) => unknown;

const viaItemParameter: Reader = (context, name, itemIndex) => itemParameter(context, name, itemIndex);
const viaN8n: Reader = (context, name, itemIndex) => context.getNodeParameter(name, itemIndex);

/** A node that reads its parameters `value` and `pairs` for every item, the way `read` does. */
function probe(read: Reader): INodeType {
	return {
		description: {
			displayName: 'Probe',
			name: 'probe',
			group: ['transform'],
			version: 1,
			description: 'Reads its parameters for every item',
			defaults: { name: 'Probe' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [
				{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				{
					displayName: 'Pairs',
					name: 'pairs',
					type: 'fixedCollection',
					typeOptions: { multipleValues: true },
					default: {},
					options: [
						{
							name: 'pair',
							displayName: 'Pair',
							values: [
								{ displayName: 'Name', name: 'name', type: 'string', default: '' },
								{ displayName: 'Value', name: 'value', type: 'string', default: '' },
							],
						},
					],
				},
			],
		},
		async execute(this: IExecuteFunctions) {
			const outcome = (name: string, itemIndex: number) => {
				try {
					return { value: read(this, name, itemIndex) ?? '(undefined)' };
				} catch (error) {
					return { error: (error as Error).message };
				}
			};
			return [
				this.getInputData().map((_, itemIndex) => ({
					json: { value: outcome('value', itemIndex), pairs: outcome('pairs', itemIndex) },
				})),
			];
		},
	};
}

const ITEMS: Array<Record<string, unknown>> = [
	{ email: 'ada@example.com', 'e-mail': 'ada@example.com', contact: { email: 'ada@example.com' } },
	{ email: 'zoë@exämple.com', 'e-mail': 'zoë@exämple.com', contact: { email: 'zoë@exämple.com' } },
	{ email: '', 'e-mail': '', contact: { email: '' } },
	{ email: ' {{ $json.secret }} ', secret: 'never read', contact: {} },
	{ email: 42, 'e-mail': 0, contact: { email: 4.5 } },
	{ email: null, 'e-mail': true, contact: null },
	{ email: { nested: 'x' }, 'e-mail': ['a', 'b'], contact: 'text, not an object' },
	{},
];

async function readEveryItem(read: Reader, parameters: INodeParameters) {
	const result = await runNode({ node: probe(read), parameters, credentials: {}, items: ITEMS });
	expect(result.error).toBeUndefined();
	return result.main.map((item) => item.json);
}

const pairs = (value: string) => ({
	pair: [
		{ name: 'registered', value },
		{ name: 'fixed', value: 'fixed value' },
	],
});

describe('reading a parameter for each item', () => {
	afterEach(() => {
		vi.restoreAllMocks();
	});

	it.each([
		'={{ $json.email }}',
		'={{$json.email}}',
		'={{ $json["e-mail"] }}',
		"={{ $json['e-mail'] }}",
		'={{ $json.contact.email }}',
		'={{ $json.missing.email }}',
		'={{ $json.email.trim() }}',
		'=mailto:{{ $json.email }}',
		'={{ $json.email }} ',
		'={{ $json.email }}{{ $json.email }}',
		'plain text',
	])('%s gives exactly what n8n gives, for text, empty, numbers, null, objects and missing fields', async (value) => {
		const parameters = { value, pairs: pairs(value) };
		const ours = await readEveryItem(viaItemParameter, parameters);
		const n8ns = await readEveryItem(viaN8n, parameters);

		expect(ours).toEqual(n8ns);
		expect(ours).toHaveLength(ITEMS.length);
	});

	it("reads plain field references that hold text without n8n's expression engine, and only those", async () => {
		const evaluations = vi.spyOn(Expression.prototype, 'getParameterValue');
		const textOnly = Array.from({ length: 200 }, (_, index) => ({ email: `p${index}@example.com` }));
		const run = (value: string, items: Array<Record<string, unknown>>) =>
			runNode({ node: probe(viaItemParameter), parameters: { value, pairs: pairs(value) }, credentials: {}, items });

		await run('={{ $json.email }}', textOnly);
		const forPlainReferences = evaluations.mock.calls.length;
		evaluations.mockClear();
		await run('={{ $json.email.trim() }}', textOnly);
		const forOtherExpressions = evaluations.mock.calls.length;
		evaluations.mockClear();
		await run('={{ $json.email }}', [{ email: 1 }, { email: 'a@example.com' }, {}]);
		const forFieldsThatAreNotText = evaluations.mock.calls.length;

		expect(forPlainReferences).toBeLessThan(10);
		expect(forOtherExpressions).toBeGreaterThanOrEqual(2 * textOnly.length);
		expect(forFieldsThatAreNotText).toBeGreaterThanOrEqual(forPlainReferences + 2 * 2);
	});
});
