// Line-delimited JSON over stdio: hosts real yjs documents for the Cortex.Crdt interop tests and benchmark.
// Each request is one JSON object with an `id`; each reply is {"id", "ok": true, ...} or {"id", "ok": false, "error"}.
import * as Y from 'yjs'
import * as syncProtocol from 'y-protocols/sync'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { createInterface } from 'node:readline'
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { performance } from 'node:perf_hooks'

const docs = new Map()
const b64 = (u8) => Buffer.from(u8).toString('base64')
const unb64 = (s) => new Uint8Array(Buffer.from(s, 'base64'))

const newDoc = (name, clientId, gc) => {
  const doc = new Y.Doc({ gc: gc !== false })
  doc.clientID = clientId
  const entry = { doc, updates: [], events: [] }
  doc.on('update', (u, origin) => { if (origin !== 'remote') entry.updates.push(b64(u)) })
  // Observers on the roots: text and array deltas, map key changes (compared with the C# events).
  doc.getText('text').observe((e) => entry.events.push('text ' + JSON.stringify(e.delta)))
  doc.getArray('array').observe((e) => entry.events.push('array ' + JSON.stringify(e.delta)))
  doc.getMap('map').observe((e) => entry.events.push('map ' + JSON.stringify(Array.from(e.keys.entries()).map(([k, v]) => [k, v.action]))))
  docs.set(name, entry)
  return entry
}

const value = (spec) => {
  if (spec !== null && typeof spec === 'object' && !Array.isArray(spec)) {
    if ('$bin' in spec) return unb64(spec.$bin)
    const o = {}
    for (const k of Object.keys(spec)) o[k] = value(spec[k])
    return o
  }
  if (Array.isArray(spec)) return spec.map(value)
  return spec
}

const newType = (kind) => kind === 0 ? new Y.Text() : kind === 1 ? new Y.Map() : new Y.Array()

// Keep positions off the middle of surrogate pairs (see YJS-FORMAT.md).
const safePos = (str, pos) => (pos > 0 && pos < str.length && str.charCodeAt(pos - 1) >= 0xd800 && str.charCodeAt(pos - 1) <= 0xdbff) ? pos - 1 : pos

const collectNested = (type, out) => {
  if (type instanceof Y.Array) {
    type.toArray().forEach((c) => { if (c instanceof Y.AbstractType) { out.push(c); collectNested(c, out) } })
  } else if (type instanceof Y.Map) {
    Array.from(type.keys()).sort().forEach((k) => { const c = type.get(k); if (c instanceof Y.AbstractType) { out.push(c); collectNested(c, out) } })
  }
  return out
}

const pick = (frac, n) => Math.min(n - 1, Math.floor(frac * n))

const xmlOp = (doc, op) => {
  const frag = doc.getXmlFragment('xml')
  const len = frag.length
  const pos = Math.floor(op.a * (len + 1))
  const children = frag.toArray()
  switch (op.k % 5) {
    case 0: frag.insert(pos, [new Y.XmlElement(op.s.length % 2 === 0 ? 'p' : 'h1')]); break
    case 1: { const t = new Y.XmlText(); frag.insert(pos, [t]); t.insert(0, op.s, value(op.attrs)); break }
    case 2: if (len > 0 && pos < len) frag.delete(pos, 1); break
    case 3: {
      const els = children.filter((c) => c instanceof Y.XmlElement)
      if (els.length > 0) els[pick(op.b, els.length)].setAttribute(op.keys[pick(op.c, op.keys.length)], op.s)
      break
    }
    default: {
      const texts = children.filter((c) => c instanceof Y.XmlText)
      if (texts.length > 0) { const t = texts[pick(op.b, texts.length)]; t.insert(safePos(t.toString(), Math.floor(op.c * (t.length + 1))), op.s, value(op.attrs)) }
    }
  }
}

const applyOp = (doc, op) => {
  if (op.t === 4) return xmlOp(doc, op)
  let target
  if (op.t === 0) target = doc.getText('text')
  else if (op.t === 1) target = doc.getMap('map')
  else if (op.t === 2) target = doc.getArray('array')
  else {
    const nested = collectNested(doc.getArray('array'), [])
    collectNested(doc.getMap('map'), nested)
    if (nested.length === 0) return
    target = nested[pick(op.c, nested.length)]
  }
  if (target instanceof Y.Text) {
    // Index space of the text including embeds (one unit each), to keep positions off surrogate pairs.
    const str = target.toDelta().map((d) => typeof d.insert === 'string' ? d.insert : ' ').join('')
    const len = str.length
    const pos = safePos(str, Math.floor(op.a * (len + 1)))
    switch (op.k % 5) {
      case 0: target.insert(pos, op.s); break
      case 4: target.insertEmbed(pos, { embed: value(op.v) }, op.k % 2 === 0 ? value(op.attrs) : undefined); break
      case 1: {
        if (len === 0) return
        const end = safePos(str, Math.min(len, pos + 1 + Math.floor(op.b * 4)))
        if (end > pos) target.delete(pos, end - pos)
        break
      }
      case 2: {
        if (len === 0) return
        const end = safePos(str, Math.min(len, pos + 1 + Math.floor(op.b * 6)))
        if (end > pos) target.format(pos, end - pos, value(op.attrs))
        break
      }
      case 3: target.insert(pos, op.s, value(op.attrs)); break
    }
  } else if (target instanceof Y.Map) {
    const key = op.keys[pick(op.a, op.keys.length)]
    switch (op.k % 3) {
      case 0: target.set(key, value(op.v)); break
      case 1: target.delete(key); break
      default: target.set(key, newType(pick(op.b, 3)))
    }
  } else {
    const len = target.length
    const pos = Math.floor(op.a * (len + 1))
    switch (op.k % 3) {
      case 0: target.insert(pos, op.vs.map(value)); break
      case 1: {
        if (len === 0 || pos >= len) return
        target.delete(pos, Math.min(len - pos, 1 + Math.floor(op.b * 3)))
        break
      }
      default: target.insert(pos, [newType(pick(op.b, 3))])
    }
  }
}

const readTrace = (path) => JSON.parse(gunzipSync(readFileSync(path)).toString('utf8'))

// Sequential trace replay, positions converted from code points to UTF-16 units.
const replay = (trace, clientId) => {
  const doc = new Y.Doc()
  doc.clientID = clientId
  const text = doc.getText('text')
  const t0 = performance.now()
  for (const txn of trace.txns) {
    doc.transact(() => {
      for (const [pos, del, ins] of txn.patches) {
        const p = toUtf16(text, pos)
        if (del > 0) text.delete(p, toUtf16(text, pos + del) - p)
        if (ins.length > 0) text.insert(p, ins)
      }
    })
  }
  const applyMs = performance.now() - t0
  return { doc, text, applyMs }
}

// Traces count code points; all of automerge-paper and seph-blog1 is BMP, so this is the identity there.
const toUtf16 = (_text, pos) => pos

const handlers = {
  new: (r) => { newDoc(r.doc, r.clientId, r.gc); return {} },
  destroy: (r) => { docs.delete(r.doc); return {} },
  apply: (r) => { Y.applyUpdate(docs.get(r.doc).doc, unb64(r.update), 'remote'); return {} },
  canonical: (r) => { const d = new Y.Doc(); Y.applyUpdate(d, unb64(r.update)); return { update: b64(Y.encodeStateAsUpdate(d)) } },
  op: (r) => { const e = docs.get(r.doc); e.doc.transact(() => applyOp(e.doc, r.op)); return {} },
  ops: (r) => { const e = docs.get(r.doc); for (const op of r.ops) e.doc.transact(() => applyOp(e.doc, op)); return {} },
  drain: (r) => { const e = docs.get(r.doc); const u = e.updates; const ev = e.events; e.updates = []; e.events = []; return { updates: u, events: ev } },
  state: (r) => {
    const doc = docs.get(r.doc).doc
    const sv = r.sv ? unb64(r.sv) : undefined
    doc.getText('text'); doc.getMap('map'); doc.getArray('array'); doc.getXmlFragment('xml')
    return {
      update: b64(Y.encodeStateAsUpdate(doc, sv)),
      sv: b64(Y.encodeStateVector(doc)),
      json: JSON.stringify(doc.toJSON()),
      delta: JSON.stringify(doc.getText('text').toDelta()),
      pending: doc.store.pendingStructs !== null || doc.store.pendingDs !== null
    }
  },
  // Plain text edits on a named root (document bodies are the Y.Text "body"); the update lands in `drain`.
  textEdit: (r) => {
    const t = docs.get(r.doc).doc.getText(r.name)
    docs.get(r.doc).doc.transact(() => { if (r.del > 0) t.delete(r.index, r.del); if (r.insert) t.insert(r.index, r.insert) })
    return { text: t.toString() }
  },
  textOf: (r) => ({ text: docs.get(r.doc).doc.getText(r.name).toString() }),
  merge: (r) => ({ update: b64(Y.mergeUpdates(r.updates.map(unb64))) }),
  diff: (r) => ({ update: b64(Y.diffUpdate(unb64(r.update), unb64(r.sv))) }),
  svFromUpdate: (r) => ({ sv: b64(Y.encodeStateVectorFromUpdate(unb64(r.update))) }),
  json: (r) => { const d = new Y.Doc(); Y.applyUpdate(d, unb64(r.update)); for (const name of r.texts || []) d.getText(name); return { json: JSON.stringify(d.toJSON()) } },
  syncStep1: (r) => { const enc = encoding.createEncoder(); syncProtocol.writeSyncStep1(enc, docs.get(r.doc).doc); return { message: b64(encoding.toUint8Array(enc)) } },
  syncStep2: (r) => { const enc = encoding.createEncoder(); syncProtocol.writeSyncStep2(enc, docs.get(r.doc).doc, r.sv ? unb64(r.sv) : undefined); return { message: b64(encoding.toUint8Array(enc)) } },
  syncUpdate: (r) => { const enc = encoding.createEncoder(); syncProtocol.writeUpdate(enc, unb64(r.update)); return { message: b64(encoding.toUint8Array(enc)) } },
  readSync: (r) => {
    const dec = decoding.createDecoder(unb64(r.message))
    const enc = encoding.createEncoder()
    const type = syncProtocol.readSyncMessage(dec, enc, docs.get(r.doc).doc, 'remote')
    return { type, reply: encoding.length(enc) > 0 ? b64(encoding.toUint8Array(enc)) : null }
  },
  trace: (r) => {
    const trace = readTrace(r.path)
    const { doc, text } = replay(trace, r.clientId)
    return { update: b64(Y.encodeStateAsUpdate(doc)), ok: text.toString() === trace.endContent }
  },
  bench: (r) => {
    const trace = readTrace(r.path)
    const results = []
    for (let i = 0; i < r.iterations; i++) {
      const { doc, applyMs } = replay(trace, r.clientId)
      let t = performance.now()
      const update = Y.encodeStateAsUpdate(doc)
      const encodeMs = performance.now() - t
      t = performance.now()
      const doc2 = new Y.Doc()
      Y.applyUpdate(doc2, update)
      const parseMs = performance.now() - t
      if (doc2.getText('text').toString() !== trace.endContent) throw new Error('yjs replay diverged')
      results.push({ applyMs, encodeMs, parseMs, size: update.length })
    }
    return { results }
  }
}

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity })
rl.on('line', (line) => {
  let req
  try {
    req = JSON.parse(line)
    const res = handlers[req.cmd](req)
    process.stdout.write(JSON.stringify({ id: req.id, ok: true, ...res }) + '\n')
  } catch (e) {
    process.stdout.write(JSON.stringify({ id: req ? req.id : null, ok: false, error: String(e && e.stack || e) }) + '\n')
  }
})
rl.on('close', () => process.exit(0))
