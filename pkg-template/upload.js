// `uploadForm`: the FormData of an upload, from bytes (or a Blob) and a file name.

/**
 * `uploadForm(bytes, 'photo.jpg')`: a FormData with the file under `file` (or `options.field`);
 * `options.meta` (an object or its JSON text) is sent as written, else the package computes
 * `{"filename","sha256"}`; `options.fields` adds text fields; `options.type` sets the file's type
 * (a Blob's own type is kept unless it is given).
 */
export function uploadForm(file, filename, options = {}) {
  const { field = 'file', meta, fields = {}, type = '' } = options;
  const form = new FormData();
  if (meta !== undefined) form.append('meta', typeof meta === 'string' ? meta : JSON.stringify(meta));
  // A Blob keeps its own type unless `type` is given.
  const blob = file instanceof Blob && type === '' ? file : new Blob([file], { type });
  form.append(field, blob, filename);
  for (const [k, v] of Object.entries(fields)) form.append(k, String(v));
  return form;
}
