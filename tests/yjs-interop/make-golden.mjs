// Regenerates tests/Cortex.Crdt.Tests/Golden/vectors.json from real yjs: `node make-golden.mjs`.
// Each vector: an update produced by yjs, the state yjs re-encodes after applying it to a fresh doc,
// encodeStateVectorFromUpdate, and the JSON of the roots read as the listed types.
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import { writeFileSync } from 'node:fs'

const b64 = (u8) => Buffer.from(u8).toString('base64')
const vectors = []

const add = (name, update, roots) => {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, update)
  const json = {}
  for (const [root, kind] of Object.entries(roots)) {
    const t = kind === 'text' ? doc.getText(root) : kind === 'map' ? doc.getMap(root) : kind === 'array' ? doc.getArray(root) : doc.getXmlFragment(root)
    json[root] = t.toJSON()
  }
  vectors.push({
    name,
    update: b64(update),
    reencoded: b64(Y.encodeStateAsUpdate(doc)),
    stateVector: b64(Y.encodeStateVectorFromUpdate(update)),
    docStateVector: b64(Y.encodeStateVector(doc)),
    roots,
    json: JSON.stringify(json, (_k, v) => typeof v === 'bigint' ? v.toString() + 'n' : v),
    delta: roots.text === 'text' ? JSON.stringify(doc.getText('text').toDelta()) : null
  })
}

const make = (clientId, f, gc = true) => {
  const doc = new Y.Doc({ gc })
  doc.clientID = clientId
  f(doc)
  return doc
}

// 1. Plain text with a deletion (GC'd content, delete set).
let d = make(1, (doc) => { const t = doc.getText('text'); t.insert(0, 'hello world'); t.delete(2, 3) })
add('text-insert-delete', Y.encodeStateAsUpdate(d), { text: 'text' })

// 2. Same without GC: deleted content kept as ContentDeleted items.
d = make(2, (doc) => { const t = doc.getText('text'); t.insert(0, 'abcdef'); t.delete(1, 2) }, false)
add('text-no-gc', Y.encodeStateAsUpdate(d), { text: 'text' })

// 3. Formatting attributes and embeds.
d = make(3, (doc) => {
  const t = doc.getText('text')
  t.insert(0, 'bold and plain', { bold: true })
  t.format(5, 3, { italic: true, color: '#ff0000' })
  t.insertEmbed(4, { image: 'x.png', width: 20 })
  t.format(0, 2, { bold: null })
})
add('text-formatting-embed', Y.encodeStateAsUpdate(d), { text: 'text' })

// 4. Surrogate pairs, split by a concurrent insert inside the pair (yjs#248 replacement characters).
d = make(4, (doc) => { doc.getText('text').insert(0, 'a😀b🎉c') })
const d2 = make(5, () => {})
Y.applyUpdate(d2, Y.encodeStateAsUpdate(d))
d2.getText('text').insert(2, 'X')
add('text-split-surrogate', Y.encodeStateAsUpdate(d2), { text: 'text' })

// 5. Map with every any-value kind, binary and nested types.
d = make(2 ** 53 - 1, (doc) => {
  const m = doc.getMap('map')
  m.set('int', 42)
  m.set('negative', -7)
  m.set('big', 2 ** 40)
  m.set('float32', 1.5)
  m.set('float64', 0.1)
  m.set('string', 'tschüß 日本 😀')
  m.set('bool', true)
  m.set('false', false)
  m.set('null', null)
  m.set('undefined', undefined)
  m.set('object', { b: 1, a: [1, 'x', null], 3: 'numeric key' })
  m.set('array', [1, 2, { deep: true }])
  m.set('bytes', new Uint8Array([0, 1, 254, 255]))
  m.set('bigint', 123n)
  m.set('', 'empty key')
  m.set('text', new Y.Text('nested text'))
  const inner = new Y.Map()
  m.set('map', inner)
  inner.set('k', 'v')
  m.set('int', 43)
})
add('map-all-values', Y.encodeStateAsUpdate(d), { map: 'map' })

// 6. Arrays, nested arrays/maps, deletes across items.
d = make(4294967296 + 5, (doc) => {
  const a = doc.getArray('array')
  a.insert(0, [1, 2, 3, 'four', { five: 5 }])
  const nested = new Y.Array()
  a.insert(2, [nested])
  nested.insert(0, ['x', 'y'])
  a.delete(0, 1)
  a.push([new Uint8Array([9])])
})
add('array-nested', Y.encodeStateAsUpdate(d), { array: 'array' })

// 7. XML types: fragment, element with attributes, text with formatting, hook.
d = make(7, (doc) => {
  const f = doc.getXmlFragment('xml')
  const el = new Y.XmlElement('p')
  f.insert(0, [el])
  el.setAttribute('class', 'lead')
  const tx = new Y.XmlText()
  el.insert(0, [tx])
  tx.insert(0, 'hi there', { bold: true })
  f.insert(1, [new Y.XmlHook('custom')])
})
add('xml-types', Y.encodeStateAsUpdate(d), { xml: 'xml' })

// 8. Subdocument.
d = make(8, (doc) => {
  doc.getMap('map').set('sub', new Y.Doc({ guid: 'sub-guid', autoLoad: true, meta: { kind: 'note' } }))
  doc.getArray('array').insert(0, [new Y.Doc({ guid: 'second', gc: false })])
})
add('subdocs', Y.encodeStateAsUpdate(d), { map: 'map', array: 'array' })

// 9. Concurrent inserts from three clients, merged with mergeUpdates.
const peers = [10, 11, 12].map((c) => make(c, (doc) => doc.getText('text').insert(0, `client${c} `)))
add('merged-concurrent', Y.mergeUpdates(peers.map((p) => Y.encodeStateAsUpdate(p))), { text: 'text' })

// 10. Skip structs: merging updates with a gap in one client's clock range.
const gap = make(20, () => {})
const updates = []
gap.on('update', (u) => updates.push(u))
const gt = gap.getText('text')
gt.insert(0, 'one ')
gt.insert(4, 'two ')
gt.insert(8, 'three')
add('skip-gap', Y.mergeUpdates([updates[0], updates[2]]), { text: 'text' })

// 11. Diffed update: structs sliced from the middle of an item.
const sv = new Map([[20, 6]])
const svEnc = encoding.createEncoder()
encoding.writeVarUint(svEnc, 1); encoding.writeVarUint(svEnc, 20); encoding.writeVarUint(svEnc, 6)
add('diff-sliced', Y.diffUpdate(Y.encodeStateAsUpdate(gap), encoding.toUint8Array(svEnc)), { text: 'text' })
void sv

// 12. Legacy JSON content (ref 2), hand-encoded as old yjs versions wrote it.
const enc = encoding.createEncoder()
encoding.writeVarUint(enc, 1) // clients
encoding.writeVarUint(enc, 1) // structs
encoding.writeVarUint(enc, 30) // client
encoding.writeVarUint(enc, 0) // clock
encoding.writeUint8(enc, 2) // info: ContentJSON, no origins
encoding.writeVarUint(enc, 1) // parent is a root name
encoding.writeVarString(enc, 'array')
encoding.writeVarUint(enc, 3)
encoding.writeVarString(enc, '{"a":1}')
encoding.writeVarString(enc, 'undefined')
encoding.writeVarString(enc, '[1,2]')
encoding.writeVarUint(enc, 0) // delete set
add('legacy-json-content', encoding.toUint8Array(enc), { array: 'array' })

// 13. Map key overwritten concurrently and deleted.
const m1 = make(40, (doc) => doc.getMap('map').set('k', 'first'))
const m2 = make(41, (doc) => doc.getMap('map').set('k', 'second'))
Y.applyUpdate(m1, Y.encodeStateAsUpdate(m2))
m1.getMap('map').delete('k')
m1.getMap('map').set('other', 1)
add('map-conflict-delete', Y.encodeStateAsUpdate(m1), { map: 'map' })

// 14. XML type refs nested in other types: a fragment (ref 4), an element (3), a hook (5) and texts (6) in a map and an array.
d = make(50, (doc) => {
  const m = doc.getMap('map')
  const frag = new Y.XmlFragment()
  m.set('fragment', frag)
  frag.insert(0, [new Y.XmlText('inner'), new Y.XmlElement('span')])
  const el = new Y.XmlElement('div')
  m.set('element', el)
  el.setAttribute('id', 'x')
  const hook = new Y.XmlHook('widget')
  m.set('hook', hook)
  hook.set('size', 3)
  doc.getArray('array').insert(0, [new Y.XmlFragment(), new Y.XmlText('t')])
})
add('xml-nested-refs', Y.encodeStateAsUpdate(d), { map: 'map', array: 'array' })

writeFileSync(new URL('../Cortex.Crdt.Tests/Golden/vectors.json', import.meta.url), JSON.stringify(vectors, null, 2) + '\n')
console.log(`wrote ${vectors.length} vectors`)
