const path = require('node:path');
const { task, src, dest } = require('gulp');

task('build:icons', () => Promise.all([copy('nodes', '*.{png,svg}'), copy('credentials', '*.{png,svg}')]));

// n8n reads a node's codex (categories, documentation links) from the .node.json beside its .js.
task('build:codex', () => copy('nodes', '*.node.json'));

function copy(folder, pattern) {
	const stream = src(path.resolve(folder, '**', pattern), { encoding: false }).pipe(dest(path.resolve('dist', folder)));
	return new Promise((resolve, reject) => stream.on('finish', resolve).on('error', reject));
}
