// A port where nothing listens, for the tests of a connection that is refused.
import net from 'node:net';

/** A port on 127.0.0.1 that was just free and is now closed: connecting is refused at once. */
export async function closedPort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}
