import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { InvalidValueError } from '../input/invalidValueError';
import { buildReceipt } from '../receipts/buildReceipt';
import type { Deadline } from '../receipts/deadline';
import type { Connection, ErasureOperation } from '../types/erasureOperation';
import { refusedAsAiTool } from './aiToolGuard';
import { ErasureRun } from './erasureRun';
import { deadlineReader, readItem } from './itemReading';
import { routeFailures } from './routeFailures';
import { type ErasureSettings, readErasureSettings } from './settings';

/**
 * The one erasure pipeline: read and validate every item, pack people into
 * requests, send them paced and retried, and answer every input item with one
 * receipt, in input order. An erasure run as an AI tool without the node's opt-in
 * sends nothing and answers every item with a refusal.
 */
export async function executeErasure<Target, C extends Connection>(
	this: IExecuteFunctions,
	operation: ErasureOperation<Target, C>,
): Promise<INodeExecutionData[][]> {
	const settings = readErasureSettings(this, operation.options);
	if (refusedAsAiTool(this, operation, settings))
		return routeFailures(this, refusalReceipts(this, operation, settings));
	if (settings.optionFault)
		return routeFailures(this, optionFaultReceipts(this, operation, settings, settings.optionFault));
	const connected = await connectToVendor(this, operation);
	const receipts =
		'credentialFault' in connected
			? credentialFaultReceipts(this, operation, settings, connected.credentialFault)
			: await new ErasureRun(this, operation, settings, connected.connection).execute();
	return routeFailures(this, receipts);
}

/**
 * An option the whole run depends on cannot be used: the node stops before anything is sent, or,
 * with On Error: Continue, every item fails naming the option (no deadline can be given).
 */
function optionFaultReceipts<Target, C extends Connection>(
	context: IExecuteFunctions,
	operation: ErasureOperation<Target, C>,
	settings: ErasureSettings,
	fault: InvalidValueError,
): INodeExecutionData[] {
	if (!context.continueOnFail()) {
		throw new NodeOperationError(context.getNode(), `${fault.field} ${fault.problem}`, {
			description: 'Nothing was sent. Fix the option and run the node again.',
		});
	}
	return runFaultReceipts(context, operation, settings, fault, () => undefined);
}

/**
 * The vendor's connection details, read from the credential. A credential value that breaks a rule
 * (a plain-http base URL, an empty key) stops the node before anything is sent; with On Error:
 * Continue, every item fails with it instead.
 */
async function connectToVendor<Target, C extends Connection>(
	context: IExecuteFunctions,
	operation: ErasureOperation<Target, C>,
): Promise<{ connection: C } | { credentialFault: InvalidValueError }> {
	try {
		return { connection: await operation.vendor.connect(context) };
	} catch (error) {
		if (!(error instanceof InvalidValueError)) throw new NodeOperationError(context.getNode(), error as Error);
		if (!context.continueOnFail()) {
			throw new NodeOperationError(context.getNode(), `Credential: ${error.message}`, {
				description: 'Nothing was sent. Fix the credential and run the node again.',
			});
		}
		return { credentialFault: error };
	}
}

function credentialFaultReceipts<Target, C extends Connection>(
	context: IExecuteFunctions,
	operation: ErasureOperation<Target, C>,
	settings: ErasureSettings,
	fault: InvalidValueError,
): INodeExecutionData[] {
	const deadlineOf = deadlineReader(context, settings.deadlineRule);
	return runFaultReceipts(context, operation, settings, fault, (itemIndex) => deadlineOf(itemIndex).deadline);
}

/** Every item fails with the same fault of the whole run, and nothing is sent. */
function runFaultReceipts<Target, C extends Connection>(
	context: IExecuteFunctions,
	operation: ErasureOperation<Target, C>,
	settings: ErasureSettings,
	fault: InvalidValueError,
	deadlineOf: (itemIndex: number) => Deadline | undefined,
): INodeExecutionData[] {
	return Array.from({ length: context.getInputData().length }, (_, itemIndex) =>
		buildReceipt(
			operation,
			settings,
			itemIndex,
			{ kind: 'invalid', error: fault, identifiers: [], deadline: deadlineOf(itemIndex) },
			(text) => text,
		),
	);
}

/**
 * One refusal per item, naming whom the model asked to erase when the item could be read (in the
 * identifier form chosen), so the attempt stays on record.
 */
function refusalReceipts<Target, C extends Connection>(
	context: IExecuteFunctions,
	operation: ErasureOperation<Target, C>,
	settings: ErasureSettings,
): INodeExecutionData[] {
	const deadlineOf = deadlineReader(context, settings.deadlineRule);
	return Array.from({ length: context.getInputData().length }, (_, itemIndex) => {
		const read = readItem(context, operation, deadlineOf, itemIndex);
		const identifiers = 'target' in read ? operation.identifiers(read.target) : [];
		return buildReceipt(
			operation,
			settings,
			itemIndex,
			{ kind: 'refused', identifiers, deadline: read.deadline },
			(text) => text,
		);
	});
}
