'use strict';
(function () {
  const drop = document.getElementById('drop');
  const input = document.getElementById('file');
  const statusEl = document.getElementById('status');
  const result = document.getElementById('result');

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function signal(key, status, title, detail) {
    const li = el('li');
    li.dataset.signal = key;
    li.dataset.status = status;
    const marks = { ok: '\u2713', fail: '\u2717', partial: '~', na: '\u2013' };
    li.appendChild(el('span', 'mark', marks[status]));
    li.appendChild(el('span', 'title', title));
    li.appendChild(el('span', 'detail', detail));
    return li;
  }

  function chance(p) {
    if (p >= 1e-3) return 'about ' + p.toPrecision(2);
    const n = Math.floor(-Math.log10(Math.max(p, 1e-300)));
    return n <= 12 ? 'less than 1 in ' + Math.pow(10, n).toLocaleString('en-US') : 'less than 1 in 10^' + n;
  }

  function render(v) {
    const verdict = document.getElementById('verdict');
    const anything = v.record.found || v.watermark.detected || v.metadataReference.found;
    verdict.className = 'verdict ' + (v.originEstablished ? 'established' : v.ambiguous ? 'ambiguous' : anything ? 'partial' : 'none');
    verdict.dataset.established = String(v.originEstablished);
    verdict.dataset.verdict = v.verdict || '';
    verdict.textContent = v.originEstablished ? 'Origin established'
      : v.ambiguous ? 'Ambiguous: several registered files match equally well, so the origin is not established'
      : anything ? 'Some signs of Hallmark provenance, but the origin is not established'
      : 'No Hallmark provenance found';
    document.getElementById('summary').textContent = v.summary;

    const list = document.getElementById('signals');
    list.replaceChildren();
    const ref = v.metadataReference;
    list.appendChild(signal('reference', ref.found ? 'ok' : 'na', 'Tag in the file\u2019s metadata',
      ref.found ? 'The file names its record: ' + ref.reference
        : 'None. Metadata is often removed when files are shared, so this alone proves nothing.'));
    const w = v.watermark;
    list.appendChild(signal('watermark', !w.checked ? 'na' : w.detected ? 'ok' : 'fail', 'Invisible watermark',
      !w.checked ? 'Not tested: the watermark is secret-keyed (enter the operator access token to test it).'
        : w.detected ? 'Found (key ' + w.keyId + '). The chance of this on an unmarked file is ' + chance(w.pValue)
          + (w.payload ? '; it carries the record id ' + w.payload + '.' : '.')
        : 'Not found under ' + w.keysTried + ' key(s).'));
    const r = v.record;
    list.appendChild(signal('record', r.found ? 'ok' : 'fail', 'Entry in the provenance log',
      r.found ? 'Entry #' + r.index + ' of log ' + r.log + ', by model ' + (r.model || '(unnamed)')
        + (r.timestamp ? ', registered ' + r.timestamp : '') + ' (matched by ' + r.via.replace(/-/g, ' ') + ').'
        : 'No entry in the log matches this file.'));
    const st = { valid: 'ok', invalid: 'fail', 'not-checked': 'na' };
    list.appendChild(signal('signature', st[v.signature.status], 'Producer\u2019s signature',
      v.signature.status === 'valid' ? 'Valid: the entry was signed by ' + v.signature.detail.replace(/^signed by /, '') + ' and not altered since.'
        : v.signature.detail));
    list.appendChild(signal('proof', st[v.inclusionProof.status], 'Proof the entry is in the public log',
      v.inclusionProof.status === 'valid' ? 'Valid: ' + v.inclusionProof.detail + '.' : v.inclusionProof.detail));
    const h = { equal: ['ok', 'Identical to the registered file.'],
      similar: ['partial', 'Not identical: an edited or re-encoded copy of the registered file'
        + (r.distance >= 0 ? ' (' + r.distance + ' of 256 fingerprint bits differ).' : '.')],
      different: ['fail', 'Neither identical nor similar to the registered file.'],
      unknown: ['na', 'Nothing to compare with.'] }[v.hash];
    list.appendChild(signal('hash', h[0], 'File compared with the record', h[1]));
    const c = v.c2pa;
    if (c && c.present) {
      list.appendChild(signal('c2pa', c.validationState === 'Invalid' ? 'fail' : 'ok', 'Content Credentials (C2PA)',
        c.detail));
    }
    const notes = document.getElementById('notes');
    notes.replaceChildren();
    if (v.choice) notes.appendChild(el('li', 'choice', v.choice));
    (v.otherMatches || []).forEach(o => notes.appendChild(el('li', 'other-match',
      'Also matches: entry #' + o.index + ' of log ' + o.log + ', by model ' + (o.model || '(unnamed)')
        + (o.timestamp ? ', registered ' + o.timestamp : '')
        + (o.distance >= 0 ? ' (' + o.distance + ' of 256 fingerprint bits differ).' : ' (similarity ' + o.similarity.toFixed(2) + ').'))));
    (v.notes || []).forEach(n => notes.appendChild(el('li', null, n)));
    document.getElementById('raw').textContent = JSON.stringify(v, null, 2);
    result.hidden = false;
  }

  async function verify(file) {
    result.hidden = true;
    statusEl.textContent = 'Checking ' + file.name + '\u2026';
    statusEl.dataset.state = 'busy';
    const headers = { 'X-File-Name': encodeURIComponent(file.name) };
    const token = document.getElementById('token').value.trim();
    if (token) headers['Authorization'] = 'Bearer ' + token;
    try {
      const resp = await fetch('/api/v1/verify', { method: 'POST', body: file, headers: headers });
      const body = await resp.json();
      if (!resp.ok) {
        statusEl.textContent = 'Could not check ' + file.name + ': ' + (body.error ? body.error.message : resp.status);
        statusEl.dataset.state = 'error';
        return;
      }
      render(body);
      statusEl.textContent = 'Checked ' + file.name + '.';
      statusEl.dataset.state = 'done';
    } catch (e) {
      statusEl.textContent = 'Could not reach the server: ' + e;
      statusEl.dataset.state = 'error';
    }
  }

  input.addEventListener('change', () => { if (input.files.length) verify(input.files[0]); });
  ['dragenter', 'dragover'].forEach(t => drop.addEventListener(t, e => { e.preventDefault(); drop.classList.add('over'); }));
  ['dragleave', 'drop'].forEach(t => drop.addEventListener(t, e => { e.preventDefault(); drop.classList.remove('over'); }));
  drop.addEventListener('drop', e => { if (e.dataTransfer.files.length) verify(e.dataTransfer.files[0]); });
})();
