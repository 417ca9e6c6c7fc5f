package dev.graft.bundle;

import dev.graft.data.LabelEncoder;
import dev.graft.data.TextDataset;
import dev.graft.train.ClassificationMetrics;
import dev.graft.train.Progress;
import java.nio.file.Path;
import java.util.List;

/**
 * An ONNX export scored beside the bundle it came from, on the same labelled rows: what a reduced
 * precision costs before it is deployed.
 *
 * @param rows labelled rows scored
 * @param bundleAccuracy the bundle's accuracy on them
 * @param exportAccuracy the export's accuracy on them
 * @param sameLabel share of rows on which both predict the same label
 * @param maxProbabilityDifference the largest difference of any class probability
 */
public record ExportCheck(int rows, double bundleAccuracy, double exportAccuracy, double sameLabel,
        double maxProbabilityDifference) {

    /**
     * Scores a bundle and its export on the same rows.
     *
     * @param bundle the bundle the export was written from
     * @param export the export directory
     * @param data labelled rows with the bundle's labels
     * @throws dev.graft.GraftException if a row's label is not one the bundle knows
     * @param progress hears the bundle's feature extraction
     * @return both accuracies, their agreement and the largest probability difference
     */
    public static ExportCheck of(BundleClassifier bundle, Path export, TextDataset data, Progress progress) {
        int[] truth = LabelEncoder.of(bundle.labels()).encodeAll(data);
        float[][] reference = bundle.probabilities(data.texts(), progress);
        float[][] exported;
        try (OnnxClassifier onnx = OnnxClassifier.load(export)) {
            exported = onnx.probabilities(data.texts());
        }
        int[] referenceLabels = ClassificationMetrics.argmax(reference);
        int[] exportedLabels = ClassificationMetrics.argmax(exported);
        int same = 0;
        double max = 0;
        for (int i = 0; i < truth.length; i++) {
            same += referenceLabels[i] == exportedLabels[i] ? 1 : 0;
            for (int k = 0; k < reference[i].length; k++) {
                max = Math.max(max, Math.abs(reference[i][k] - exported[i][k]));
            }
        }
        List<String> labels = bundle.labels();
        return new ExportCheck(truth.length, ClassificationMetrics.compute(truth, referenceLabels, labels).accuracy(),
                ClassificationMetrics.compute(truth, exportedLabels, labels).accuracy(), (double) same / Math.max(1, truth.length),
                max);
    }
}
