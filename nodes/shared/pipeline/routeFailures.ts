import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

/**
 * Failed receipts stay in the main output unless the node's "On Error" setting asks for the error
 * output. n8n's engine routes an item there only when its json is exactly `{ error, message }` (and
 * replaces the json of any item carrying `item.error` by the bare message), so the receipt travels
 * under `error`; the engine adds the input item's fields beside it.
 */
export function routeFailures(context: IExecuteFunctions, receipts: INodeExecutionData[]): INodeExecutionData[][] {
	if (context.getNode().onError !== 'continueErrorOutput') return [receipts];
	return [
		receipts.map((item) =>
			item.json.status === 'failed' || item.json.status === 'unconfirmed'
				? { json: { message: item.json.message, error: item.json }, pairedItem: item.pairedItem }
				: item,
		),
	];
}
