package dev.graft;

import dev.graft.backbone.TrainableBackbone;
import dev.graft.backbone.vision.ImageBackbones;
import dev.graft.train.EpochRecord;
import dev.graft.train.FeatureCache;
import dev.graft.train.FeatureExtractor;
import dev.graft.train.FeatureScaler;
import dev.graft.train.FineTuner;
import dev.graft.train.Progress;

/**
 * Fine-tuning: the plan's stages train the head and the backbone groups (or adapters) they unfreeze;
 * afterwards the held-out parts are run through the tuned backbone.
 */
final class FineTuneTrainer implements Trainer {

    @Override
    public Trained train(Input in) {
        if (!(in.backbone() instanceof TrainableBackbone trainable)) {
            throw new GraftException("backbone " + in.backbone().id() + " cannot be fine-tuned; use feature-extraction");
        }
        long t0 = System.nanoTime();
        FitData data = in.data();
        FitRequest request = in.request();
        Features f = in.features();
        int[] validationY = data.validationY();
        FeatureScaler scaler = ImageBackbones.learnsFromScratch(trainable) ? FeatureScaler.identity(trainable.featureSize())
                : FeatureScaler.fit(f.train());
        FineTuner tuner = new FineTuner(trainable, in.plan(), request.head(), scaler, data.labels().size(),
                request.training().seed(), request.checkpointDirOrDefault(),
                request.data() == null ? null : FitRequestJson.toTree(request))
                .classWeights(in.classWeights());
        FineTuner.Result result = tuner.run(new FineTuner.Examples(data.split().train().texts(), data.trainY()),
                new FineTuner.Examples(data.split().validation().texts(), validationY), f.train(), f.validation(),
                listener(in));
        in.listener().info(String.format("%s: best epoch %d of %d, validation loss %.4f, %d backbone and adapter tensors tuned (%.1f s)",
                in.plan().strategy(), result.bestEpoch(), result.history().size(), result.bestValidationLoss(),
                result.tunedBackbone().size(), (System.nanoTime() - t0) / 1e9));
        float[][] validationX = f.validation();
        float[][] testX = f.test();
        if (!result.tunedBackbone().isEmpty()) {
            try (FeatureCache memory = FeatureCache.inMemory(trainable)) {
                FeatureExtractor tuned = new FeatureExtractor(trainable, memory, request.batchSize());
                validationX = tuned.extract(data.split().validation().texts(), in.listener().progress());
                testX = tuned.extract(data.split().test().texts(), in.listener().progress());
            }
        }
        return new Trained(result.head(), result.tunedBackbone(), result.bestEpoch(), result.history(), null, null,
                validationX, validationY, testX);
    }

    private static FineTuner.Listener listener(Input in) {
        return new FineTuner.Listener() {
            @Override
            public void info(String line) {
                in.listener().info(line);
            }

            @Override
            public Progress progress() {
                return in.listener().progress();
            }

            @Override
            public void epoch(EpochRecord epoch) {
                in.onEpoch().accept(epoch);
            }
        };
    }
}
