// node run_tfjs.mjs JOBS.json OUTPUTS.json: runs TF.js graph models (model.json + shards, as
// tensorflowjs_converter writes them) on the CPU backend of @tensorflow/tfjs. JOBS.json is
// [{model: DIR, inputs: {name: {shape, dtype, data}}}]; OUTPUTS.json gets, per job, the outputs
// by their signature names ({images: {shape, data}}). Used by tfgan_zoo/formats/runtimes.py.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

function fileHandler(dir) {
  // tf.io's file:// loader lives in tfjs-node, which we do not install (runtimes.py says why)
  return {
    load: async () => {
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
      const specs = [], buffers = [];
      for (const group of json.weightsManifest) {
        specs.push(...group.weights);
        for (const p of group.paths) buffers.push(fs.readFileSync(path.join(dir, p)));
      }
      const all = Buffer.concat(buffers);
      return tf.io.getModelArtifactsForJSONSync(json, specs,
        all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength));
    },
  };
}

async function run(modelDir, inputs) {
  const model = await tf.loadGraphModel(fileHandler(modelDir));
  const feed = {};
  for (const [name, v] of Object.entries(inputs)) {
    feed[name] = tf.tensor(v.data, v.shape, v.dtype.startsWith('int') ? 'int32' : 'float32');
  }
  let out = await model.executeAsync(feed);
  const names = model.outputs.map((o) => o.name);
  if (out instanceof tf.Tensor) out = [out];
  // the outputs by their signature names ("images"), not their graph node names
  const signature = JSON.parse(fs.readFileSync(path.join(modelDir, 'model.json'), 'utf8')).signature;
  const keyOf = {};
  for (const [key, o] of Object.entries(signature?.outputs ?? {})) keyOf[o.name.split(':')[0]] = key;
  const result = {};
  out.forEach((t, i) => {
    result[keyOf[names[i].split(':')[0]] ?? names[i]] = { shape: t.shape, data: Array.from(t.dataSync()) };
  });
  tf.dispose([...out, ...Object.values(feed)]);
  model.dispose();
  return result;
}

const [jobsPath, outputsPath] = process.argv.slice(2);
await tf.setBackend('cpu');
const results = [];
for (const job of JSON.parse(fs.readFileSync(jobsPath, 'utf8'))) {
  results.push(await run(job.model, job.inputs));
}
fs.writeFileSync(outputsPath, JSON.stringify(results));
