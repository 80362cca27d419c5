// `uploadForm`: the FormData of an upload, from bytes (or a Blob) and a file name.
import { WxpayError } from './error.js';
import { named } from './boundary.js';

const OPTIONS = ['field', 'meta', 'fields', 'type'];
const invalid = (message, cause) => new WxpayError('ERR_INVALID_PARAM', `uploadForm: ${message}`, cause === undefined ? undefined : { cause });

/**
 * `uploadForm(bytes, 'photo.jpg')`: a FormData with the file under `file` (or `options.field`);
 * `options.meta` (an object or its JSON text) is sent as written, else the package computes
 * `{"filename","sha256"}`; `options.fields` adds text fields; `options.type` sets the file's type
 * (a Blob's own type is kept unless it is given). Bad input is ERR_INVALID_PARAM.
 */
export function uploadForm(file, filename, options = {}) {
  // By tag as well as by class: an ArrayBuffer or Blob of another realm (a vm context) is one too.
  // A Proxy's traps run here (its tag, its prototype): what they throw is a bad file too.
  let blob;
  try {
    const tag = Object.prototype.toString.call(file);
    blob = file instanceof Blob || tag === '[object Blob]' || tag === '[object File]';
    if (!(blob || tag === '[object ArrayBuffer]' || ArrayBuffer.isView(file))) blob = undefined;
  } catch (e) {
    throw invalid('the file must be bytes (Uint8Array, ArrayBuffer) or a Blob: reading it threw', e);
  }
  if (blob === undefined) throw invalid('the file must be bytes (Uint8Array, ArrayBuffer) or a Blob');
  if (typeof filename !== 'string' || filename === '') throw invalid('the filename must be a non-empty string');
  if (options === null || typeof options !== 'object') throw invalid('options must be an object');
  try {
    // A misspelt `fileds` or `filed` must not drop the endpoint's fields in silence.
    for (const key of Object.keys(options)) {
      if (!OPTIONS.includes(key)) throw invalid(`unknown option ${named(key)}: expected field, meta, fields or type`);
    }
    const { field = 'file', meta, fields = {}, type = '' } = options;
    if (typeof field !== 'string' || field === '') throw invalid('options.field must be a non-empty string');
    if (typeof type !== 'string') throw invalid('options.type must be a string');
    if (fields === null || typeof fields !== 'object') throw invalid('options.fields must be an object');
    const form = new FormData();
    if (meta !== undefined) {
      const text = typeof meta === 'string' ? meta : JSON.stringify(meta);
      if (typeof text !== 'string') throw invalid('options.meta must be an object or its JSON text');
      form.append('meta', text);
    }
    // A Blob keeps its own type unless `type` is given.
    form.append(field, blob && type === '' ? file : new Blob([file], { type }), filename);
    for (const [k, v] of Object.entries(fields)) form.append(k, String(v));
    return form;
  } catch (e) {
    if (e instanceof WxpayError) throw e;
    throw invalid('reading its options threw (see cause)', e);
  }
}
