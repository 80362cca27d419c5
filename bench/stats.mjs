// Small helpers shared by the bench sections: the alternating rounds, and their statistics.
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The median of the rounds' ratios `a[i] / b[i]`: each round's batches ran side by side, so the
 * machine's load, which drifts from round to round, cancels out of each. */
export const roundRatio = (a, b) => median(roundRatios(a, b));

/** Each round's ratio `a[i] / b[i]`. */
export const roundRatios = (a, b) => a.map((x, i) => x / b[i]);

/** The `q` quantile of `xs` (0 to 1), interpolated between the two nearest values. */
export const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return lo + 1 < s.length ? s[lo] + (s[lo + 1] - s[lo]) * (at - lo) : s[lo];
};

export const fmt = (x, digits = 3) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(digits));

/** Markdown table from a header row and rows. */
export function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * Runs `run(name)` for each name in turn, `warm + rounds` rounds, the order reversed every other
 * round (no client always runs after the same one); the `warm` first rounds are dropped. Resolves
 * name -> what `run` resolved, one a measured round.
 */
export async function alternateRounds(names, warm, rounds, run) {
  const samples = Object.fromEntries(names.map((k) => [k, []]));
  for (let r = 0; r < warm + rounds; r++) {
    for (const name of r % 2 ? [...names].reverse() : names) {
      const s = await run(name);
      if (r >= warm) samples[name].push(s);
    }
  }
  return samples;
}

/**
 * What `alternateRounds` resolved, when each round gave `{ cpu, wall }` (ms a request): the
 * medians by name (`m`), a table row for each (`rows`), and `ratio(a, b)`: for CPU and wall, the
 * median of the rounds' ratios (roundRatio) and, in brackets, their first and third quartiles (half
 * the rounds read within them), as `1.23x (1.20–1.27)`.
 */
export function summarize(runs) {
  const column = (k, what) => runs[k].map((s) => s[what]);
  const m = Object.fromEntries(Object.keys(runs).map((k) => [k, { cpu: median(column(k, 'cpu')), wall: median(column(k, 'wall')) }]));
  const rows = Object.entries(m).map(([k, v]) => [k, fmt(v.cpu), fmt(v.wall)]);
  const ratio = (a, b) => ['cpu', 'wall'].map((what) => {
    const each = roundRatios(column(a, what), column(b, what));
    return `${fmt(median(each), 2)}x (${fmt(quantile(each, 0.25), 2)}–${fmt(quantile(each, 0.75), 2)})`;
  });
  return { m, rows, ratio };
}
