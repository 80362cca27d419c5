// `readBill`: a bill read as it streams in, one record at a time, with a bounded amount of text
// in hand. Lines are cut here; each batch of lines is parsed by `parseBill` (Rust).
import { parseBill } from './wxpay.js';

/**
 * `for await (const row of readBill(stream)) ...`, then `bill.summary`: the records of a bill
 * (a `ReadableStream<Uint8Array>`, e.g. `wxpay.download(data, { stream: true })`, or any async
 * iterable of bytes) keyed by its header, and its summary once every record was read.
 */
export function readBill(source) {
  const bill = {
    summary: undefined,
    async *[Symbol.asyncIterator]() {
      const decoder = new TextDecoder('utf-8', { fatal: true });
      let header;
      let summary; // [summary header, values] once the summary begins
      let rest = '';
      function* take(lines) {
        const batch = [];
        for (const raw of lines) {
          const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
          if (line.trim() === '') continue;
          if (header === undefined) header = line.replace(/^\uFEFF/, '');
          else if (summary !== undefined) summary.push(line);
          else if (line.startsWith('`')) batch.push(line);
          else summary = [line];
        }
        if (batch.length) yield* parseBill(`${header}\n${batch.join('\n')}`).rows;
      }
      for await (const chunk of source) {
        rest += decoder.decode(chunk, { stream: true });
        const cut = rest.lastIndexOf('\n');
        if (cut < 0) continue;
        const lines = rest.slice(0, cut).split('\n');
        rest = rest.slice(cut + 1);
        yield* take(lines);
      }
      rest += decoder.decode();
      yield* take(rest.split('\n'));
      bill.summary = summary === undefined ? {} : parseBill(`${header}\n${summary.join('\n')}`).summary;
    },
  };
  return bill;
}
