/**
 * The layout CONTRIBUTING.md's Architecture section promises: the shared pipeline knows no vendor, its
 * folders import only downwards, vendors know only themselves and the pipeline, each credential
 * knows only its vendor, and no module imports itself back through others.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');

function sourcesUnder(folder: string): string[] {
	return readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
		.map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

/** The package files a source imports, as paths from the package root. */
function importsOf(file: string): string[] {
	const code = readFileSync(path.join(root, file), 'utf8');
	return [...code.matchAll(/from '(\.{1,2}\/[^']+)'/g)].map(([, specifier]) => {
		const target = path.join(path.dirname(file), specifier);
		return existsSync(path.join(root, `${target}.ts`)) ? `${target}.ts` : path.join(target, 'index.ts');
	});
}

const sources = [...sourcesUnder('nodes'), ...sourcesUnder('credentials')];
const vendorFolders = readdirSync(path.join(root, 'nodes')).filter((name) => name !== 'shared');
/** The folders of nodes/shared from the bottom up: shared types below the code that uses them. */
const SHARED_FLOORS = ['description', 'types', 'privacy', 'input', 'sending', 'receipts', 'pipeline'];
const folderOf = (file: string) => file.split(path.sep).slice(0, 2).join('/');

describe('architecture', () => {
	it('finds three vendor folders beside the shared pipeline', () => {
		expect(vendorFolders.sort()).toEqual(['BloomreachEngagement', 'Blueshift', 'CustomerGauge']);
	});

	it.each(sourcesUnder('nodes/shared'))('%s imports nothing outside nodes/shared', (file) => {
		for (const imported of importsOf(file)) expect(imported, `${file} imports ${imported}`).toMatch(/^nodes\/shared\//);
	});

	it.each(sourcesUnder('nodes/shared'))('%s imports only its own folder and the ones below it', (file) => {
		const floor = (source: string) => SHARED_FLOORS.indexOf(source.split(path.sep)[2]);
		expect(floor(file), `${file} is in a folder of nodes/shared that has no floor`).toBeGreaterThanOrEqual(0);
		for (const imported of importsOf(file)) {
			expect(floor(imported), `${file} imports ${imported}`).toBeLessThanOrEqual(floor(file));
		}
	});

	it.each(vendorFolders)('nodes/%s imports only itself and nodes/shared', (vendor) => {
		for (const file of sourcesUnder(`nodes/${vendor}`)) {
			for (const imported of importsOf(file)) {
				expect(['nodes/shared', `nodes/${vendor}`], `${file} imports ${imported}`).toContain(folderOf(imported));
			}
		}
	});

	it.each(sourcesUnder('credentials').filter((file) => file.endsWith('.credentials.ts')))(
		'%s imports only credentials/common and one vendor folder',
		(file) => {
			const vendors = new Set(
				importsOf(file)
					.filter((imported) => !imported.startsWith('credentials/common/'))
					.map(folderOf),
			);
			expect(vendors.size, `${file} imports ${[...vendors].join(', ')}`).toBeLessThanOrEqual(1);
			for (const vendor of vendors) expect(vendorFolders.map((name) => `nodes/${name}`)).toContain(vendor);
		},
	);

	it('has no import cycle', () => {
		const state = new Map<string, 'visiting' | 'done'>();
		const cycles: string[] = [];
		const visit = (file: string, trail: string[]) => {
			if (state.get(file) === 'done') return;
			if (state.get(file) === 'visiting') {
				cycles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
				return;
			}
			state.set(file, 'visiting');
			for (const imported of importsOf(file)) visit(imported, [...trail, file]);
			state.set(file, 'done');
		};
		for (const file of sources) visit(file, []);
		expect(cycles).toEqual([]);
	});
});
