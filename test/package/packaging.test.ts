import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

import { PackageDirectoryLoader } from 'n8n-core';
import { beforeAll, describe, expect, it } from 'vitest';

import { supportedRuntimes } from '../../scripts/lib/n8n-runtime.mjs';

const root = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
	name: string;
	engines: { node: string };
	dependencies?: Record<string, string>;
	peerDependencies: Record<string, string>;
	n8n: { nodes: string[]; credentials: string[] };
};

function filesUnder(folder: string): string[] {
	return readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

describe('the built package, as n8n loads it (run after `npm run build`)', () => {
	let loader: PackageDirectoryLoader;

	beforeAll(async () => {
		loader = new PackageDirectoryLoader(root);
		await loader.loadAll();
	});

	it('lists only files that exist in dist/', () => {
		for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
			expect(file.startsWith('dist/'), file).toBe(true);
			expect(existsSync(path.join(root, file)), file).toBe(true);
		}
	});

	it('declares only a lower Node.js bound, met by the Node.js of every tested n8n (npm would refuse it under engine-strict otherwise)', () => {
		const lowerBound = /^>=(\d+)\.(\d+)$/.exec(manifest.engines.node);
		expect(lowerBound, manifest.engines.node).not.toBeNull();
		const atLeast = (version: string) => {
			const [major, minor] = version.split('.').map(Number);
			return major > Number(lowerBound![1]) || (major === Number(lowerBound![1]) && minor >= Number(lowerBound![2]));
		};
		const nodeVersions = Object.values(supportedRuntimes).map(({ node }) =>
			node === 'current' ? process.versions.node : node,
		);
		expect(nodeVersions.length).toBeGreaterThanOrEqual(2);
		for (const version of nodeVersions) expect(atLeast(version), version).toBe(true);
	});

	it('requires at run time only n8n-workflow, zod (both provided by every n8n) and Node.js built-ins', () => {
		const required = new Set(
			filesUnder('dist')
				.filter((file) => file.endsWith('.js'))
				.flatMap((file) =>
					[...readFileSync(path.join(root, file), 'utf8').matchAll(/require\("([^"]+)"\)/g)].map(([, name]) => name),
				)
				.filter((name) => !name.startsWith('.')),
		);
		const providedByN8n = ['n8n-workflow', 'zod'];
		expect([...required].filter((name) => !providedByN8n.includes(name) && !builtinModules.includes(name))).toEqual([]);
		expect(required.has('zod')).toBe(true);
	});

	it('has no runtime dependencies and n8n-workflow as a "*" peer', () => {
		expect(manifest.dependencies).toBeUndefined();
		expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	});

	it("loads every node and credential listed, with n8n's package loader", () => {
		expect(loader.packageName).toBe(manifest.name);
		expect(Object.keys(loader.known.nodes).sort()).toEqual(
			manifest.n8n.nodes.map((file) => camelCaseClassName(file)).sort(),
		);
		expect(Object.keys(loader.known.credentials).sort()).toEqual(
			manifest.n8n.credentials.map((file) => camelCaseClassName(file)).sort(),
		);
	});

	it('resolves every icon to a file shipped in dist/', () => {
		const described = [...loader.types.nodes, ...loader.types.credentials] as Array<{
			name: string;
			iconUrl?: { light: string; dark: string };
		}>;
		for (const type of described) {
			expect(type.iconUrl, type.name).toBeDefined();
			for (const url of Object.values(type.iconUrl!)) {
				const file = url.replace(`icons/${manifest.name}/`, '');
				expect(file.startsWith('dist/'), url).toBe(true);
				expect(existsSync(path.join(root, file)), url).toBe(true);
			}
		}
	});

	it('gives every node its codex (categories and documentation links)', () => {
		for (const node of loader.types.nodes) {
			expect(node.codex?.categories, node.name).toEqual(expect.arrayContaining([expect.any(String)]));
			expect(node.codex?.resources?.primaryDocumentation?.length, node.name).toBeGreaterThan(0);
		}
	});

	it('ships only dist/, README.md, LICENSE and package.json', () => {
		const [packed] = JSON.parse(
			execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }),
		) as Array<{ files: Array<{ path: string }> }>;
		const shipped = packed.files.map((file) => file.path).sort();
		expect(shipped).toEqual([...filesUnder('dist'), 'LICENSE', 'README.md', 'package.json'].sort());
	});
});

/** `dist/nodes/Foo/FooBar.node.js` is registered by n8n under its class name, lower camel case. */
function camelCaseClassName(file: string) {
	const className = path.basename(file).split('.')[0];
	return className[0].toLowerCase() + className.slice(1);
}
