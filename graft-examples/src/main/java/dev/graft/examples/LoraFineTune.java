package dev.graft.examples;

import dev.graft.Classifier;
import dev.graft.Example;
import dev.graft.Graft;
import java.nio.file.Path;
import java.util.List;

/** LoRA: low-rank adapters on the encoder's attention and feed-forward layers, the head, nothing else. */
public final class LoraFineTune {

    /**
     * Fits LoRA adapters and a head for one epoch and saves the bundle.
     *
     * @param examples labelled texts, at least two classes
     * @param bundle where to save the bundle
     * @return {@code bundle}
     */
    public static Path run(List<Example> examples, Path bundle) {
        try (Classifier topics = Graft.textClassifier().strategy("lora").epochs(1).maxLength(64).saveTo(bundle)
                .fit(examples)) {
            System.out.println(topics.info().metrics().get("validation"));
        }
        return bundle;
    }

    /**
     * Fits LoRA on the sample sentences and saves the bundle.
     *
     * @param args optionally the bundle path (default {@code topics-lora.graft})
     */
    public static void main(String[] args) {
        run(SampleData.topics(20), Path.of(args.length > 0 ? args[0] : "topics-lora.graft"));
    }
}
