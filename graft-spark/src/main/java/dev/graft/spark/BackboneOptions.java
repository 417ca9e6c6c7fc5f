package dev.graft.spark;

import dev.graft.backbone.Backbones;
import dev.graft.train.FeatureExtractor;
import picocli.CommandLine.Option;

/** Which frozen backbone computes the features. */
final class BackboneOptions {

    @Option(names = "--backbone", defaultValue = Backbones.DEFAULT, description = "Backbone id. Default: ${DEFAULT-VALUE}.")
    String backbone;

    @Option(names = "--max-length", defaultValue = "128", description = "Tokens per text (8-512). Default: ${DEFAULT-VALUE}.")
    int maxLength;

    @Option(names = "--batch-size", defaultValue = "" + FeatureExtractor.DEFAULT_BATCH_SIZE, description = "Inputs per forward pass. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--precision", defaultValue = "fp32", description = "fp32, or int8 (BERT text encoders on int8 weights: faster, with quantisation noise). Default: ${DEFAULT-VALUE}.")
    String precision;

    SparkFeatures features(String textColumn) {
        return new SparkFeatures(backbone, maxLength).inputColumn(textColumn).batchSize(batchSize)
                .precision(dev.graft.Precision.parse(precision));
    }
}
