import { nightlyAcceptedWorkflow, nightlyFailedWorkflow, verifyAlertsWorkflow } from './alerts';
import { bloomreachWorkflows } from './bloomreach';
import { slowErasureWorkflow } from './cancel';
import { blueshiftWorkflows } from './blueshift';
import { customerGaugeWorkflows } from './customerGauge';
import { dryRunWorkflow } from './dryRun';
import { expiringFormWorkflow } from './formExample';
import { followUpTestWorkflows } from './followUpExample';
import type { WorkflowFile } from './laneWorkflow';
import { scheduleExampleDryRunWorkflow, scheduleExampleWorkflow } from './scheduleExample';
import { verifyExampleWorkflow } from './verifyExample';

/** Every workflow the global setup imports for `n8n execute`. */
export const e2eWorkflows: WorkflowFile[] = [
	...Object.values(bloomreachWorkflows),
	...Object.values(customerGaugeWorkflows),
	...Object.values(blueshiftWorkflows),
	dryRunWorkflow,
	scheduleExampleWorkflow,
	scheduleExampleDryRunWorkflow,
	slowErasureWorkflow,
	verifyExampleWorkflow,
	expiringFormWorkflow,
	...followUpTestWorkflows,
	verifyAlertsWorkflow,
	nightlyAcceptedWorkflow,
	nightlyFailedWorkflow,
];
