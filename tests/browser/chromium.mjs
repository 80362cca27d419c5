// Debian's headless Chromium for the browser tests (tests/browser/*.test.mjs), never a downloaded one.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

// Chromium reaches for the D-Bus system bus as it starts. This machine has none, and
// on one CI run Chromium died of it: a SIGSEGV on the thread that had just failed to
// reach /run/dbus/system_bus_socket (its minidump: libc called from libdbus), before
// any page. So the browser gets a private bus of its own (Debian's dbus-daemon, with
// no services to start), and a start that fails anyway is tried again, twice at most,
// each time with a fresh profile. Only the browser's start is retried, never a test.
const BUS_CONFIG = (address) => `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>${address}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;

async function startBus(dir) {
  const daemonPath = '/usr/bin/dbus-daemon';
  if (!existsSync(daemonPath)) return null;
  const address = `unix:path=${join(dir, 'bus')}`;
  const config = join(dir, 'bus.conf');
  writeFileSync(config, BUS_CONFIG(address));
  const daemon = spawn(daemonPath, [`--config-file=${config}`, '--nofork', '--print-address=1'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const up = await new Promise((done) => {
    let out = '';
    daemon.stdout.on('data', (d) => { out += d; if (out.includes('\n')) done(true); });
    daemon.once('error', () => done(false));
    daemon.once('exit', () => done(false));
  });
  if (!up) {
    daemon.kill();
    return null;
  }
  return { address, close: () => daemon.kill() };
}

async function launchChromium(bus, runDir) {
  const env = { ...process.env };
  if (bus) env.DBUS_SYSTEM_BUS_ADDRESS = env.DBUS_SESSION_BUS_ADDRESS = bus.address;
  // Chromium's own config and cache (its crash reports among them) in this run's directory, which
  // `close()` removes: nothing of a run is left in the user's home.
  env.XDG_CONFIG_HOME = join(runDir, 'config');
  env.XDG_CACHE_HOME = join(runDir, 'cache');
  for (let attempt = 1; ; attempt++) {
    const profile = mkdtempSync(join(tmpdir(), 'wxpay-chromium-'));
    try {
      // A fresh profile, and no background networking: this machine's network is closed.
      const browser = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        env,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
          '--disable-component-update', '--disable-sync', '--js-flags=--expose-gc'],
      });
      return { browser, profile };
    } catch (e) {
      rmSync(profile, { recursive: true, force: true });
      if (attempt === 3) throw e;
      process.stderr.write(`Chromium did not start (attempt ${attempt} of 3): ${String(e?.message).split('\n')[0]}\n`);
    }
  }
}

/**
 * Chromium started with a fresh profile, a private D-Bus and its config and cache in a temporary
 * directory of this run: `{ browser, close }`, where `close()` stops it and removes all of that.
 */
export async function startChromium() {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: make test installs Debian's chromium (scripts/setup.sh)`);
  const runDir = mkdtempSync(join(tmpdir(), 'wxpay-browser-'));
  const bus = await startBus(runDir);
  let started;
  try {
    started = await launchChromium(bus, runDir);
  } catch (e) {
    bus?.close();
    rmSync(runDir, { recursive: true, force: true });
    throw e;
  }
  return {
    browser: started.browser,
    async close() {
      await started.browser.close();
      rmSync(started.profile, { recursive: true, force: true });
      bus?.close();
      rmSync(runDir, { recursive: true, force: true });
    },
  };
}

/**
 * Closes a page server of these tests with every connection it holds: Chromium may have opened
 * one it never sent a request on, which `server.close()` alone would wait for until the server's
 * headers timeout (a minute or more).
 */
export function closeServer(server) {
  return new Promise((resolve) => {
    server.close(resolve);
    server.closeAllConnections();
  });
}
