/**
 * Node overhead with the network taken out: Dry Run validates every item, plans the requests and
 * builds every receipt, but sends nothing. What n8n itself spends running a node over the items is
 * measured with a node that only reads each item's email field, and subtracted. For comparison, a
 * node that evaluates the `{{ $json.email }}` expression per item, as most nodes do (this package
 * reads such plain field references directly). Each run is repeated and the median taken, since
 * one run on a busy machine can be off by more than the overhead measured.
 */
import type { ICredentialDataDecryptedObject, IExecuteFunctions, INodeParameters, INodeType } from 'n8n-workflow';
import { it } from 'vitest';

import { BloomreachEngagement } from '../nodes/BloomreachEngagement/BloomreachEngagement.node';
import { Blueshift } from '../nodes/Blueshift/Blueshift.node';
import { CustomerGauge } from '../nodes/CustomerGauge/CustomerGauge.node';
import { runNode } from '../test/harness/engine';
import { describeMachine } from './environment';
import { type Measurement, measure, printTable, verdict } from './measure';
import { bloomreachBulkByEmail, blueshiftByEmail, customerGaugeAnonymizeByEmail } from '../test/harness/nodeParameters';

const SIZES = [1_000, 10_000, 100_000];
const ROUNDS = 3;
const TARGET_CPU_MICROSECONDS_PER_ITEM = 20;
/** Nothing is sent in a dry run; should anything be, it goes nowhere but the loopback interface. */
const NOWHERE = 'http://127.0.0.1:9';

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

const fieldReader: INodeType = {
	description: {
		...expressionReader.description,
		displayName: 'Field Reader',
		name: 'bench.fieldReader',
		properties: [],
	},
	async execute(this: IExecuteFunctions) {
		return [
			this.getInputData().map((item, index) => ({ json: { value: item.json.email }, pairedItem: { item: index } })),
		];
	},
};

const people = (count: number) =>
	Array.from({ length: count }, (_, index) => ({ email: `person${index}@example.com` }));

interface Scenario {
	name: string;
	node: () => INodeType;
	parameters: INodeParameters;
	credentials: Record<string, ICredentialDataDecryptedObject>;
}

const engine: Scenario = { name: 'n8n', node: () => fieldReader, parameters: {}, credentials: {} };
const engineWithExpression: Scenario = {
	name: 'n8n + expression',
	node: () => expressionReader,
	parameters: { value: '={{ $json.email }}' },
	credentials: {},
};

const scenarios: Scenario[] = [
	{
		name: 'Bloomreach Anonymize in Bulk',
		node: () => new BloomreachEngagement(),
		parameters: { ...bloomreachBulkByEmail, options: { dryRun: true } },
		credentials: {
			bloomreachEngagementApi: {
				instanceUrl: NOWHERE,
				projectToken: 'bench',
				apiKeyId: 'bench-id',
				apiSecret: 'bench-secret',
			},
		},
	},
	{
		name: 'CustomerGauge Anonymize',
		node: () => new CustomerGauge(),
		parameters: { ...customerGaugeAnonymizeByEmail, options: { dryRun: true } },
		credentials: { customerGaugeApi: { region: 'custom', customBaseUrl: NOWHERE, apiKey: 'bench-key' } },
	},
	{
		name: 'Blueshift Forget',
		node: () => new Blueshift(),
		parameters: { ...blueshiftByEmail('forget'), options: { dryRun: true } },
		credentials: { blueshiftApi: { region: 'custom', customBaseUrl: NOWHERE, userApiKey: 'bench-key' } },
	},
];

type Figures = Omit<Measurement<unknown>, 'result'>;

/** One run's figures; the receipts are checked and let go, so rounds do not pile up memory. */
async function measureRun(scenario: Scenario, items: Array<Record<string, unknown>>): Promise<Figures> {
	const { result, ...figures } = await measure(() =>
		runNode({ node: scenario.node(), parameters: scenario.parameters, credentials: scenario.credentials, items }),
	);
	if (result.main.length !== items.length) {
		throw new Error(`${scenario.name}: ${result.main.length} output items for ${items.length}`);
	}
	return figures;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

it('dry run: CPU per item and memory, 1k / 10k / 100k items', async () => {
	process.stdout.write(`${describeMachine()}\n`);
	const rows: Array<Record<string, string | number>> = [];
	for (const size of SIZES) {
		const items = people(size);
		const runs = new Map<Scenario, Figures[]>(
			[engine, engineWithExpression, ...scenarios].map((scenario) => [scenario, []]),
		);
		for (let round = 0; round < ROUNDS; round++) {
			for (const [scenario, figures] of runs) figures.push(await measureRun(scenario, items));
		}
		const medianOf = (scenario: Scenario, figure: Exclude<keyof Figures, 'startedAt'>) =>
			median(runs.get(scenario)!.map((run) => run[figure]));
		const engineCpuMs = medianOf(engine, 'cpuMs');
		for (const scenario of scenarios) {
			const nodeCpuMicroseconds = ((medianOf(scenario, 'cpuMs') - engineCpuMs) * 1000) / size;
			rows.push({
				scenario: scenario.name,
				items: size,
				'wall ms': medianOf(scenario, 'wallMs'),
				'CPU µs/item, n8n reading a field': (engineCpuMs * 1000) / size,
				'CPU µs/item, n8n + expression': (medianOf(engineWithExpression, 'cpuMs') * 1000) / size,
				'CPU µs/item, with our node': (medianOf(scenario, 'cpuMs') * 1000) / size,
				'CPU µs/item, our node only': nodeCpuMicroseconds,
				'heap peak MB (growth)': medianOf(scenario, 'peakHeapMb'),
				'RSS peak MB (growth)': medianOf(scenario, 'peakRssMb'),
				'retained heap MB': medianOf(scenario, 'retainedHeapMb'),
				'retained KB/item': (medianOf(scenario, 'retainedHeapMb') * 1024) / size,
			});
		}
	}
	printTable(`Dry run (network taken out), median of ${ROUNDS} rounds`, rows);
	for (const scenario of scenarios) {
		const [, tenThousand, hundredThousand] = rows.filter((row) => row.scenario === scenario.name);
		const nodeCpuMicroseconds = hundredThousand['CPU µs/item, our node only'] as number;
		verdict(
			`${scenario.name} overhead at 100k items`,
			nodeCpuMicroseconds < TARGET_CPU_MICROSECONDS_PER_ITEM,
			`${nodeCpuMicroseconds.toFixed(2)} µs CPU per item (target < ${TARGET_CPU_MICROSECONDS_PER_ITEM})`,
		);
		const ratio = (hundredThousand['retained KB/item'] as number) / (tenThousand['retained KB/item'] as number);
		verdict(
			`${scenario.name} memory grows linearly`,
			ratio > 0.5 && ratio < 1.5,
			`retained ${Number(tenThousand['retained KB/item']).toFixed(2)} KB per item at 10k, ${Number(hundredThousand['retained KB/item']).toFixed(2)} KB at 100k`,
		);
	}
});
