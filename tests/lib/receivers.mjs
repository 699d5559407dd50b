// Receivers on 127.0.0.1 for the channels beside e-mail, checking what
// the real services check, over HTTPS with a throwaway CA made by openssl.
//
//   const pki = makePki();                  // {dir, caFile, key, cert, otherCaFile}
//   const robots = await startRobots({ tls: pki });
//   robots.addWecom('693a91f6-7b2c-4bc4-97a0-0ec2aaaa5aaa');
//   robots.addDingtalk('0123456789abcdef', 'SEC…');   // with its signing secret
//   … point hearth at `${robots.url}/cgi-bin/webhook/send` (wecom_url) and
//     `${robots.url}/robot/send` (dingtalk_url), notify_ca_file = pki.caFile
//   const sms = await startSms({ provider: 'aliyun', keyId, secret, tls: pki });
//
// WeCom group robot: POST {base}?key=KEY, JSON {"msgtype":"markdown",
// "markdown":{"content"}} (content UTF-8, at most 4096 bytes); an unknown
// key is answered {"errcode":93000,"errmsg":"invalid webhook url…"}.
// DingTalk custom robot: POST {base}?access_token=T[&timestamp=ms&sign=S],
// JSON {"msgtype":"markdown","markdown":{"title","text"}}; with a signing
// secret the sign is recomputed (base64 HMAC-SHA256 of "ts\nsecret", the
// secret as key) and the timestamp must be within an hour; otherwise
// DingTalk's own answer {"errcode":310000,"errmsg":"description:机器人发送
// 签名不匹配;…"}.
// Alibaba Cloud SendSms: a form POST; the Signature is recomputed from the
// other parameters (RPC signature, HMAC-SHA1, key secret + "&"), nonce
// reuse and a stale Timestamp are refused; {"Code":"OK"} on success,
// HTTP 400 {"Code":"SignatureDoesNotMatch"} otherwise.
// Tencent Cloud SendSms: JSON POST; TC3-HMAC-SHA256 recomputed from the
// headers it names, the payload and the secret key; the timestamp within
// 5 minutes; Response.SendStatusSet [{"Code":"Ok"}] or Response.Error
// {"Code":"AuthFailure.SignatureFailure"}.
//
// setMode(m): 'accept' (default), 'errcode' (a robot answers errcode
// 45009 / an SMS provider a throttling error), '5xx' (HTTP 503), 'hang'
// (never answers). Every accepted message is kept in `messages`.
import https from 'node:https';
import { createHmac, createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DINGTALK_SIGN_ERR = 'description:机器人发送签名不匹配;solution:请确认签名和生成签名的时间戳必须都放在调用的网址中，请确认机器人的密钥加密和填写正确;link:请参考本接口对应文档获得具体要求，或者在https://open.dingtalk.com/document/  搜索相关文档;';
export const DINGTALK_SIGN_ERRCODE = 310000;

// A CA and a server certificate for 127.0.0.1 (IP SAN), and a second,
// unrelated CA (a wrong trust anchor must fail the handshake).
export function makePki() {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-pki-'));
  const run = (args) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ca = (name) => {
    run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`,
      '-keyout', `${name}.key`, '-out', `${name}.pem`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  };
  ca('hearth-test-ca');
  ca('other-test-ca');
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'server.key', '-out', 'server.csr']);
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'hearth-test-ca.pem', '-CAkey', 'hearth-test-ca.key',
    '-CAcreateserial', '-days', '2', '-extfile', 'ext.cnf', '-out', 'server.pem']);
  return {
    dir,
    caFile: join(dir, 'hearth-test-ca.pem'),
    otherCaFile: join(dir, 'other-test-ca.pem'),
    key: readFileSync(join(dir, 'server.key')),
    cert: readFileSync(join(dir, 'server.pem')),
  };
}

function readBody(req) {
  return new Promise((res) => {
    const chunks = [];
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => res(Buffer.concat(chunks)));
  });
}

// The common part: an HTTPS server whose handler decides, modes, and a
// waitFor over what it kept.
async function serve(tls, handle) {
  const messages = [];
  const hung = new Set();
  const state = { mode: 'accept', delayMs: 0, requests: 0 };
  const server = https.createServer({ key: tls.key, cert: tls.cert }, async (req, res) => {
    state.requests += 1;
    const body = await readBody(req);
    if (state.mode === 'hang') { hung.add(res); return; }
    if (state.delayMs) await new Promise((r) => setTimeout(r, state.delayMs));
    if (state.mode === '5xx') {
      res.writeHead(503, { 'content-type': 'text/html' });
      res.end('<html>503 Service Temporarily Unavailable</html>');
      return;
    }
    const out = handle(req, body, state.mode);
    if (out.message) messages.push({ ...out.message, at: Date.now() });
    res.writeHead(out.status || 200, { 'content-type': 'application/json;charset=utf-8' });
    res.end(JSON.stringify(out.json));
  });
  server.on('tlsClientError', () => {});
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    url: `https://127.0.0.1:${port}`,
    messages,
    get requests() { return state.requests; },
    setMode(m) { state.mode = m; },
    setDelay(ms) { state.delayMs = ms; },
    waitFor(pred = () => true, timeoutMs = 10000) {
      const end = Date.now() + timeoutMs;
      return new Promise((res, rej) => {
        const poll = () => {
          const m = messages.find(pred);
          if (m) { res(m); return; }
          if (Date.now() > end) { rej(new Error(`no matching message within ${timeoutMs} ms (${messages.length} kept)`)); return; }
          setTimeout(poll, 25);
        };
        poll();
      });
    },
    close() {
      for (const r of hung) r.destroy();
      hung.clear();
      server.closeAllConnections?.();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

function jsonOf(buf) {
  try { return JSON.parse(buf.toString('utf8')); } catch { return null; }
}

export async function startRobots({ tls }) {
  const wecom = new Set();
  const dingtalk = new Map(); // token → secret ('' = unsigned)
  const s = await serve(tls, (req, body, mode) => {
    const u = new URL(req.url, 'https://x');
    const ctype = req.headers['content-type'] || '';
    const msg = jsonOf(body);
    const id = req.headers['x-hearth-message-id'];
    if (req.method !== 'POST' || !/^application\/json/.test(ctype)) {
      return { json: { errcode: 40008, errmsg: 'invalid message type' } };
    }
    if (u.pathname === '/cgi-bin/webhook/send') {
      const key = u.searchParams.get('key');
      if (!wecom.has(key)) return { json: { errcode: 93000, errmsg: 'invalid webhook url, hint: [1714538355214402498975046]' } };
      if (!msg || msg.msgtype !== 'markdown' || typeof msg.markdown?.content !== 'string' || !msg.markdown.content) {
        return { json: { errcode: 40008, errmsg: 'invalid message type' } };
      }
      if (Buffer.byteLength(msg.markdown.content) > 4096) {
        return { json: { errcode: 40058, errmsg: 'markdown.content exceed max length 4096. invalid Request Parameter' } };
      }
      if (mode === 'errcode') return { json: { errcode: 45009, errmsg: 'api freq out of limit' } };
      return { json: { errcode: 0, errmsg: 'ok' }, message: { channel: 'wecom', key, text: msg.markdown.content, id, body: msg } };
    }
    if (u.pathname === '/robot/send') {
      const token = u.searchParams.get('access_token');
      if (!dingtalk.has(token)) return { json: { errcode: 300001, errmsg: 'token is not exist' } };
      const secret = dingtalk.get(token);
      if (secret) {
        const ts = u.searchParams.get('timestamp');
        const sign = u.searchParams.get('sign');
        if (!ts || !/^\d+$/.test(ts) || Math.abs(Date.now() - Number(ts)) > 3600e3) {
          return { json: { errcode: DINGTALK_SIGN_ERRCODE, errmsg: 'invalid timestamp' } };
        }
        const want = createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64');
        if (sign !== want) return { json: { errcode: DINGTALK_SIGN_ERRCODE, errmsg: DINGTALK_SIGN_ERR } };
      }
      if (!msg || msg.msgtype !== 'markdown' || typeof msg.markdown?.title !== 'string' || typeof msg.markdown?.text !== 'string' || !msg.markdown.text) {
        return { json: { errcode: 400105, errmsg: '不支持的消息类型' } };
      }
      if (mode === 'errcode') return { json: { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' } };
      return { json: { errcode: 0, errmsg: 'ok' }, message: { channel: 'dingtalk', token, title: msg.markdown.title, text: msg.markdown.text, id, body: msg } };
    }
    return { status: 404, json: { errcode: 404, errmsg: 'not found' } };
  });
  return {
    ...s,
    wecomUrl: `${s.url}/cgi-bin/webhook/send`,
    dingtalkUrl: `${s.url}/robot/send`,
    addWecom(key) { wecom.add(key); },
    addDingtalk(token, secret = '') { dingtalk.set(token, secret); },
  };
}

// RFC 3986 percent-encoding, as Alibaba Cloud's signature uses it.
export function percentEncode(s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function aliyunSignature(params, secret, method = 'POST') {
  const query = Object.keys(params).filter((k) => k !== 'Signature').sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k])}`).join('&');
  const toSign = `${method}&${percentEncode('/')}&${percentEncode(query)}`;
  return createHmac('sha1', `${secret}&`).update(toSign).digest('base64');
}

const sha256hex = (s) => createHash('sha256').update(s).digest('hex');
const hmac = (key, s) => createHmac('sha256', key).update(s).digest();

export function tc3Signature({ secretKey, service, date, timestamp, canonicalHeaders, signedHeaders, payload }) {
  const canonical = `POST\n/\n\n${canonicalHeaders}\n${signedHeaders}\n${sha256hex(payload)}`;
  const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/${service}/tc3_request\n${sha256hex(canonical)}`;
  const kDate = hmac(`TC3${secretKey}`, date);
  const kService = hmac(kDate, service);
  const kSigning = hmac(kService, 'tc3_request');
  return createHmac('sha256', kSigning).update(toSign).digest('hex');
}

export async function startSms({ provider, keyId, secret, appId = '1400006666', tls }) {
  const nonces = new Set();
  let serial = 0;
  const aliyun = (req, body, mode) => {
    const ctype = req.headers['content-type'] || '';
    if (!/^application\/x-www-form-urlencoded/.test(ctype)) return { status: 400, json: { Code: 'InvalidParameter', Message: 'content type' } };
    const p = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
    const fail = (Code, Message, status = 400) => ({ status, json: { RequestId: `R${++serial}`, Code, Message } });
    if (p.AccessKeyId !== keyId) return fail('InvalidAccessKeyId.NotFound', 'Specified access key is not found.', 404);
    for (const [k, v] of Object.entries({ Action: 'SendSms', Version: '2017-05-25', SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0', Format: 'JSON' })) {
      if (p[k] !== v) return fail('MissingParameter', `${k} is mandatory for this action.`);
    }
    if (!p.Timestamp || Math.abs(Date.parse(p.Timestamp) - Date.now()) > 15 * 60e3) return fail('InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
    if (!p.Signature || p.Signature !== aliyunSignature(p, secret, 'POST')) {
      return fail('SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
    }
    if (nonces.has(p.SignatureNonce)) return fail('SignatureNonceUsed', 'Specified signature nonce was used already.');
    nonces.add(p.SignatureNonce);
    if (!/^1[3-9]\d{9}$/.test(p.PhoneNumbers || '')) return { json: { RequestId: `R${++serial}`, Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '非法手机号' } };
    if (mode === 'errcode') return { json: { RequestId: `R${++serial}`, Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发小时级流控Permits:5' } };
    let params;
    try { params = JSON.parse(p.TemplateParam); } catch { return fail('isv.INVALID_JSON_PARAM', 'JSON参数不合法'); }
    return {
      json: { Message: 'OK', RequestId: `R${++serial}`, BizId: `${serial}^0`, Code: 'OK' },
      message: { provider, phone: p.PhoneNumbers, template: p.TemplateCode, signName: p.SignName, params, outId: p.OutId },
    };
  };
  const tencent = (req, body, mode) => {
    const err = (Code, Message) => ({ json: { Response: { Error: { Code, Message }, RequestId: `T${++serial}` } } });
    const auth = req.headers.authorization || '';
    const m = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(auth);
    if (!m) return err('AuthFailure.SignatureFailure', 'The provided credentials could not be validated. Please check your signature is correct.');
    const [, id, date, service, signed, signature] = m;
    if (id !== keyId) return err('AuthFailure.SecretIdNotFound', 'The SecretId is not found, please ensure that your SecretId is correct.');
    const ts = Number(req.headers['x-tc-timestamp']);
    if (!Number.isInteger(ts) || Math.abs(ts * 1000 - Date.now()) > 5 * 60e3) return err('AuthFailure.SignatureExpire', 'Signature expired.');
    if (new Date(ts * 1000).toISOString().slice(0, 10) !== date || service !== 'sms') return err('AuthFailure.SignatureFailure', 'The provided credentials could not be validated. Please check your signature is correct.');
    if (req.headers['x-tc-action'] !== 'SendSms' || req.headers['x-tc-version'] !== '2021-01-11') return err('InvalidAction', 'The action or version is not valid.');
    const names = signed.split(';');
    if (!names.includes('content-type') || !names.includes('host')) return err('AuthFailure.SignatureFailure', 'content-type and host must be signed.');
    const canonicalHeaders = names.map((n) => `${n}:${String(req.headers[n] || '').trim().toLowerCase()}\n`).join('');
    const want = tc3Signature({ secretKey: secret, service, date, timestamp: ts, canonicalHeaders, signedHeaders: signed, payload: body });
    if (want !== signature) return err('AuthFailure.SignatureFailure', 'The provided credentials could not be validated. Please check your signature is correct.');
    const p = jsonOf(body);
    if (!p || p.SmsSdkAppId !== appId) return err('FailedOperation.SmsSdkAppIdVerifyFail', 'SmsSdkAppId verify fail.');
    const phone = (p.PhoneNumberSet || [])[0] || '';
    if (mode === 'errcode') return { json: { Response: { SendStatusSet: [{ SerialNo: '', PhoneNumber: phone, Fee: 0, SessionContext: p.SessionContext, Code: 'LimitExceeded.PhoneNumberDailyLimit', Message: '单个手机号日下发短信条数超过设定的上限', IsoCode: 'CN' }], RequestId: `T${++serial}` } } };
    if (!/^\+861[3-9]\d{9}$/.test(phone)) return { json: { Response: { SendStatusSet: [{ Code: 'InvalidParameterValue.IncorrectPhoneNumber', Message: '手机号格式错误', PhoneNumber: phone }], RequestId: `T${++serial}` } } };
    return {
      json: { Response: { SendStatusSet: [{ SerialNo: `5000:${++serial}`, PhoneNumber: phone, Fee: 1, SessionContext: p.SessionContext, Code: 'Ok', Message: 'send success', IsoCode: 'CN' }], RequestId: `T${serial}` } },
      message: { provider, phone: phone.slice(3), template: p.TemplateId, signName: p.SignName, params: p.TemplateParamSet, outId: p.SessionContext },
    };
  };
  return serve(tls, provider === 'aliyun' ? aliyun : tencent);
}
