/**
 * n8n's verified-node rules, checked on the code that ships: no environment, file system, raw
 * timers or console in node and credential code, and nothing imported beyond what n8n provides.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');
const sources = ['nodes', 'credentials'].flatMap((folder) =>
	readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
		.map((entry) => path.relative(root, path.join(entry.parentPath, entry.name))),
);

const forbidden: Array<[string, RegExp]> = [
	['environment variables', /\bprocess\b/],
	['the file system', /['"](node:)?fs(\/promises)?['"]/],
	['child processes', /['"](node:)?child_process['"]/],
	['raw timers (use sleep from n8n-workflow)', /\b(setTimeout|setInterval|setImmediate)\b/],
	['the console', /\bconsole\./],
	['dynamic code', /\b(eval|Function)\(/],
	['globalThis', /\bglobalThis\b/],
];
const allowedImports = /^(n8n-workflow|zod|crypto|\.{1,2}\/.*)$/;

describe('package hygiene', () => {
	it('finds the node and credential sources', () => {
		expect(sources.length).toBeGreaterThan(10);
	});

	it.each(sources)('%s touches no environment, file system, raw timer or console', (file) => {
		const code = readFileSync(path.join(root, file), 'utf8');
		for (const [what, pattern] of forbidden) expect(code, `${file} uses ${what}`).not.toMatch(pattern);
		const imports = [...code.matchAll(/from '([^']+)'/g)].map((match) => match[1]);
		for (const imported of imports) expect(imported, `${file} imports ${imported}`).toMatch(allowedImports);
	});

	it('declares no runtime dependencies', () => {
		const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
		expect(manifest.dependencies).toBeUndefined();
		expect(manifest.optionalDependencies).toBeUndefined();
		expect(manifest.bundledDependencies).toBeUndefined();
	});
});
