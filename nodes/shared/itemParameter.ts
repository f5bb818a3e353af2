import type { IExecuteFunctions, NodeParameterValueType } from 'n8n-workflow';

const fixedValues = new WeakMap<IExecuteFunctions, Map<string, NodeParameterValueType | object>>();

function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value && typeof value === 'object') return Object.values(value).some(holdsExpression);
	return false;
}

/**
 * A node parameter for one item. A parameter without an expression has the same value for every
 * item, so it is read once per run: at 100k items, n8n's per-call parameter handling would
 * otherwise cost more than everything else the node does.
 */
export function itemParameter(
	context: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback?: NodeParameterValueType | object,
): NodeParameterValueType | object {
	const raw = name.split('.').reduce<unknown>(
		(value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined),
		context.getNode().parameters,
	);
	if (holdsExpression(raw)) return context.getNodeParameter(name, itemIndex, fallback);
	let values = fixedValues.get(context);
	if (!values) fixedValues.set(context, (values = new Map()));
	if (!values.has(name)) values.set(name, context.getNodeParameter(name, itemIndex, fallback));
	return values.get(name)!;
}
