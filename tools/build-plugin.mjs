// Builds packages/nx-stages into dist/: compiles TypeScript, copies the JSON schemas beside
// the compiled generators and executors, marks the bin executable, and copies the README in.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'nx-stages');
const src = join(root, 'src');
const dist = join(root, 'dist');
const require = createRequire(import.meta.url);

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.lib.json')], {
  stdio: 'inherit',
});

function copyJson(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) copyJson(path);
    else if (entry.endsWith('.json') || entry.endsWith('.template')) cpSync(path, join(dist, relative(src, path)));
  }
}
copyJson(src);

// The package's README is the repository's (one text to keep true); npm shows it on the package page.
cpSync(join(root, '..', '..', 'README.md'), join(root, 'README.md'));

const bin = join(dist, 'bin', 'nx-stages.js');
if (existsSync(bin)) chmodSync(bin, 0o755);
console.log(`built ${relative(process.cwd(), dist) || dist}`);
