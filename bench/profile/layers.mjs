// One run of make bench's layers section (bench/layers.mjs): the floor, the thinnest wasm
// client, the Rust client called straight and the package as users call it, side by side.
//   node bench/profile/layers.mjs [real|fake] [rounds=15] [perBatch=300]
import { runLayers } from '../layers.mjs';

const [mode = 'real', rounds = '15', perBatch = '300'] = process.argv.slice(2);
const { cpu, ratios } = await runLayers(mode, Number(rounds), Number(perBatch));
console.log(`${mode}: ${Object.entries(cpu).map(([k, v]) => `${k} ${v.toFixed(3)}`).join('  ')} ms CPU/request`);
console.log(Object.entries(ratios).map(([k, v]) => `${k} ${v.toFixed(3)}`).join('  '));
