package dev.graft.examples;

import dev.graft.Classifier;
import dev.graft.Graft;
import dev.graft.Prediction;
import java.nio.file.Path;
import java.util.List;

/** Load a saved bundle (or an ONNX export) and classify: the best label, or the top k. */
public final class LoadAndPredict {

    /**
     * Loads a saved model, prints what it is and ranks the labels of each text.
     *
     * @param model a bundle or an ONNX export directory
     * @param texts texts to classify
     * @return the two most likely labels of each text, best first
     */
    public static List<List<Prediction>> run(Path model, List<String> texts) {
        try (Classifier classifier = Graft.load(model)) {
            System.out.println(classifier.info());
            return classifier.top(texts, 2);
        }
    }

    /**
     * Loads a model and prints the top two labels of each text given.
     *
     * @param args the model, then the texts
     */
    public static void main(String[] args) {
        run(Path.of(args[0]), List.of(args).subList(1, args.length)).forEach(System.out::println);
    }
}
