// `readBill`: a bill read as it streams in, one record at a time, with a bounded amount of text
// in hand. Lines are cut here; each batch of lines is parsed by `billParts` (parseBill's Rust).
import { billParts, summaryOf, gzipped, gzipBill } from './wxpay.js';
import { WxpayError } from './error.js';

/**
 * `decoder.decode(chunk, { stream })`, failing as parseBill does for a bill that is not UTF-8:
 * ERR_INVALID_PARAM (also for a chunk that is not bytes), the decoder's error as `cause`.
 */
function decode(decoder, chunk, stream) {
  try {
    return stream ? decoder.decode(chunk, { stream }) : decoder.decode();
  } catch (e) {
    let bytes = !stream;
    try {
      bytes ||= chunk instanceof ArrayBuffer || ArrayBuffer.isView(chunk);
    } catch { /* a Proxy whose traps throw: not bytes */ }
    const what = bytes ? 'the bill is not UTF-8 (a GZIP file? fetch it with wxpay.download(data, { stream: true }), which gunzips it)' : 'the source gave a chunk that is not bytes';
    throw new WxpayError('ERR_INVALID_PARAM', `readBill(source): ${what}`, { cause: e });
  }
}

/** The longest line `readBill` holds (in UTF-16 units); a bill's records are far shorter. */
const MAX_LINE = 1 << 20;

function tooLong() {
  throw new WxpayError('ERR_INVALID_PARAM', `readBill(source): a line is longer than ${MAX_LINE} characters`);
}

/**
 * The most lines after a bill's records: its summary is two (names and values). More is not a
 * bill, and is refused as it comes rather than held to the end.
 */
const MAX_SUMMARY_LINES = 16;

/** An error of the source itself (a caller's iterator, a stream that broke) as a WxpayError. */
function sourceError(e) {
  if (e instanceof WxpayError) return e;
  return new WxpayError('ERR_INVALID_PARAM', 'readBill(source): reading the source failed', { cause: e });
}

/**
 * `for await (const row of readBill(stream)) ...`, then `bill.summary`: the records of a bill
 * (a `ReadableStream<Uint8Array>`, e.g. `wxpay.download(data, { stream: true })`, or any async
 * iterable of bytes) keyed by its header, and its summary once every record was read.
 */
export function readBill(source) {
  let iterable = false;
  let bytes = false;
  try {
    bytes = source instanceof ArrayBuffer || ArrayBuffer.isView(source);
    iterable = !bytes && typeof source === 'object' && source !== null && (typeof source[Symbol.asyncIterator] === 'function' || typeof source[Symbol.iterator] === 'function');
  } catch { /* a throwing getter: not a source */ }
  // Bytes are iterable (as numbers): a whole bill's are refused here, not at its first number.
  if (bytes) throw new WxpayError('ERR_INVALID_PARAM', 'readBill(source): source is a whole bill\'s bytes: parseBill(bytes) reads those; readBill reads a stream of them, e.g. download(data, { stream: true })');
  if (!iterable) throw new WxpayError('ERR_INVALID_PARAM', 'readBill(source): source must be a ReadableStream of bytes or an (async) iterable of them');
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
          if (raw.length > MAX_LINE) tooLong();
          // A byte order mark is left out of every line, as parseBill leaves it out (two files
          // joined carry one mid-bill): taken for the summary's start, it hid the records after it.
          const line = (raw.endsWith('\r') ? raw.slice(0, -1) : raw).replace(/^\uFEFF/, '');
          if (line.trim() === '') continue;
          if (header === undefined) header = line;
          else if (summary !== undefined) {
            if (summary.length === MAX_SUMMARY_LINES) throw new WxpayError('ERR_INVALID_PARAM', `readBill(source): more than ${MAX_SUMMARY_LINES} lines after the records: not a bill`);
            summary.push(line);
          }
          else if (line.startsWith('`')) batch.push(line);
          else summary = [line];
        }
        if (batch.length) yield* billParts(`${header}\n${batch.join('\n')}`).rows;
      }
      const chunks = (async function* () {
        try {
          for await (const chunk of source) yield chunk;
        } catch (e) {
          throw sourceError(e);
        }
      })();
      let first = true;
      for await (const chunk of chunks) {
        if (first && gzipped(chunk)) throw new WxpayError('ERR_INVALID_PARAM', `readBill(source): ${gzipBill('wxpay.download(data, { stream: true })')}`);
        first = false;
        // Only the new text is searched for a line break, and a line is bounded, so a long
        // line (a broken or hostile file) costs linear time and bounded memory.
        const text = decode(decoder, chunk, true);
        const cut = text.lastIndexOf('\n');
        if (cut < 0) {
          rest += text;
          if (rest.length > MAX_LINE) tooLong();
          continue;
        }
        const lines = (rest + text.slice(0, cut)).split('\n');
        rest = text.slice(cut + 1);
        if (rest.length > MAX_LINE) tooLong();
        yield* take(lines);
      }
      rest += decode(decoder);
      if (rest.length > MAX_LINE) tooLong();
      yield* take(rest.split('\n'));
      // As parseBill: a bill ends with its summary; one cut short (a broken stream, a file half
      // written) fails here, after the rows it had, as a digest mismatch would.
      bill.summary = summaryOf(summary === undefined ? {} : billParts(`${header}\n${summary.join('\n')}`).summary, 'readBill(source)');
    },
  };
  return bill;
}
