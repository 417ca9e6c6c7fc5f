package dev.graft.examples;

import dev.graft.Classifier;
import dev.graft.Graft;
import dev.graft.bundle.BundleClassifier;
import java.nio.file.Path;
import java.util.List;

/** Export a bundle to one ONNX graph (encoder, pooling, head) and classify with ONNX Runtime alone. */
public final class ExportOnnx {

    /**
     * Exports a bundle to ONNX, then scores texts with the export alone.
     *
     * @param bundle a saved bundle (a directory or a {@code .graft} file)
     * @param export the directory to write the ONNX export to
     * @param texts texts to classify
     * @return class probabilities per text, in the model's label order
     */
    public static float[][] run(Path bundle, Path export, List<String> texts) {
        try (BundleClassifier model = BundleClassifier.load(bundle)) {
            model.exportOnnx(export);
        }
        try (Classifier onnx = Graft.load(export)) {
            return onnx.probabilities(texts);
        }
    }

    /**
     * Exports a bundle and prints the probabilities of one weather sentence.
     *
     * @param args the bundle, then the export directory
     */
    public static void main(String[] args) {
        System.out.println(java.util.Arrays.toString(run(Path.of(args[0]), Path.of(args[1]), List.of("Snow tonight."))[0]));
    }
}
