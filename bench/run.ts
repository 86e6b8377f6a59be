// `npm run bench [-- group…]`: runs the benchmark groups, prints a table, and merges the figures into
// bench-results.json ({ "<figure>": number }) so runs can be compared.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { groups } from './groups';

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !(w in groups));
if (unknown.length) {
  console.error(`Unknown group(s): ${unknown.join(', ')}. Groups: ${Object.keys(groups).join(', ')}`);
  process.exit(2);
}

const figures: Record<string, number> = {};
for (const [name, group] of Object.entries(groups)) {
  if (wanted.length && !wanted.includes(name)) continue;
  console.log(`… ${name}`);
  Object.assign(figures, await group());
}

console.table(Object.entries(figures).map(([figure, value]) => ({ figure, value: Number(value.toFixed(3)) })));
const file = 'bench-results.json';
const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>) : {};
writeFileSync(file, `${JSON.stringify({ ...previous, ...figures }, null, 2)}\n`);
console.log(`Written to ${file}`);
