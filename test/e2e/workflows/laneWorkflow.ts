import type { IConnections, IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { simulatorCredentialRefs, type SimulatorCredentialType } from '../../../scripts/lib/n8n-runtime.mjs';

const credentialTypeOf = {
	bloomreachEngagement: 'bloomreachEngagementApi',
	customerGauge: 'customerGaugeApi',
	blueshift: 'blueshiftApi',
} as const;

type ErasureNodeType = keyof typeof credentialTypeOf;

export interface ErasureStep {
	name: string;
	type: ErasureNodeType;
	parameters: INodeParameters;
	/** Default: the simulator credential of the node's type. */
	credential?: { id: string; name: string };
	/** Default 1, with the node type's first credential type. */
	typeVersion?: number;
	credentialType?: SimulatorCredentialType;
	onError?: INode['onError'];
}

/** One branch of a workflow: a Code node that outputs `people`, then the erasure step. */
interface Lane {
	people: IDataObject[];
	step: ErasureStep;
}

export interface WorkflowFile {
	id: string;
	name: string;
	active: false;
	settings: IDataObject;
	nodes: INode[];
	connections: IConnections;
	pinData: IDataObject;
}

const TRIGGER = 'Start';
const inputNodeName = (step: ErasureStep) => `${step.name}: input`;

/**
 * A workflow for `n8n execute`: Manual Trigger → (Code → erasure node) per lane. n8n runs the
 * lanes one after the other, top to bottom.
 */
export function laneWorkflow(id: string, name: string, lanes: Lane[]): WorkflowFile {
	const nodes: INode[] = [
		{
			id: `${id}-trigger`,
			name: TRIGGER,
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
	];
	const connections: IConnections = { [TRIGGER]: { main: [[]] } };
	lanes.forEach(({ people, step }, lane) => {
		const y = lane * 200;
		const input = inputNodeName(step);
		const credentialType = step.credentialType ?? credentialTypeOf[step.type];
		nodes.push(
			{
				id: `${id}-input-${lane}`,
				name: input,
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, y],
				parameters: { jsCode: `return ${JSON.stringify(people.map((json) => ({ json })))};` },
			},
			{
				id: `${id}-step-${lane}`,
				name: step.name,
				type: `n8n-nodes-erasure.${step.type}`,
				typeVersion: step.typeVersion ?? 1,
				position: [440, y],
				parameters: step.parameters,
				credentials: { [credentialType]: step.credential ?? simulatorCredentialRefs[credentialType] },
				...(step.onError ? { onError: step.onError } : {}),
			},
		);
		connections[TRIGGER].main[0]!.push({ node: input, type: 'main', index: 0 });
		connections[input] = { main: [[{ node: step.name, type: 'main', index: 0 }]] };
	});
	return { id, name, active: false, settings: { executionOrder: 'v1' }, nodes, connections, pinData: {} };
}
