import type { IExecuteFunctions, INodeExecutionData, NodeParameterValueType } from 'n8n-workflow';

import { setOwn } from '../privacy/ownProperty';

type ParameterValue = NodeParameterValueType | object;

/** `{{ $json.email }}`, `{{ $json.contact.email }}`, `{{ $json["e-mail"] }}`: a field of the item. */
class FieldReference {
	constructor(readonly path: string[]) {}
}

/** A parameter's raw value with each plain field reference in it replaced by a `FieldReference`. */
type Template = FieldReference | ParameterValue | Template[] | { [key: string]: Template };

/**
 * How a parameter is read, decided once per run: `fixed` holds no expression, `fields` holds only
 * plain field references, `expression` needs n8n's expression engine for every item.
 */
type Reading =
	{ kind: 'fixed'; value: ParameterValue } | { kind: 'fields'; template: Template } | { kind: 'expression' };

interface RunReadings {
	items: INodeExecutionData[];
	byName: Map<string, Reading>;
}

const runs = new WeakMap<IExecuteFunctions, RunReadings>();

const PLAIN_FIELD_REFERENCE = /^=\{\{\s*\$json((?:\.[A-Za-z_$][\w$]*|\[\s*(?:"[^"\\]*"|'[^'\\]*')\s*\])+)\s*\}\}$/;
const PATH_SEGMENT = /\.([A-Za-z_$][\w$]*)|\[\s*(?:"([^"\\]*)"|'([^'\\]*)')\s*\]/g;

function fieldReference(expression: string): FieldReference | undefined {
	const match = PLAIN_FIELD_REFERENCE.exec(expression);
	if (!match) return undefined;
	return new FieldReference(
		Array.from(match[1].matchAll(PATH_SEGMENT), (segment) => segment[1] ?? segment[2] ?? segment[3]),
	);
}

/** The template of a raw value, or undefined when an expression in it is more than a field reference. */
function templateOf(raw: unknown): { template: Template } | undefined {
	if (typeof raw === 'string' && raw.startsWith('=')) {
		const reference = fieldReference(raw);
		return reference && { template: reference };
	}
	if (raw && typeof raw === 'object') {
		const entries: Array<[string, Template]> = [];
		for (const [key, element] of Object.entries(raw)) {
			const part = templateOf(element);
			if (!part) return undefined;
			entries.push([key, part.template]);
		}
		return { template: Array.isArray(raw) ? entries.map(([, part]) => part) : Object.fromEntries(entries) };
	}
	return { template: raw as ParameterValue };
}

function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (value && typeof value === 'object') return Object.values(value).some(holdsExpression);
	return false;
}

const NOT_TEXT = Symbol('a referenced field is missing or not text');

function fieldText(json: unknown, { path }: FieldReference): string | typeof NOT_TEXT {
	let value = json;
	for (const key of path) {
		if (!value || typeof value !== 'object' || !Object.hasOwn(value, key)) return NOT_TEXT;
		value = (value as Record<string, unknown>)[key];
	}
	return typeof value === 'string' ? value : NOT_TEXT;
}

// Loops, not Object.entries and Object.fromEntries: this runs for every item before the first request.
function filled(template: Template, json: unknown): ParameterValue | typeof NOT_TEXT {
	if (template instanceof FieldReference) return fieldText(json, template);
	if (!template || typeof template !== 'object') return template;
	if (Array.isArray(template)) {
		const values: ParameterValue[] = [];
		for (const part of template) {
			const value = filled(part, json);
			if (value === NOT_TEXT) return NOT_TEXT;
			values.push(value);
		}
		return values;
	}
	const copy: Record<string, ParameterValue> = {};
	for (const key of Object.keys(template)) {
		const value = filled((template as Record<string, Template>)[key], json);
		if (value === NOT_TEXT) return NOT_TEXT;
		setOwn(copy, key, value);
	}
	return copy;
}

function readingOf(context: IExecuteFunctions, name: string, itemIndex: number, fallback?: ParameterValue): Reading {
	const raw = name
		.split('.')
		.reduce<unknown>(
			(value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined),
			context.getNode().parameters,
		);
	if (!holdsExpression(raw)) return { kind: 'fixed', value: context.getNodeParameter(name, itemIndex, fallback) };
	const fields = templateOf(raw);
	return fields ? { kind: 'fields', template: fields.template } : { kind: 'expression' };
}

/**
 * A node parameter for one item. At 100k items n8n's per-item parameter handling costs more than
 * everything else the node does, and several times more on n8n versions whose expression engine
 * runs in an isolate, so the common cases skip it: a parameter without an expression is read once
 * per run, and plain field references such as `{{ $json.email }}` or `{{ $json["e-mail"] }}` are
 * read from the item directly when the fields hold text. Anything else (another expression, a
 * field that is missing or not text) goes through n8n, so its value and errors are exactly n8n's.
 * How a parameter is read is decided once per run: `getNode()` hands out a deep copy on every call.
 */
export function itemParameter(
	context: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback?: ParameterValue,
): ParameterValue {
	let run = runs.get(context);
	if (!run) runs.set(context, (run = { items: context.getInputData(), byName: new Map() }));
	let reading = run.byName.get(name);
	if (!reading) run.byName.set(name, (reading = readingOf(context, name, itemIndex, fallback)));
	if (reading.kind === 'fixed') return reading.value;
	if (reading.kind === 'fields') {
		const value = filled(reading.template, run.items[itemIndex]?.json);
		if (value !== NOT_TEXT) return value;
	}
	return context.getNodeParameter(name, itemIndex, fallback);
}
