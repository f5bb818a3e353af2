/**
 * What n8n's editor shows of the package, computed by the editor's own rules (n8n-editor-ui 2.8.4):
 * the fields of a credential dialog, and whether the node picker finds a node for a search term.
 */
import {
	type ICredentialDataDecryptedObject,
	type INodeProperties,
	type INodeTypeDescription,
	NodeHelpers,
} from 'n8n-workflow';

/** A credential type as the editor receives it (`/types/credentials.json`). */
export interface CredentialTypeData {
	name: string;
	extends?: string[];
	properties: INodeProperties[];
}

/**
 * The fields a credential dialog shows, in order: the type's properties merged over its parents'
 * (`mergeNodeProperties`: an inherited field keeps its parent's place, a new one comes after), its
 * values the saved ones over every field's default, and only the fields that are not hidden and whose
 * display conditions hold (the editor's `getCredentialProperties` and `displayCredentialParameter`).
 */
export function credentialDialogFields(
	types: CredentialTypeData[],
	name: string,
	values: ICredentialDataDecryptedObject = {},
): string[] {
	const properties = mergedProperties(types, name);
	const data = {
		...Object.fromEntries(properties.map((property) => [property.name, property.default])),
		...values,
	} as ICredentialDataDecryptedObject;
	return properties
		.filter((property) => property.type !== 'hidden')
		.filter(
			(property) => property.displayOptions === undefined || NodeHelpers.displayParameter(data, property, null, null),
		)
		.map((property) => property.name);
}

function mergedProperties(types: CredentialTypeData[], name: string): INodeProperties[] {
	const type = types.find((candidate) => candidate.name === name);
	if (!type) throw new Error(`No credential type ${name}`);
	if (type.extends === undefined) return type.properties;
	const merged: INodeProperties[] = [];
	for (const parent of type.extends) NodeHelpers.mergeNodeProperties(merged, mergedProperties(types, parent));
	NodeHelpers.mergeNodeProperties(merged, type.properties);
	return merged;
}

/** A node as the picker lists it: its display name and its codex aliases. */
export interface PickerItem {
	displayName: string;
	codex?: { alias?: string[] };
}

/**
 * Whether the node picker (the AI tools picker too) lists an item for a search term: the editor's
 * `sublimeSearch` matches the term, case-insensitively, as a subsequence of the display name or of
 * one of the codex aliases, and of nothing else.
 */
export function pickerFinds(term: string, item: PickerItem): boolean {
	return [item.displayName, ...(item.codex?.alias ?? [])].some((text) =>
		isSubsequence(term.toLowerCase(), text.toLowerCase()),
	);
}

function isSubsequence(pattern: string, text: string): boolean {
	let at = 0;
	for (const character of text) if (character === pattern[at]) at++;
	return pattern.length > 0 && at === pattern.length;
}

/**
 * A node's AI tool as the AI tools picker lists it, as n8n generates it (`createAiTools`): the
 * node's description with its `usableAsTool` replacements, " Tool" after the display name, and a
 * codex rebuilt for the AI category. n8n before 2.40 leaves the node's aliases out of that codex
 * (its `setToolCodex`); 2.40 keeps them.
 */
export function toolAsListed(
	description: Pick<INodeTypeDescription, 'displayName' | 'usableAsTool'>,
	codex: { alias?: string[] },
	{ keepsAliases }: { keepsAliases: boolean },
): PickerItem {
	const { usableAsTool } = description;
	const replacements = typeof usableAsTool === 'object' ? (usableAsTool.replacements ?? {}) : {};
	return {
		displayName: `${replacements.displayName ?? description.displayName} Tool`,
		codex: keepsAliases ? { alias: codex.alias } : {},
	};
}
