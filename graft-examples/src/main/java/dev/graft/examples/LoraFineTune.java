package dev.graft.examples;

import dev.graft.Classifier;
import dev.graft.Example;
import dev.graft.Graft;
import java.nio.file.Path;
import java.util.List;

/** LoRA: low-rank adapters on the encoder's attention and feed-forward layers, the head, nothing else. */
public final class LoraFineTune {

    public static Path run(List<Example> examples, Path bundle) {
        try (Classifier topics = Graft.textClassifier().strategy("lora").epochs(1).maxLength(64).saveTo(bundle)
                .fit(examples)) {
            System.out.println(topics.info().metrics().get("validation"));
        }
        return bundle;
    }

    public static void main(String[] args) {
        run(SampleData.topics(20), Path.of(args.length > 0 ? args[0] : "topics-lora.graft"));
    }
}
