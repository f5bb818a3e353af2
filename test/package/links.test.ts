/**
 * Every link lands: the editor's documentation links (each node's codex, each credential's
 * documentationUrl) on a page of this repository, with no anchor (n8n appends `?utm_source=…`
 * after the `#`, so the page would not jump), and every relative link of the Markdown pages on a
 * file and, with a `#fragment`, on a heading of that file as GitHub names it.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
	repository?: { type?: string; url?: string };
};
const repository = /^git\+(https:\/\/github\.com\/[^/]+\/[^/]+?)\.git$/.exec(manifest.repository?.url ?? '')?.[1] ?? '';

/** Files under a folder of the package, as paths from the package root. */
function filesUnder(folder: string, endings: string[]): string[] {
	if (!existsSync(path.join(root, folder))) return [];
	return readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile() && endings.some((ending) => entry.name.endsWith(ending)))
		.map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

/** GitHub's anchor for a heading: lower case, punctuation dropped except `-` and `_`, spaces to `-`. */
function githubSlug(heading: string): string {
	return heading
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/<[^>]+>/g, '')
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
		.replace(/ /g, '-');
}

/** The lines of a Markdown text outside fenced code blocks. */
function linesOutsideFences(markdown: string): string[] {
	const lines: string[] = [];
	let fence: string | undefined;
	for (const line of markdown.split('\n')) {
		const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
		if (fence) {
			if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker)
				fence = undefined;
			continue;
		}
		if (marker) {
			fence = marker;
			continue;
		}
		lines.push(line);
	}
	return lines;
}

/** The lines of a Markdown text outside fenced code blocks, with their inline code removed. */
function proseLines(markdown: string): string[] {
	return linesOutsideFences(markdown).map((line) => line.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, ''));
}

/** The anchors a Markdown file offers: its ATX headings' slugs (repeats numbered as GitHub does) and HTML ids. */
function anchorsOf(markdown: string): Set<string> {
	const anchors = new Set<string>();
	const seen = new Map<string, number>();
	for (const line of linesOutsideFences(markdown)) {
		const heading = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)?.[1];
		if (heading !== undefined) {
			const slug = githubSlug(heading);
			const count = seen.get(slug) ?? 0;
			seen.set(slug, count + 1);
			anchors.add(count === 0 ? slug : `${slug}-${count}`);
		}
		for (const [, id] of line.matchAll(/<[a-z]+[^>]*\s(?:id|name)="([^"]+)"/gi)) anchors.add(id);
	}
	return anchors;
}

/** Every link target of a Markdown text: inline links and images, reference definitions, HTML src/href. */
function linksOf(markdown: string): string[] {
	const targets: string[] = [];
	for (const line of proseLines(markdown)) {
		for (const [, target] of line.matchAll(/!?\[(?:[^[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g))
			targets.push(target);
		for (const [, target] of line.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/g)) targets.push(target);
		for (const [, target] of line.matchAll(/\s(?:src|href)="([^"]+)"/g)) targets.push(target);
	}
	return targets;
}

/**
 * What is wrong with one link of `from` (a file path under `base`): a missing file, a fragment no
 * heading of its file has, a path outside `base`. Links to other sites are not followed; links to
 * this repository on GitHub (`<repository>/blob/main/…`, `/tree/main/…`) are checked as files.
 */
function problemWith(target: string, from: string, base: string): string | undefined {
	let pathPart: string;
	let fragment: string | undefined;
	const own =
		repository && target.startsWith(`${repository}/`)
			? /^\/(?:blob|tree)\/main\/([^?#]*)(\?[^#]*)?(?:#(.*))?$/.exec(target.slice(repository.length))
			: undefined;
	if (repository && target.startsWith(`${repository}/`) && !own)
		return 'points into the repository, but not to a file on main';
	if (own) {
		pathPart = path.join(base, decodeURIComponent(own[1]));
		fragment = own[3];
	} else if (/^[a-z][a-z\d+.-]*:/i.test(target) || target.startsWith('//')) {
		return undefined;
	} else {
		const [file, ...rest] = target.split('#');
		fragment = rest.length > 0 ? rest.join('#') : undefined;
		const withoutQuery = file.split('?')[0];
		pathPart = withoutQuery === '' ? from : path.resolve(path.dirname(from), decodeURIComponent(withoutQuery));
	}
	const relative = path.relative(base, pathPart);
	if (relative.startsWith('..') || path.isAbsolute(relative)) return 'leaves the repository';
	if (!existsSync(pathPart)) return `${relative || '.'} does not exist`;
	if (fragment === undefined) return undefined;
	if (!pathPart.endsWith('.md')) return `#${fragment} on ${relative}, which has no headings`;
	if (!anchorsOf(readFileSync(pathPart, 'utf8')).has(decodeURIComponent(fragment)))
		return `${relative} has no heading #${fragment}`;
	return undefined;
}

/** Every problem of every link in these Markdown files, as "file: target: problem". */
function linkProblems(files: string[], base: string): string[] {
	return files.flatMap((file) => {
		const absolute = path.join(base, file);
		return linksOf(readFileSync(absolute, 'utf8')).flatMap((target) => {
			const problem = problemWith(target, absolute, base);
			return problem ? [`${file}: ${target}: ${problem}`] : [];
		});
	});
}

const markdownFiles = ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', ...filesUnder('docs', ['.md'])];

/** The URLs written into what ships: the codex files and credentials, as sources and as built in dist/. */
const shippedSources = [
	...filesUnder('nodes', ['.node.json']),
	...filesUnder('credentials', ['.ts']),
	...filesUnder('dist', ['.js', '.json']),
];
const urlsIn = (file: string) =>
	[...readFileSync(path.join(root, file), 'utf8').matchAll(/https?:\/\/[^\s'"`<>)\]\\]+/g)].map(([url]) => url);

const nodeFolders = readdirSync(path.join(root, 'nodes')).filter((name) => name !== 'shared');
const credentialFiles = filesUnder('credentials', ['.credentials.ts']);

describe('links', () => {
	it('package.json names the GitHub repository the pages are served from', () => {
		expect(manifest.repository?.type).toBe('git');
		expect(repository, manifest.repository?.url).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+$/);
	});

	it.each(nodeFolders)("%s: the editor's documentation link is the node's own page, without an anchor", (folder) => {
		const codex = JSON.parse(readFileSync(path.join(root, 'nodes', folder, `${folder}.node.json`), 'utf8')) as {
			resources: { primaryDocumentation: Array<{ url: string }> };
		};
		const [{ url }] = codex.resources.primaryDocumentation;
		expect(url).not.toContain('#');
		expect(url).toMatch(new RegExp(`^${repository.replace(/[.]/g, '\\.')}/blob/main/docs/nodes/[a-z-]+\\.md$`));
		expect(problemWith(url, path.join(root, 'package.json'), root)).toBeUndefined();
		const page = readFileSync(path.join(root, url.slice(`${repository}/blob/main/`.length)), 'utf8');
		const displayName = /displayName: '([^']+)'/.exec(
			readFileSync(path.join(root, 'nodes', folder, `${folder}.node.ts`), 'utf8'),
		)![1];
		expect(page.split('\n')[0]).toBe(`# ${displayName} node`);
	});

	it.each(credentialFiles)(
		'%s: documentationUrl is the page that explains this credential, without an anchor',
		(file) => {
			const source = readFileSync(path.join(root, file), 'utf8');
			const url = /documentationUrl\s*=\s*'([^']+)'/.exec(source)?.[1] ?? '';
			const displayName = /displayName = '([^']+)'/.exec(source)?.[1] ?? '';
			expect(url).not.toContain('#');
			expect(url).toMatch(new RegExp(`^${repository.replace(/[.]/g, '\\.')}/blob/main/docs/nodes/[a-z-]+\\.md$`));
			expect(problemWith(url, path.join(root, file), root)).toBeUndefined();
			const page = readFileSync(path.join(root, url.slice(`${repository}/blob/main/`.length)), 'utf8');
			expect(anchorsOf(page)).toContain(githubSlug(`Credential: ${displayName}`));
		},
	);

	it('every URL that ships and points into this repository lands on a file, and none has an anchor', () => {
		expect(
			shippedSources.filter((file) => file.startsWith('dist/')).length,
			'run `npm run build` first',
		).toBeGreaterThan(0);
		const own = shippedSources.flatMap((file) =>
			urlsIn(file)
				.filter((url) => url.startsWith(`${repository}/`) || url.includes('npmjs.com/package/n8n-nodes-erasure'))
				.map((url) => ({ file, url })),
		);
		expect(own.length).toBeGreaterThanOrEqual(2 * (nodeFolders.length + credentialFiles.length));
		for (const { file, url } of own) {
			expect(url, `${file}: ${url}`).not.toContain('#');
			expect(problemWith(url, path.join(root, file), root), `${file}: ${url}`).toBeUndefined();
		}
	});

	it('every link in README.md, CONTRIBUTING.md, CHANGELOG.md and docs/ lands on a file and, with a fragment, on a heading', () => {
		expect(markdownFiles).toEqual(
			expect.arrayContaining(['docs/privacy-officer.md', 'docs/operators.md', 'docs/nodes/blueshift.md']),
		);
		expect(linkProblems(markdownFiles, root)).toEqual([]);
	});
});

describe('the link check itself', () => {
	it("names GitHub's anchors as GitHub does", () => {
		expect(githubSlug('The local setup behind `npm start`')).toBe('the-local-setup-behind-npm-start');
		expect(githubSlug('n8n 3.0 and unverified community packages')).toBe('n8n-30-and-unverified-community-packages');
		expect(githubSlug('Credential: CustomerGauge OAuth2 API')).toBe('credential-customergauge-oauth2-api');
		expect(githubSlug('Guarantees, and how they are tested')).toBe('guarantees-and-how-they-are-tested');
		expect(githubSlug('snake_case and a/b')).toBe('snake_case-and-ab');
		expect([...anchorsOf('# A\n## A\n```\n# not a heading\n```\n### A')]).toEqual(['a', 'a-1', 'a-2']);
	});

	it('finds a missing file, a missing heading and a link out of the repository, and nothing in code', () => {
		const base = mkdtempSync(path.join(tmpdir(), 'links-test-'));
		try {
			mkdirSync(path.join(base, 'docs'));
			writeFileSync(path.join(base, 'docs', 'b.md'), '# B\n\n## Here it is\n');
			writeFileSync(
				path.join(base, 'a.md'),
				[
					'# A',
					'[fine](docs/b.md) [fine too](docs/b.md#here-it-is) [self](#a) ![dir](docs/)',
					'[gone](docs/c.md) [no such heading](docs/b.md#not-here) [out](../elsewhere.md) [site](https://example.com/x#y)',
					'`[in code](nowhere.md)`',
					'```',
					'[in a block](nowhere.md)',
					'```',
				].join('\n'),
			);
			expect(linkProblems(['a.md'], base)).toEqual([
				'a.md: docs/c.md: docs/c.md does not exist',
				'a.md: docs/b.md#not-here: docs/b.md has no heading #not-here',
				'a.md: ../elsewhere.md: leaves the repository',
			]);
		} finally {
			rmSync(base, { recursive: true, force: true });
		}
	});
});
