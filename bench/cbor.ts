/**
 * CBOR encoding micro-benchmark: serverwamp's own encoder against cbor-x,
 * which it replaced (cbor-x with plain maps, after the 64-bit integer
 * widening it needed). Decoding is not compared: client frames were already
 * decoded by serverwamp's strict decoder. The RPC benchmark has no CBOR
 * target, so this is where the cost of the change is measured.
 * Run: npx tsx bench/cbor.ts [milliseconds per measurement, default 1000]
 * @module
 */
import { Encoder } from 'cbor-x';
import { encodeCBOR } from '../src/serializers/cbor.js';
import { widenLargeIntegers } from '../src/serializers/integers.js';
import { median } from './report.js';

const cborX = new Encoder({ useRecords: false, mapsAsObjects: true });
const encoders: Record<string, (value: unknown) => Uint8Array> = {
  serverwamp: encodeCBOR,
  'cbor-x': (value) => cborX.encode(widenLargeIntegers(value)),
};

const MESSAGES: Record<string, unknown> = {
  'RESULT [50, id, {}, [5]]': [50, 4_503_599_627_370_000, {}, [5]],
  'EVENT with kwargs': [36, 8_812_345, 1_234_567_890_123, {}, ['chat'], { from: 'ann', text: 'hello, everyone — ça va ?', at: 1_733_220_000_000 }],
  'INVOCATION, 20 records': [68, 17, 42, {}, [Array.from({ length: 20 }, (_, i) => ({ id: i, name: `item-${i}`, price: i * 1.25, tags: ['a', 'b'] }))]],
  'RESULT, 64 KiB of bytes': [50, 9, {}, [new Uint8Array(64 * 1024).fill(7)]],
};

function opsPerSecond(encode: (value: unknown) => Uint8Array, message: unknown, ms: number): number {
  let count = 0;
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    for (let i = 0; i < 100; i++) encode(message);
    count += 100;
  }
  return count / (ms / 1000);
}

const ms = Number(process.argv[2] ?? 1000);
const ROUNDS = 5;
console.log(`CBOR encode, ops/s (median of ${ROUNDS} interleaved rounds of ${ms} ms)\n`);
console.log('| message | serverwamp | cbor-x | serverwamp ÷ cbor-x |');
console.log('|:--|--:|--:|--:|');
for (const [name, message] of Object.entries(MESSAGES)) {
  const samples: Record<string, number[]> = { serverwamp: [], 'cbor-x': [] };
  for (const encode of Object.values(encoders)) opsPerSecond(encode, message, 200); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ['serverwamp', 'cbor-x'] : ['cbor-x', 'serverwamp'];
    for (const key of order) samples[key]!.push(opsPerSecond(encoders[key]!, message, ms));
  }
  const ours = median(samples['serverwamp']!);
  const theirs = median(samples['cbor-x']!);
  console.log(`| ${name} | ${Math.round(ours).toLocaleString('en')} | ${Math.round(theirs).toLocaleString('en')} | ${(ours / theirs).toFixed(2)}× |`);
}
