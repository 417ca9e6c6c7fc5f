package dev.graft.examples;

import dev.graft.Classifier;
import dev.graft.Example;
import dev.graft.Graft;
import dev.graft.Prediction;
import java.util.List;

/** Feature extraction from an in-memory list: MiniLM frozen, a head chosen by cross-validation. */
public final class FeatureExtraction {

    /**
     * Fits a classifier on frozen MiniLM features and classifies one text.
     *
     * @param examples labelled texts, at least two classes
     * @param text the text to classify
     * @return its most likely label with its probability
     */
    public static Prediction run(List<Example> examples, String text) {
        try (Classifier topics = Graft.textClassifier().strategy("feature-extraction").fit(examples)) {
            return topics.predict(text);
        }
    }

    /**
     * Fits on the sample weather and food sentences and prints one prediction.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.println(run(SampleData.topics(20), "Heavy snow is expected tonight."));
    }
}
