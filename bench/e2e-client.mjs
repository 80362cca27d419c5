// One client of bench/e2e.mjs in a process of its own: the first message says which ({ sb,
// mode, id }: see clientMakers) and is answered with its { name }; each later one ({ n,
// inFlight }) runs a batch and is answered with its { cpu, wall }, or ({ one: true }) makes one
// request and is answered with its { cpu } in µs (timedOne).
import { batch, clientMakers, timedOne } from './e2e.mjs';

let get;
process.on('message', async (m) => {
  try {
    if (get === undefined) {
      const make = clientMakers(m.sb, m.mode)[m.id];
      if (typeof make !== 'function') throw new Error(`no client ${m.id}`);
      const [name, g] = await make();
      get = g;
      process.send({ name });
    } else if (m.one) {
      process.send({ cpu: await timedOne(get) });
    } else {
      process.send(await batch(get, m.n, m.inFlight));
    }
  } catch (e) {
    process.send({ error: String(e?.stack ?? e) });
  }
});
