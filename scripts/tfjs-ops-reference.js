// A small Keras-style network that uses every layer type Graft's TF.js import supports, with
// random weights, saved as a TF.js layers model (model.json + weights.bin), and the output of its
// last layer for two random inputs, computed by TensorFlow.js (CPU backend). Run through
// scripts/tfjs-ops-reference.sh; argument: the fixture directory to write.
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

function random(n, seed) {
  let s = seed;
  const out = [];
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out.push(s / 2147483648);
  }
  return out;
}

async function main() {
  const dir = process.argv[2];
  const input = tf.input({ shape: [12, 12, 3], name: 'pixels' });
  let x = tf.layers.rescaling({ scale: 2, offset: -1, name: 'rescale' }).apply(input);
  x = tf.layers.zeroPadding2d({ padding: [[1, 0], [0, 1]], name: 'pad' }).apply(x);
  x = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'stem' }).apply(x);
  x = tf.layers.batchNormalization({ name: 'stem_bn' }).apply(x);
  x = tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'relu6', name: 'dw' }).apply(x);
  x = tf.layers.separableConv2d({ filters: 12, kernelSize: 3, padding: 'valid', activation: 'elu', name: 'sep' }).apply(x);
  const gate = tf.layers.conv2d({ filters: 12, kernelSize: 1, activation: 'sigmoid', name: 'gate_conv' }).apply(x);
  const pooled = tf.layers.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same', name: 'max' }).apply(x);
  x = tf.layers.add({ name: 'sum' }).apply([gate, pooled]);
  let se = tf.layers.globalAveragePooling2d({ name: 'se_pool' }).apply(x);
  se = tf.layers.dense({ units: 12, activation: 'hardSigmoid', name: 'se_dense' }).apply(se);
  se = tf.layers.reshape({ targetShape: [1, 1, 12], name: 'se_shape' }).apply(se);
  x = tf.layers.multiply({ name: 'excite' }).apply([x, se]);
  const avg = tf.layers.averagePooling2d({ poolSize: 3, strides: 1, padding: 'same', name: 'avg' }).apply(x);
  x = tf.layers.concatenate({ name: 'concat' }).apply([x, avg]);
  x = tf.layers.leakyReLU({ alpha: 0.1, name: 'leaky' }).apply(x);
  x = tf.layers.activation({ activation: 'swish', name: 'swish' }).apply(x);
  x = tf.layers.averagePooling2d({ poolSize: 2, name: 'down' }).apply(x);
  x = tf.layers.dropout({ rate: 0.5, name: 'drop' }).apply(x);
  x = tf.layers.flatten({ name: 'flat' }).apply(x);
  const output = tf.layers.dense({ units: 5, activation: 'tanh', name: 'out' }).apply(x);
  const model = tf.model({ inputs: input, outputs: output });
  let seed = 7;
  model.setWeights(model.getWeights().map((w) => {
    const values = random(w.size, seed++).map((v) => (w.name.includes('variance') ? 0.5 + v : v - 0.5));
    return tf.tensor(values, w.shape);
  }));
  const batch = tf.tensor(random(2 * 12 * 12 * 3, 99), [2, 12, 12, 3]);
  const reference = Array.from(model.predict(batch).dataSync()).map((v) => Number(v.toPrecision(8)));
  fs.mkdirSync(dir, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }] }));
    fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(artifacts.weightData));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  fs.writeFileSync(path.join(dir, 'reference.json'), JSON.stringify({ input: Array.from(batch.dataSync()), shape: [2, 12, 12, 3],
    output: reference, source: '@tensorflow/tfjs@4.22.0 (' + tf.getBackend() + ' backend)' }) + '\n');
  console.log('wrote ' + dir);
}

main().catch((e) => { console.error(e); process.exit(1); });
