import type { IExecuteFunctions, NodeParameterValueType } from 'n8n-workflow';

type ParameterValue = NodeParameterValueType | object;

/** Per run and parameter: the value, when no expression makes it differ between items. */
type Reading = { perItem: true } | { perItem: false; value: ParameterValue };

const readings = new WeakMap<IExecuteFunctions, Map<string, Reading>>();

function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value && typeof value === 'object') return Object.values(value).some(holdsExpression);
	return false;
}

/**
 * A node parameter for one item. A parameter without an expression has the same value for every
 * item, so it is read once per run: at 100k items, n8n's per-call parameter handling would
 * otherwise cost more than everything else the node does. Whether it holds an expression is also
 * decided once, since `getNode()` hands out a deep copy of the node on every call.
 */
export function itemParameter(
	context: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback?: ParameterValue,
): ParameterValue {
	let byName = readings.get(context);
	if (!byName) readings.set(context, (byName = new Map()));
	let reading = byName.get(name);
	if (!reading) {
		const raw = name.split('.').reduce<unknown>(
			(value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined),
			context.getNode().parameters,
		);
		reading = holdsExpression(raw)
			? { perItem: true }
			: { perItem: false, value: context.getNodeParameter(name, itemIndex, fallback) };
		byName.set(name, reading);
	}
	return reading.perItem ? context.getNodeParameter(name, itemIndex, fallback) : reading.value;
}
