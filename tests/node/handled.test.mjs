// examples/node/records.mjs's Handled: the notification ids the examples' classes (Shop,
// Partner, Rental, Complaints) handled, kept for as long as WeChat Pay may send one again, then
// forgotten, so that a process that runs for months holds one day's ids, not every one it heard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Handled, RESEND_WINDOW_MS } from '../../examples/node/records.mjs';

const MINUTE = 60_000;

test('the window covers every resend WeChat Pay makes (15 s, 15 s, 30 s, 3 min, 10 min, 20 min, 30 min x3, 60 min, 3 h x3, 6 h x2: 24 h 4 min)', () => {
  const resends = [0.25, 0.25, 0.5, 3, 10, 20, 30, 30, 30, 60, 180, 180, 180, 360, 360];
  const last = resends.reduce((a, b) => a + b, 0) * MINUTE;
  assert.equal(last, (24 * 60 + 4) * MINUTE);
  assert.ok(RESEND_WINDOW_MS > last, 'an id is still known when its last resend comes');
  assert.ok(RESEND_WINDOW_MS <= 25 * 60 * MINUTE, 'and forgotten within about a day');
});

test('an id is known for the window from when it was handled, then forgotten; the oldest go first', () => {
  let now = 1_000_000;
  const handled = new Handled({ now: () => now });
  handled.add('a');
  now += 10 * MINUTE;
  handled.add('b');
  assert.ok(handled.has('a') && handled.has('b'));
  assert.equal(handled.size, 2);
  now += RESEND_WINDOW_MS - 10 * MINUTE - 1;
  assert.ok(handled.has('a'), 'one millisecond before its window ends');
  now += 1;
  assert.ok(!handled.has('a'), 'at its end');
  assert.ok(handled.has('b'));
  assert.equal(handled.size, 1);
  now += 10 * MINUTE;
  assert.equal(handled.size, 0);
  assert.ok(!handled.has('b'));
});

test('an id handled again starts its window afresh, and is kept behind the ids handled since', () => {
  let now = 0;
  const handled = new Handled({ windowMs: 100, now: () => now });
  handled.add('a');
  now = 50;
  handled.add('b');
  now = 90;
  handled.add('a');
  now = 150;
  // 'b' (50) has expired; 'a' (90) has not, though it was first added before 'b'.
  assert.ok(!handled.has('b'));
  assert.ok(handled.has('a'));
  now = 190;
  assert.ok(!handled.has('a'));
});

test('a service that hears a million notifications a day holds one window of them, ids and queue', () => {
  // A million a day, over three windows of an hour (the default window is a day: the same
  // arithmetic, 24 times the work).
  const windowMs = 3600e3;
  let now = 0;
  const handled = new Handled({ windowMs, now: () => now });
  const step = (24 * 3600e3) / 1_000_000;
  const perWindow = windowMs / step;
  let most = 0;
  let mostQueued = 0;
  for (let i = 0; i < 3 * perWindow; i++) {
    now = i * step;
    handled.add(`n${i}`);
    if (i % 1000 === 0) {
      most = Math.max(most, handled.size);
      mostQueued = Math.max(mostQueued, handled.queued);
    }
  }
  assert.ok(most <= Math.ceil(perWindow) + 1, `at most one window's ids (${most} held, ${perWindow} a window)`);
  assert.ok(handled.size >= Math.floor(perWindow) - 1, 'and all of the last window');
  // The queue behind the ids is bounded too: what was looked at is let go once it is half of it.
  assert.ok(mostQueued <= 2 * Math.ceil(perWindow) + 1026, `the queue holds at most two windows' entries (${mostQueued})`);
});
