// Notifications in Node's web frameworks, as README's "In Node's frameworks" gives them: each
// framework's raw body and answer, over real HTTP on 127.0.0.1, fed signed and encrypted
// notifications by the sandbox, parsed by the packed package. And the mistakes README warns
// of: a fetch Response handed to Express's res.send (sent as 200 {}), a global express.json()
// ahead of the route's express.raw and NestJS's @Body() (refused, saying where to look),
// Fastify's parser in NestJS, Egg.js's CSRF check on the notify path.
import { describe, test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { Wxpay } from 'wxpay-wasm';
import express4 from 'express';
import express5 from 'express5';
import Koa3 from 'koa';
import Koa2 from 'koa2';
import bodyParser from 'koa-bodyparser';
import Fastify5 from 'fastify';
import Fastify4 from 'fastify4';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import 'reflect-metadata';
import { Body, Controller, Headers, Module, Post, Req, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { start as startEgg } from 'egg';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../sandbox/index.mjs';

const ORDER = {
  mchid: '1900000109', appid: 'wxd678efh567hg6787', out_trade_no: 'T-frameworks-1', transaction_id: '4200000000202612050000000001',
  trade_type: 'JSAPI', trade_state: 'SUCCESS', trade_state_desc: '支付成功', bank_type: 'CMC', success_time: '2026-12-05T10:34:56+08:00',
  payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }, amount: { total: 100, payer_total: 100, currency: 'CNY', payer_currency: 'CNY' },
};
const DB_ERROR = 'connect ECONNREFUSED 10.0.0.7:5432 (user billing)';

let sb, wxpay, stored, closers;
before(async () => {
  sb = await startSandbox();
  wxpay = new Wxpay({
    mchid: sb.mchid, serial: sb.merchant.serial, privateKey: sb.merchant.privateKeyPkcs8,
    certs: { [sb.platform.serial]: sb.platform.certificate }, baseURL: sb.baseURL, apiv3Key: sb.apiv3Key,
  });
});
after(async () => {
  wxpay?.free();
  await sb?.close();
});
beforeEach(() => { stored = []; });

/** The merchant's own work: an order with `fail` set cannot be stored. */
async function markPaid(resource) {
  if (resource.fail) throw new Error(DB_ERROR);
  stored.push(resource.out_trade_no);
}

/** README's onNotify, for the frameworks that send a fetch Response. */
async function onNotify(input) {
  let notification;
  try {
    notification = await wxpay.notifications.parse(input);
  } catch {
    return wxpay.notifications.failure('rejected', 401);
  }
  try {
    if (notification.event_type === 'TRANSACTION.SUCCESS') await markPaid(notification.resource);
  } catch {
    return wxpay.notifications.failure('not handled', 500);
  }
  return wxpay.notifications.success();
}

/** The same as plain values, for Express and Koa: [status, body or undefined]. */
async function outcome(input) {
  const answer = await onNotify(input);
  return [answer.status, answer.status === 204 ? undefined : await answer.json()];
}

/** Listens on 127.0.0.1; resolves the base URL. `server` is a node:http server. */
async function listening(server) {
  if (!server.listening) await new Promise((resolve, reject) => { server.once('listening', resolve); server.once('error', reject); });
  closers.push(() => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }));
  return `http://127.0.0.1:${server.address().port}`;
}

async function post(url, n) {
  const res = await fetch(url, { method: 'POST', headers: n.headers, body: n.body });
  const text = await res.text();
  return { status: res.status, text };
}

/** A paid order, a forged one and one the merchant cannot store, each answered as README says. */
async function day(url) {
  const paid = await post(url, sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: ORDER }));
  assert.deepEqual(paid, { status: 204, text: '' });
  assert.deepEqual(stored, [ORDER.out_trade_no]);
  const forged = await post(url, sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: ORDER, misbehave: 'tampered' }));
  assert.equal(forged.status, 401);
  assert.deepEqual(JSON.parse(forged.text), { code: 'FAIL', message: 'rejected' });
  const unstored = await post(url, sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: { ...ORDER, fail: true } }));
  assert.equal(unstored.status, 500);
  assert.deepEqual(JSON.parse(unstored.text), { code: 'FAIL', message: 'not handled' });
  assert.ok(!unstored.text.includes('ECONNREFUSED'));
  assert.deepEqual(stored, [ORDER.out_trade_no]);
}

/**
 * A Nest module of one controller whose `POST /notify` is `handle`, its parameters declared by
 * `params` (Nest's parameter decorators, in order), as TypeScript's decorators would declare them.
 */
function nestModule(handle, params) {
  class NotifyController {}
  NotifyController.prototype.notify = handle;
  Controller()(NotifyController);
  Post('notify')(NotifyController.prototype, 'notify', Object.getOwnPropertyDescriptor(NotifyController.prototype, 'notify'));
  params.forEach((decorate, i) => decorate(NotifyController.prototype, 'notify', i));
  class AppModule {}
  Module({ controllers: [NotifyController] })(AppModule);
  return AppModule;
}

/** What `parse` made of `input`, as a handler's JSON answer: `{ parsed: true }`, or its error's code and message. */
const refusal = (input) => wxpay.notifications.parse(input).then(() => ({ parsed: true }), (e) => ({ code: e.code, message: e.message }));

/** A Nest app of `module` on the adapter named, listening on 127.0.0.1; resolves its base URL. */
async function nestApp(adapter, module, options) {
  const app = adapter === 'Fastify'
    ? await NestFactory.create(module, new FastifyAdapter(), { logger: false, ...options })
    : await NestFactory.create(module, { logger: false, ...options });
  await app.listen(0, '127.0.0.1');
  closers.push(() => app.close());
  return `http://127.0.0.1:${app.getHttpServer().address().port}`;
}

/**
 * An Egg.js app (its own directory, as `egg-init` lays one out) whose `POST /notify` is README's
 * Koa row, with `config` added to its config.default.js; listening on 127.0.0.1.
 */
async function eggApp(config) {
  const base = mkdtempSync(join(tmpdir(), 'wxpay-egg-'));
  mkdirSync(join(base, 'config'));
  mkdirSync(join(base, 'app'));
  writeFileSync(join(base, 'package.json'), '{ "name": "wxpay-egg-notify", "private": true }\n');
  const own = { keys: 'wxpay-egg-notify', rundir: join(base, 'run'), logger: { dir: join(base, 'logs'), consoleLevel: 'NONE' }, ...config };
  writeFileSync(join(base, 'config/config.default.js'), `module.exports = ${JSON.stringify(own)};\n`);
  // No timed jobs (schedule, and logrotator's on it) nor file watcher: their timers and clients
  // would outlive the app in this process.
  writeFileSync(join(base, 'config/plugin.js'), 'module.exports = { schedule: false, logrotator: false, watcher: false };\n');
  writeFileSync(join(base, 'app/router.js'), `module.exports = (app) => {
  app.router.post('/notify', async (ctx) => {
    const [status, body] = await ctx.app.outcome({ headers: ctx.headers, body: ctx.request.rawBody });
    ctx.status = status;
    if (body !== undefined) ctx.body = body;
  });
};
`);
  let app;
  try {
    app = await startEgg({ baseDir: base, env: 'prod' });
  } catch (e) {
    rmSync(base, { recursive: true, force: true });
    throw e;
  }
  app.outcome = outcome;
  // Single-process mode starts an agent beside the app: both closed, or the process stays up.
  closers.push(async () => {
    await app.close();
    await app.agent.close();
    rmSync(base, { recursive: true, force: true });
  });
  return listening(app.listen(0, '127.0.0.1'));
}

describe("notifications in Node's frameworks", () => {
  beforeEach(() => { closers = []; });
  const closeAll = async () => { for (const close of closers.splice(0)) await close(); };

  for (const [name, express] of [['Express 4', express4], ['Express 5', express5]]) {
    test(`${name}: express.raw on a route registered before a global express.json()`, async (t) => {
      t.after(closeAll);
      const app = express();
      app.post('/notify', express.raw({ type: 'application/json' }), async (req, res) => {
        const [status, body] = await outcome({ headers: req.headers, body: req.body });
        if (body === undefined) res.status(status).end();
        else res.status(status).json(body);
      });
      app.use(express.json());
      await day(`${await listening(app.listen(0, '127.0.0.1'))}/notify`);
    });

    test(`${name}: a global express.json() keeping the raw bytes (verify)`, async (t) => {
      t.after(closeAll);
      const app = express();
      app.use(express.json({ verify: (req, res, buf) => { req.rawBody = buf; } }));
      app.post('/notify', async (req, res) => {
        const [status, body] = await outcome({ headers: req.headers, body: req.rawBody });
        if (body === undefined) res.status(status).end();
        else res.status(status).json(body);
      });
      await day(`${await listening(app.listen(0, '127.0.0.1'))}/notify`);
    });

    test(`${name}: the mistakes README warns of`, async (t) => {
      t.after(closeAll);
      const app = express();
      app.use(express.json());
      // express.raw after a global express.json(): the body is already parsed.
      app.post('/notify', express.raw({ type: 'application/json' }), async (req, res) => {
        try {
          await wxpay.notifications.parse({ headers: req.headers, body: req.body });
          res.status(204).end();
        } catch (e) {
          res.status(400).json({ code: e.code, message: e.message });
        }
      });
      // A fetch Response handed to res.send.
      app.post('/send', (req, res) => { res.send(wxpay.notifications.failure('not handled', 500)); });
      const base = await listening(app.listen(0, '127.0.0.1'));
      const n = sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: ORDER });
      const parsed = await post(`${base}/notify`, n);
      assert.equal(parsed.status, 400);
      const e = JSON.parse(parsed.text);
      assert.equal(e.code, 'ERR_INVALID_PARAM');
      assert.match(e.message, /input\.body is an object \(a parsed body: express\.json\(\), koa-bodyparser, Fastify's JSON parser, NestJS's @Body\(\)\?\).*taken before any JSON parser runs.*README, "In Node's frameworks"/);
      assert.deepEqual(await post(`${base}/send`, n), { status: 200, text: '{}' });
    });
  }

  for (const [name, Koa] of [['Koa 2', Koa2], ['Koa 3', Koa3]]) {
    test(`${name} + koa-bodyparser: ctx.request.rawBody, answered by ctx.status`, async (t) => {
      t.after(closeAll);
      const app = new Koa();
      app.use(bodyParser());
      app.use(async (ctx) => {
        const [status, body] = await outcome({ headers: ctx.headers, body: ctx.request.rawBody });
        ctx.status = status;
        if (body !== undefined) ctx.body = body;
      });
      await day(`${await listening(app.listen(0, '127.0.0.1'))}/notify`);
    });
  }

  for (const [name, Fastify] of [['Fastify 4', Fastify4], ['Fastify 5', Fastify5]]) {
    test(`${name}: a scoped buffer parser; the Response returned as it is`, async (t) => {
      t.after(closeAll);
      const app = Fastify();
      app.register(async (scope) => {
        scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => done(null, body));
        scope.post('/notify', (request) => onNotify({ headers: request.headers, body: request.body }));
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      closers.push(() => app.close());
      await day(`http://127.0.0.1:${app.server.address().port}/notify`);
    });
  }

  for (const adapter of ['Express', 'Fastify']) {
    test(`NestJS on its ${adapter} adapter: rawBody: true, req.rawBody; the Response returned`, async (t) => {
      t.after(closeAll);
      const module = nestModule((req) => onNotify({ headers: req.headers, body: req.rawBody }), [Req()]);
      await day(`${await nestApp(adapter, module, { rawBody: true })}/notify`);
    });

    test(`NestJS on its ${adapter} adapter: @Body() is the parsed body, refused naming rawBody`, async (t) => {
      t.after(closeAll);
      const module = nestModule((body, headers) => refusal({ headers, body }), [Body(), Headers()]);
      const base = await nestApp(adapter, module, { rawBody: true });
      const { text } = await post(`${base}/notify`, sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: ORDER }));
      const e = JSON.parse(text);
      assert.equal(e.code, 'ERR_INVALID_PARAM');
      assert.match(e.message, /input\.body is an object \(a parsed body: express\.json\(\), koa-bodyparser, Fastify's JSON parser, NestJS's @Body\(\)\?\).*taken before any JSON parser runs \(in NestJS, rawBody: true, then req\.rawBody\)/);
    });

    test(`NestJS on its ${adapter} adapter without rawBody: true: req.rawBody is undefined, refused naming rawBody: true`, async (t) => {
      t.after(closeAll);
      const module = nestModule((req) => refusal({ headers: req.headers, body: req.rawBody }), [Req()]);
      const base = await nestApp(adapter, module, {});
      const e = JSON.parse((await post(`${base}/notify`, sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: ORDER }))).text);
      assert.equal(e.code, 'ERR_INVALID_PARAM');
      assert.match(e.message, /the raw body, got undefined \(no raw body kept\? NestJS: create the app with rawBody: true, then req\.rawBody;/);
    });

    test(`NestJS on its ${adapter} adapter: @Res(), the status set by hand (as NestJS 11's Express adapter needs)`, async (t) => {
      t.after(closeAll);
      const module = nestModule(async (req, res) => {
        const [status, body] = await outcome({ headers: req.headers, body: req.rawBody });
        if (adapter === 'Express') {
          if (body === undefined) res.status(status).end();
          else res.status(status).json(body);
        } else {
          res.code(status).send(body);
        }
      }, [Req(), Res()]);
      await day(`${await nestApp(adapter, module, { rawBody: true })}/notify`);
    });
  }

  test("NestJS on its Fastify adapter: Fastify's row (a buffer parser for application/json) fails at start-up, beside Nest's own", async () => {
    const adapter = new FastifyAdapter();
    adapter.getInstance().addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => done(null, body));
    const app = await NestFactory.create(nestModule((req) => onNotify({ headers: req.headers, body: req.body }), [Req()]), adapter, { logger: false });
    try {
      await assert.rejects(app.listen(0, '127.0.0.1'), { code: 'FST_ERR_CTP_ALREADY_PRESENT' });
    } finally {
      await app.close();
    }
  });

  test("Egg.js: its CSRF check answers the notification 403 before any handler, until the notify path is exempt; then README's Koa row", async (t) => {
    t.after(closeAll);
    const refused = await post(`${await eggApp({})}/notify`, sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: ORDER }));
    assert.equal(refused.status, 403);
    assert.deepEqual(stored, []);
    await day(`${await eggApp({ security: { csrf: { ignore: ['/notify'] } } })}/notify`);
  });

  test('Hono on @hono/node-server: c.req.raw, the Response returned', async (t) => {
    t.after(closeAll);
    const app = new Hono();
    app.post('/notify', (c) => onNotify(c.req.raw));
    let misled;
    app.post('/wrapped', async (c) => {
      try {
        await wxpay.notifications.parse(c.req);
      } catch (e) {
        misled = e;
      }
      return c.body(null, 204);
    });
    const base = await listening(serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }));
    await day(`${base}/notify`);
    await post(`${base}/wrapped`, sb.notification({ event_type: 'TRANSACTION.SUCCESS', resource: ORDER }));
    assert.equal(misled?.code, 'ERR_INVALID_PARAM');
    assert.match(misled.message, /input wraps a fetch Request as input\.raw \(Hono's c\.req\): pass that Request \(c\.req\.raw\)/);
  });
});
