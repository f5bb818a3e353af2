/**
 * Node overhead with the network taken out: Dry Run validates every item, plans the requests and
 * builds every receipt, but sends nothing. What n8n itself spends — running a node and evaluating
 * the user's `{{ $json.email }}` expression once per item, as any node would — is measured with a
 * node that only reads that expression per item, and subtracted.
 */
import type { IExecuteFunctions, INodeType } from 'n8n-workflow';
import { it } from 'vitest';

import { BloomreachEngagement } from '../nodes/BloomreachEngagement/BloomreachEngagement.node';
import { CustomerGauge } from '../nodes/CustomerGauge/CustomerGauge.node';
import { runNode } from '../test/harness/engine';
import { measure, printTable, verdict } from './measure';

const SIZES = [1_000, 10_000, 100_000];
const TARGET_CPU_MICROSECONDS_PER_ITEM = 20;

const expressionReader: INodeType = {
	description: {
		displayName: 'Expression Reader',
		name: 'bench.expressionReader',
		group: ['transform'],
		version: 1,
		description: 'Evaluates one parameter per item and returns it',
		defaults: { name: 'Expression Reader' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Value', name: 'value', type: 'string', default: '' }],
	},
	async execute(this: IExecuteFunctions) {
		return [
			this.getInputData().map((_item, index) => ({
				json: { value: this.getNodeParameter('value', index) as string },
				pairedItem: { item: index },
			})),
		];
	},
};

const people = (count: number) => Array.from({ length: count }, (_, index) => ({ email: `person${index}@example.com` }));

const scenarios = [
	{
		name: 'Bloomreach Anonymize in Bulk',
		node: () => new BloomreachEngagement(),
		parameters: {
			resource: 'customer',
			operation: 'anonymizeBulk',
			identifyBy: 'customerId',
			customerIdName: 'registered',
			customerIdValue: '={{ $json.email }}',
			options: { dryRun: true },
		},
		credentials: {
			bloomreachEngagementApi: { instanceUrl: 'https://api.exponea.com', projectToken: 'bench', apiKeyId: 'bench-id', apiSecret: 'bench-secret' },
		},
	},
	{
		name: 'CustomerGauge Anonymize',
		node: () => new CustomerGauge(),
		parameters: { resource: 'contact', operation: 'anonymize', identifyBy: 'email', email: '={{ $json.email }}', options: { dryRun: true } },
		credentials: { customerGaugeApi: { region: 'eu', customBaseUrl: '', apiKey: 'bench-key' } },
	},
];

it('dry run: CPU per item and memory, 1k / 10k / 100k items', async () => {
	const rows: Array<Record<string, string | number>> = [];
	for (const size of SIZES) {
		const items = people(size);
		const engine = await measure(() =>
			runNode({ node: expressionReader, parameters: { value: '={{ $json.email }}' }, credentials: {}, items }),
		);
		for (const scenario of scenarios) {
			const run = await measure(() =>
				runNode({ node: scenario.node(), parameters: scenario.parameters, credentials: scenario.credentials, items }),
			);
			if (run.result.main.length !== size) throw new Error(`${scenario.name}: ${run.result.main.length} receipts for ${size} items`);
			const nodeCpuMicroseconds = ((run.cpuMs - engine.cpuMs) * 1000) / size;
			rows.push({
				scenario: scenario.name,
				items: size,
				'wall ms': run.wallMs,
				'CPU µs/item, n8n + expression': (engine.cpuMs * 1000) / size,
				'CPU µs/item, with our node': (run.cpuMs * 1000) / size,
				'CPU µs/item, our node only': nodeCpuMicroseconds,
				'peak heap MB': run.peakHeapMb,
				'peak RSS MB': run.peakRssMb,
				'retained heap MB': run.retainedHeapMb,
				'retained KB/item': (run.retainedHeapMb * 1024) / size,
			});
			if (size === 100_000) {
				verdict(
					`${scenario.name} overhead at 100k items`,
					nodeCpuMicroseconds < TARGET_CPU_MICROSECONDS_PER_ITEM,
					`${nodeCpuMicroseconds.toFixed(2)} µs CPU per item (target < ${TARGET_CPU_MICROSECONDS_PER_ITEM})`,
				);
			}
		}
	}
	printTable('Dry run (network taken out)', rows);
	for (const scenario of scenarios) {
		const [, tenThousand, hundredThousand] = rows.filter((row) => row.scenario === scenario.name);
		const ratio = (hundredThousand['retained KB/item'] as number) / (tenThousand['retained KB/item'] as number);
		verdict(
			`${scenario.name} memory grows linearly`,
			ratio > 0.5 && ratio < 1.5,
			`retained ${Number(tenThousand['retained KB/item']).toFixed(2)} KB per item at 10k, ${Number(hundredThousand['retained KB/item']).toFixed(2)} KB at 100k`,
		);
	}
});
