package dev.graft;

import dev.graft.backbone.Backbone;
import dev.graft.backbone.vision.ImageBackbone;
import dev.graft.bundle.BundleManifest;
import dev.graft.train.ClassificationMetrics;
import dev.graft.train.TrainedHead;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The manifest a fit writes into its bundle: what trained, how, on what data, with which result. */
final class FitManifest {

    private FitManifest() {}

    /**
     * @param in what the trainer read
     * @param trained what it produced
     * @param validation validation metrics
     * @param test test metrics, or null
     * @param parameters trainable and total parameter counts
     * @param trainSeconds wall time of training
     * @return the manifest
     */
    static BundleManifest of(Trainer.Input in, Trainer.Trained trained, ClassificationMetrics validation,
            ClassificationMetrics test, BundleManifest.Parameters parameters, double trainSeconds) {
        Backbone backbone = in.backbone();
        TrainedHead head = trained.head();
        return new BundleManifest(BundleManifest.FORMAT, BundleManifest.VERSION,
                backbone instanceof ImageBackbone ? "image-classification" : "text-classification",
                new BundleManifest.BackboneRef(backbone.id(), backbone.weightsSha256(), backbone.preprocessingKey(),
                        in.request().maxLength()),
                in.data().labels().labels(),
                new BundleManifest.HeadRef(head.spec().hidden(), head.spec().dropout(), backbone.featureSize(),
                        head.temperature() == 1 ? null : head.temperature()),
                in.plan(), parameters, null, training(in, trained, trainSeconds), metrics(trained, validation, test),
                provenance(in, trained));
    }

    private static Map<String, Object> training(Trainer.Input in, Trainer.Trained trained, double trainSeconds) {
        FitRequest request = in.request();
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("epochs_run", trained.history().size());
        training.put("best_epoch", trained.bestEpoch());
        if (trained.selection() != null) {
            training.put("head_selection", trained.selection().toJsonMap());
            training.put("batch_size", request.training().frozenHeadBatchSize());
            training.put("learning_rate", request.training().learningRate());
        }
        training.put("optimizer", "adamw");
        if (in.classWeights() != null) {
            Map<String, Double> weights = new LinkedHashMap<>();
            for (int c = 0; c < in.classWeights().length; c++) {
                weights.put(in.data().labels().labels().get(c), (double) in.classWeights()[c]);
            }
            training.put("class_weights", weights);
        }
        training.put("history", trained.history());
        training.put("seconds", Math.round(trainSeconds * 1000) / 1000.0);
        return training;
    }

    private static Map<String, Object> metrics(Trainer.Trained trained, ClassificationMetrics validation,
            ClassificationMetrics test) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("validation", validation.toJsonMap());
        if (trained.crossValidated() != null) {
            metrics.put("validation_source", trained.validationY().length == 0
                    ? "out-of-fold predictions on the rows the head trained on" : "the validation file");
            metrics.put("cross_validation", trained.crossValidated().toJsonMap());
        }
        if (test != null) {
            metrics.put("test", test.toJsonMap());
        }
        return metrics;
    }

    private static Map<String, Object> provenance(Trainer.Input in, Trainer.Trained trained) {
        FitRequest request = in.request();
        FitData data = in.data();
        Map<String, Object> provenance = new LinkedHashMap<>(data.provenance());
        provenance.put("rows", Map.of("train", in.features().train().length, "validation", trained.validationX().length,
                "test", trained.testX().length));
        if (trained.selection() != null && !data.validationGiven()) {
            provenance.put("head_rows", "train and validation splits pooled (" + in.features().train().length + " + "
                    + data.split().validation().size() + "), head chosen by cross-validation");
        }
        provenance.put("split", data.validationGiven() ? "files"
                : "stratified " + request.validationFraction() + "/" + request.testFraction());
        provenance.put("text_column", request.loadOptions().textColumn());
        provenance.put("label_column", request.loadOptions().labelColumn());
        provenance.put("seed", request.training().seed());
        provenance.put("graft_version", Graft.VERSION);
        provenance.put("djl_version", ai.djl.engine.Engine.getDjlVersion());
        provenance.put("java_version", System.getProperty("java.version"));
        provenance.put("created_at", Instant.now().toString());
        return provenance;
    }
}
