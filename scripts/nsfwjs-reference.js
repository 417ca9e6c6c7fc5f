// Features of an nsfwjs@4.4.0 network computed by TensorFlow.js (CPU backend) for three small
// synthetic RGB images: nsfwjs' preprocessing (/255, bilinear resize with aligned corners to S×S),
// the output of the feature layer, averaged over height and width. MobileNetV2: layer out_relu
// (1280 values) at S = 224 and 96; InceptionV3: layer mixed10 (2048 values) at S = 299 and 96.
// Run through scripts/mobilenetv2-reference.sh; arguments: the fixture file to write, then
// optionally the network (mobilenet_v2 or inception_v3).
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

const NETWORKS = {
  mobilenet_v2: { layer: 'out_relu', sizes: [224, 96], shards: 1 },
  inception_v3: { layer: 'mixed10', sizes: [299, 96], shards: 6 },
};
const WIDTH = 40;
const HEIGHT = 30;

function image(kind) {
  const pixels = [];
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      let rgb;
      if (kind === 0) {
        rgb = [Math.round(255 * x / (WIDTH - 1)), Math.round(255 * y / (HEIGHT - 1)), 128];
      } else if (kind === 1) {
        const on = ((x >> 2) + (y >> 2)) % 2 === 0;
        rgb = on ? [230, 40, 30] : [20, 60, 200];
      } else {
        rgb = [(x * 37 + y * 11) % 256, (x * x + 3 * y * y) % 256, (200 - 5 * x + 7 * y + 256 * 4) % 256];
      }
      pixels.push(...rgb);
    }
  }
  return { width: WIDTH, height: HEIGHT, pixels };
}

async function main() {
  const out = process.argv[2];
  const network = process.argv[3] || 'mobilenet_v2';
  const { layer, sizes: SIZES, shards } = NETWORKS[network];
  const dir = path.join(__dirname, 'node_modules', 'nsfwjs', 'dist', 'models', network);
  const model = require(path.join(dir, 'model.min.js'));
  const parts = [];
  for (let k = 1; k <= shards; k++) {
    parts.push(Buffer.from(require(path.join(dir, 'group1-shard' + k + 'of' + shards + '.min.js')), 'base64'));
  }
  const shard = Buffer.concat(parts);
  const topology = JSON.parse(JSON.stringify(model.modelTopology));
  const config = topology.model_config.config;
  const last = config.layers.findIndex((l) => l.name === layer);
  config.layers = config.layers.slice(0, last + 1);
  config.layers[0].config.batch_input_shape = [null, null, null, 3];
  config.output_layers = [[layer, 0, 0]];
  const weightData = shard.buffer.slice(shard.byteOffset, shard.byteOffset + shard.byteLength);
  const handler = tf.io.fromMemory({ modelTopology: topology, weightSpecs: model.weightsManifest[0].weights, weightData });
  const net = await tf.loadLayersModel(handler, { strict: false });
  const images = [0, 1, 2].map(image);
  const features = {};
  for (const size of SIZES) {
    features[size] = images.map((im) => tf.tidy(() => {
      const pixels = tf.tensor3d(im.pixels, [im.height, im.width, 3], 'int32');
      const normalized = pixels.toFloat().div(tf.scalar(255));
      const resized = tf.image.resizeBilinear(normalized, [size, size], true);
      const h = net.predict(resized.expandDims(0));
      return Array.from(h.mean([1, 2]).dataSync()).map((v) => Number(v.toPrecision(7)));
    }));
  }
  const fixture = {
    source: 'nsfwjs@4.4.0 dist/models/' + network + ' in @tensorflow/tfjs@4.22.0 (' + tf.getBackend() + ' backend)',
    layer: layer + ', mean over height and width',
    preprocessing: 'v / 255, resizeBilinear(alignCorners = true)',
    sizes: SIZES,
    images,
    features,
  };
  fs.writeFileSync(out, JSON.stringify(fixture) + '\n');
  console.log('wrote ' + out + ' (' + fs.statSync(out).size + ' bytes)');
}

main().catch((e) => { console.error(e); process.exit(1); });
