// Several Hearth instances on one PostgreSQL database behind the real
// nginx (issue 16, points 3 and 6): a database on the throwaway cluster
// (tests/lib/pg.mjs), two `hearth serve` on loopback ports, and Debian's
// nginx (/usr/sbin/nginx; scripts/deps.sh test installs it) running the
// shipped deploy/nginx-hearth.conf with only its ports, listen addresses
// and certificate paths substituted (every substitution must match the
// shipped text, so a change there that the test would no longer cover
// fails here). TLS ends at nginx as in production, with a self-signed
// certificate for 127.0.0.1 made by openssl. Everything is stopped by
// pid: stop() stops nginx and both instances; the cluster stops when
// the test process exits.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { root, run, startServer, ADMIN_PASSWORD } from './harness.mjs';
import { pgDatabase } from './pg.mjs';

export const NGINX = process.env.HEARTH_NGINX || '/usr/sbin/nginx';

// A free TCP port on 127.0.0.1 (nginx cannot listen on port 0).
function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

// The shipped configuration with ports and paths of this run; throws
// when the text it substitutes is not there exactly once.
export function nginxSite(shipped, { upstreams, httpPort, tlsPort, cert, key }) {
  let conf = shipped;
  const swap = (from, to) => {
    const n = conf.split(from).length - 1;
    if (n !== 1) throw new Error(`deploy/nginx-hearth.conf: expected one "${from.trim()}", found ${n}`);
    conf = conf.replace(from, to);
  };
  // The upstream's instances: 127.0.0.1:8080, :8081, … in the file.
  const servers = [...conf.matchAll(/^\tserver 127\.0\.0\.1:(\d+);$/gm)].map((m) => m[1]);
  if (servers.length !== upstreams.length) {
    throw new Error(`deploy/nginx-hearth.conf: ${servers.length} upstream servers, the test runs ${upstreams.length}`);
  }
  servers.forEach((p, i) => swap(`\tserver 127.0.0.1:${p};\n`, `\tserver 127.0.0.1:${upstreams[i]};\n`));
  swap('\tlisten 80;\n', `\tlisten 127.0.0.1:${httpPort};\n`);
  swap('\tlisten [::]:80;\n', '');
  swap('\tlisten 443 ssl http2;\n', `\tlisten 127.0.0.1:${tlsPort} ssl http2;\n`);
  swap('\tlisten [::]:443 ssl http2;\n', '');
  swap('ssl_certificate /etc/ssl/hearth/fullchain.pem;', `ssl_certificate ${cert};`);
  swap('ssl_certificate_key /etc/ssl/hearth/privkey.pem;', `ssl_certificate_key ${key};`);
  return conf;
}

// Starts the database, n instances and nginx. opts.env: environment of
// both instances (added to the harness's); opts.demo: demo data first.
// Returns {url (nginx, https), instances: [{url, …startServer}], db,
// request(), stop()}.
export async function startMulti({ n = 2, env = {}, demo = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-multi-'));
  const db = pgDatabase();
  const [tlsPort, httpPort] = [await freePort(), await freePort()];
  const url = `https://127.0.0.1:${tlsPort}`;
  const instEnv = {
    HEARTH_BASE_URL: url,
    HEARTH_TRUSTED_PROXIES: '127.0.0.1',
    HEARTH_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ...env,
  };
  if (demo) {
    const r = await run(['demo', '--db', db], instEnv);
    if (r.code !== 0) throw new Error(`hearth demo failed: ${r.stderr}`);
  }
  const instances = [];
  let nginx = null;
  const stop = async () => {
    if (nginx) {
      nginx.kill('SIGQUIT');
      await nginx.exited;
      nginx = null;
    }
    const errors = [];
    for (const s of instances.splice(0)) {
      try { await s.stop(); } catch (e) { errors.push(e); }
    }
    rmSync(dir, { recursive: true, force: true });
    if (errors.length) throw errors[0];
  };
  try {
    // One after the other: the first migrates and makes the admin.
    for (let i = 0; i < n; i++) instances.push(await startServer({ db, env: instEnv }));
    const cert = join(dir, 'cert.pem'), key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', key, '-out', cert], { stdio: 'pipe' });
    const site = nginxSite(readFileSync(join(root, 'deploy/nginx-hearth.conf'), 'utf8'), {
      upstreams: instances.map((s) => new URL(s.url).port), httpPort, tlsPort, cert, key,
    });
    mkdirSync(join(dir, 'tmp'));
    writeFileSync(join(dir, 'hearth.conf'), site);
    writeFileSync(join(dir, 'nginx.conf'), [
      'daemon off;',
      `user ${userInfo().username};`,
      'worker_processes 2;',
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/error.log warn;`,
      'events { worker_connections 256; }',
      'http {',
      `\taccess_log ${dir}/access.log;`,
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `\t${t}_temp_path ${dir}/tmp/${t};`),
      `\tinclude ${dir}/hearth.conf;`,
      '}',
      '',
    ].join('\n'));
    const child = spawn(NGINX, ['-e', join(dir, 'error.log'), '-p', dir, '-c', join(dir, 'nginx.conf')],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    nginx = child;
    nginx.exited = new Promise((res) => child.on('exit', (code, signal) => res({ code, signal })));
    const ca = readFileSync(cert);
    const request = (method, path, opts = {}) => send(url, method, path, { ...opts, ca });
    for (let i = 0; ; i++) {
      try {
        const r = await request('GET', '/healthz');
        if (r.status === 200) break;
      } catch (e) {
        if (i >= 100) throw new Error(`nginx did not start: ${e.message}\n${out}`);
      }
      if (child.exitCode !== null) {
        let log = '';
        try { log = readFileSync(join(dir, 'error.log'), 'utf8'); } catch { /* none */ }
        throw new Error(`nginx exited ${child.exitCode}:\n${out}\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return {
      url, httpUrl: `http://127.0.0.1:${httpPort}`, db, instances, request, stop, ca,
      nginxLog: () => { try { return readFileSync(join(dir, 'access.log'), 'utf8'); } catch { return ''; } },
    };
  } catch (e) {
    await stop().catch(() => {});
    throw e;
  }
}

// One exchange over http or https (ca: the certificate to trust):
// {status, headers, text, body (parsed JSON)}.
export function send(base, method, path, { token, body, headers = {}, ca } = {}) {
  const h = { ...headers };
  let payload;
  if (token) h.authorization = `Bearer ${token}`;
  if (body !== undefined) {
    payload = Buffer.from(JSON.stringify(body));
    h['content-type'] = 'application/json';
    h['content-length'] = payload.length;
  }
  const u = new URL(path, base);
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((res, rej) => {
    const r = mod.request(u, { method, headers: h, ca, agent: false }, (resp) => {
      const chunks = [];
      resp.on('data', (d) => chunks.push(d));
      resp.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed;
        if ((resp.headers['content-type'] || '').includes('json') && text) parsed = JSON.parse(text);
        res({ status: resp.statusCode, headers: resp.headers, text, body: parsed });
      });
    });
    r.on('error', rej);
    r.end(payload);
  });
}
