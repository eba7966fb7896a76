// Runs the C2PA reference implementation (c2pa-rs compiled to WebAssembly, npm @contentauth/c2pa-wasm)
// for Hallmark's interop test. Usage: node c2pa-interop.mjs PACKAGE_DIR < jobs.json > results.json
// Each job is {op: "read", file, trust?} -> {state, failures, codes} or {error}
//          or {op: "sign", in, out, format, cert, key, alg} -> {ok: true} or {error}.
// Signing uses the package's direct-COSE signer hook: this script builds the COSE_Sign1 (RFC 9052)
// itself with node:crypto, the x5chain in the protected header, padded to the reserved size.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createPrivateKey, sign as cryptoSign, constants } from 'node:crypto';

const pkgDir = process.argv[2];
const mod = await import(pathToFileURL(pkgDir + '/pkg/c2pa.js').href);
await mod.default({ module_or_path: readFileSync(pkgDir + '/pkg/c2pa_bg.wasm') });

// WasmBuilder.sign reads its source Blob with FileReaderSync, which only browser workers have. This
// shim gives Node the same synchronous read over bytes already in memory (size, slice, read); it does
// not touch what c2pa-rs does with them.
class SyncBlob extends Blob {
  constructor(bytes) { super([]); this.bytes = bytes; }
  get size() { return this.bytes.length; }
  slice(start, end) { return new SyncBlob(this.bytes.subarray(start ?? 0, end ?? this.bytes.length)); }
}
globalThis.FileReaderSync = class {
  readAsArrayBuffer(blob) {
    const u = blob.bytes;
    return u.buffer.slice(u.byteOffset, u.byteOffset + u.length);
  }
};

// ---- minimal deterministic CBOR encoder (definite lengths) ----
function head(major, n) {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) { const b = Buffer.alloc(3); b[0] = (major << 5) | 25; b.writeUInt16BE(n, 1); return b; }
  const b = Buffer.alloc(5); b[0] = (major << 5) | 26; b.writeUInt32BE(n, 1); return b;
}
function cbor(v) {
  if (v === null) return Buffer.from([0xf6]);
  if (typeof v === 'number') return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (typeof v === 'string') { const s = Buffer.from(v, 'utf8'); return Buffer.concat([head(3, s.length), s]); }
  if (v instanceof Uint8Array) return Buffer.concat([head(2, v.length), Buffer.from(v)]);
  if (Array.isArray(v)) return Buffer.concat([head(4, v.length), ...v.map(cbor)]);
  if (v instanceof Map) {
    const parts = [head(5, v.size)];
    for (const [k, x] of v) { parts.push(cbor(k), cbor(x)); }
    return Buffer.concat(parts);
  }
  if (v && v.tag !== undefined) return Buffer.concat([head(6, v.tag), cbor(v.value)]);
  throw new Error('cannot encode ' + typeof v);
}

function pemCerts(pem) {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)]
    .map(m => new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')));
}

const COSE_ALG = { es256: -7, es384: -35, es512: -36, ps256: -37, ps384: -38, ed25519: -8 };

function rawSign(alg, key, data) {
  switch (alg) {
    case 'es256': return cryptoSign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
    case 'es384': return cryptoSign('sha384', data, { key, dsaEncoding: 'ieee-p1363' });
    case 'es512': return cryptoSign('sha512', data, { key, dsaEncoding: 'ieee-p1363' });
    case 'ps256': return cryptoSign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    case 'ps384': return cryptoSign('sha384', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 });
    case 'ed25519': return cryptoSign(null, data, key);
    default: throw new Error('unsupported alg ' + alg);
  }
}

function coseSigner(alg, certPem, keyPem, reserveSize) {
  const key = createPrivateKey(keyPem);
  const certs = pemCerts(certPem);
  const prot = new Map([[1, COSE_ALG[alg]], [33, certs.length === 1 ? certs[0] : certs]]);
  const protBytes = new Uint8Array(cbor(prot));
  return async (claim) => {
    const tbs = cbor(['Signature1', protBytes, new Uint8Array(0), new Uint8Array(claim)]);
    const sig = new Uint8Array(rawSign(alg, key, tbs));
    const build = (pad) => cbor({ tag: 18, value: [protBytes, pad === null ? new Map() : new Map([['pad', pad]]), null, sig] });
    let out = build(null);
    if (out.length > reserveSize) throw new Error('COSE signature larger than the reserved size');
    let padLen = reserveSize - out.length - 5;
    for (let i = 0; i < 8 && padLen >= 0; i++) {
      out = build(new Uint8Array(padLen));
      if (out.length === reserveSize) break;
      padLen += reserveSize - out.length;
    }
    if (out.length !== reserveSize) throw new Error('could not pad the COSE signature to the reserved size');
    return new Uint8Array(out);
  };
}

const settings = (trust) => JSON.stringify(trust
  ? { verify: { verify_trust: true }, trust: { trust_anchors: readFileSync(trust, 'utf8') } }
  : { verify: { verify_trust: true } });

async function read(job) {
  const fmt = job.file.toLowerCase().endsWith('.png') ? 'image/png' : 'image/jpeg';
  const r = await mod.WasmReader.fromBytes(fmt, new Uint8Array(readFileSync(job.file)), settings(job.trust));
  const j = JSON.parse(r.json());
  const am = (j.validation_results || {}).activeManifest || {};
  return {
    state: j.validation_state,
    failures: (am.failure || []).map(s => s.code),
    codes: (j.validation_status || []).map(s => s.code),
  };
}

async function signJob(job) {
  const reserveSize = 20000;
  const def = {
    claim_generator_info: [{ name: 'c2pa-wasm interop', version: '0.13.3' }],
    title: job.out.split('/').pop(),
    assertions: [{ label: 'c2pa.actions', data: { actions: [{ action: 'c2pa.created',
      digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture' }] } }],
  };
  const builder = mod.WasmBuilder.fromJson(JSON.stringify(def), JSON.stringify({ builder: { thumbnail: { enabled: false } } }));
  const signer = { alg: job.alg, reserveSize, sign: coseSigner(job.alg, readFileSync(job.cert, 'utf8'), readFileSync(job.key, 'utf8'), reserveSize) };
  const out = await builder.sign(signer, [], job.format, new SyncBlob(new Uint8Array(readFileSync(job.in))));
  writeFileSync(job.out, out);
  return { ok: true };
}

const jobs = JSON.parse(readFileSync(0, 'utf8'));
const results = [];
for (const job of jobs) {
  try {
    results.push(job.op === 'sign' ? await signJob(job) : await read(job));
  } catch (e) {
    results.push({ error: String((e && e.message) || e) });
  }
}
process.stdout.write(JSON.stringify(results));
