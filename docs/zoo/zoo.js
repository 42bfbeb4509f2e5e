// The zoo page: every entry of entries.json (python -m tfgan_zoo.formats writes it) with its
// picture and, for entries with a TF.js model, a "generate" control that runs the generator
// here: latents (and noise maps, continuous codes) drawn from a seeded normal / uniform,
// labels / categories / target domains and truncation from the controls, source images (for
// image-to-image models) from the examples in entries.json. The page's test
// (tests/formats/test_page.py) clicks every control in headless Chromium and compares the
// canvas with the SavedModel's images for the inputs the page records in zoo.last[name].
'use strict';

const zoo = { models: {}, last: {}, entries: [] };
window.zoo = zoo;

function rng(seed) { // mulberry32: a small seeded uniform generator in [0, 1)
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normals(next, n) { // Box-Muller
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = Math.max(next(), 1e-12), v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

function truncatedNormals(next, n, psi) { // BigGAN's trick: |z| > psi redrawn
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let z;
    do { z = normals(next, 1)[0]; } while (Math.abs(z) > psi);
    out[i] = z;
  }
  return out;
}

const INTEGER = ['labels', 'category', 'target_domain'];

function drawInputs(entry, choice) {
  // {name: {shape, dtype, data}} for one example
  const next = rng(choice.seed);
  const inputs = {};
  for (const [name, spec] of Object.entries(entry.inputs)) {
    const shape = [1, ...spec.shape];
    const size = spec.shape.reduce((a, b) => a * b, 1);
    let data;
    if (INTEGER.includes(name)) data = [choice.classes[name] ?? 0];
    else if (name === 'truncation') { inputs[name] = { shape: [], dtype: 'float32', data: [choice.truncation] }; continue; }
    else if (name === 'continuous') data = Array.from({ length: size }, () => 2 * next() - 1);
    else if (name === 'source_images') data = entry.sources[choice.source];
    else if (name === 'latents' && entry.latent_truncation) data = truncatedNormals(next, size, choice.truncation);
    else data = Array.from(normals(next, size));
    inputs[name] = { shape, dtype: INTEGER.includes(name) ? 'int32' : 'float32', data: Array.from(data) };
  }
  return inputs;
}

async function model(entry) {
  if (!zoo.models[entry.name]) zoo.models[entry.name] = tf.loadGraphModel('../../' + entry.tfjs);
  return zoo.models[entry.name];
}

async function generate(entry, choice, canvas) {
  const graph = await model(entry);
  const inputs = drawInputs(entry, choice);
  const feed = {};
  for (const [name, v] of Object.entries(inputs)) feed[name] = tf.tensor(v.data, v.shape, v.dtype);
  let out = await graph.executeAsync(feed);
  if (Array.isArray(out)) out = out[0];
  const [, h, w, c] = out.shape;
  const pixels = await tf.tidy(() => out.add(1).mul(127.5).round().clipByValue(0, 255)).data();
  tf.dispose([out, ...Object.values(feed)]);
  canvas.width = w; canvas.height = h;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(w, h);
  for (let i = 0; i < h * w; i++) {
    for (let k = 0; k < 3; k++) image.data[4 * i + k] = pixels[i * c + (c === 1 ? 0 : k)];
    image.data[4 * i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
  zoo.last[entry.name] = inputs;
  canvas.dataset.generated = String(Number(canvas.dataset.generated || 0) + 1);
}

function control(label, element) {
  const wrap = document.createElement('label');
  wrap.append(label + ' ', element);
  return wrap;
}

function card(entry) {
  const div = document.createElement('div');
  div.className = 'entry';
  div.id = 'entry-' + entry.name;
  div.innerHTML = `<h2>${entry.name}</h2><div class="family">${entry.family} · ${entry.kind}</div>`;
  const img = document.createElement('img');
  img.className = 'picture'; img.src = '../../' + entry.picture; img.alt = entry.name + ' samples';
  div.append(img);
  if (!entry.tfjs) {
    div.insertAdjacentHTML('beforeend', '<p class="none">no TF.js model (see exports/README.md)</p>');
    return div;
  }
  const controls = document.createElement('div');
  controls.className = 'controls';
  const seed = Object.assign(document.createElement('input'), { type: 'number', value: 0, min: 0, name: 'seed' });
  controls.append(control(entry.inputs.source_images ? 'noise seed' : 'latent seed', seed));
  const selects = {};
  for (const name of INTEGER) {
    const spec = entry.inputs[name];
    if (!spec) continue;
    const select = document.createElement('select');
    select.name = name;
    for (let k = 0; k < spec.classes; k++) {
      select.append(new Option(spec.names ? spec.names[k] : String(k), String(k)));
    }
    selects[name] = select;
    controls.append(control(name === 'labels' ? 'label' : name.replace('_', ' '), select));
  }
  let truncation = null;
  if (entry.inputs.truncation || entry.latent_truncation) {
    truncation = Object.assign(document.createElement('input'), entry.latent_truncation
      ? { type: 'range', min: 0.1, max: 4, step: 0.1, value: 4, name: 'truncation' } // |z| <= psi
      : { type: 'range', min: 0.05, max: 1, step: 0.05, value: 0.7, name: 'truncation' }); // psi to w_avg
    controls.append(control('truncation', truncation));
  }
  let source = null;
  if (entry.inputs.source_images) {
    source = document.createElement('select');
    source.name = 'source';
    entry.sources.forEach((_, k) => source.append(new Option(`example ${k}`, String(k))));
    controls.append(control('source', source));
  }
  const button = Object.assign(document.createElement('button'), { textContent: 'generate', name: 'generate' });
  const canvas = Object.assign(document.createElement('canvas'), { className: 'output' });
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const classes = {};
      for (const [name, select] of Object.entries(selects)) classes[name] = Number(select.value);
      await generate(entry, { seed: Number(seed.value), classes,
        truncation: truncation ? Number(truncation.value) : 1, source: source ? Number(source.value) : 0 }, canvas);
    } catch (e) {
      canvas.dataset.error = String(e);
      console.error(e);
    } finally { button.disabled = false; }
  });
  controls.append(button);
  div.append(controls, canvas);
  return div;
}

async function main() {
  const backend = new URLSearchParams(location.search).get('backend');
  if (backend) await tf.setBackend(backend);
  await tf.ready();
  document.getElementById('backend').textContent = 'backend: ' + tf.getBackend();
  zoo.entries = await (await fetch('entries.json')).json();
  const main = document.getElementById('entries');
  for (const entry of zoo.entries) main.append(card(entry));
  const runnable = zoo.entries.filter((e) => e.tfjs).length;
  document.getElementById('status').textContent =
    `${zoo.entries.length} entries, ${runnable} runnable in the browser`;
  document.body.dataset.ready = 'true';
}

main().catch((e) => { document.getElementById('status').textContent = 'failed: ' + e; document.body.dataset.error = String(e); });
