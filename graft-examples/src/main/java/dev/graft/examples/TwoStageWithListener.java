package dev.graft.examples;

import dev.graft.Classifier;
import dev.graft.Example;
import dev.graft.Graft;
import dev.graft.train.EpochRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Two-stage fine-tuning (the head first, then the whole encoder at a 10× lower learning rate) with
 * a separate validation set, printing every epoch as it ends.
 */
public final class TwoStageWithListener {

    /**
     * Fine-tunes in two stages, printing every epoch, and classifies one sentence.
     *
     * @param train labelled training texts
     * @param validation labelled validation texts, for early stopping and the reported score
     * @return every finished epoch, in order
     */
    public static List<EpochRecord> run(List<Example> train, List<Example> validation) {
        List<EpochRecord> epochs = new ArrayList<>();
        try (Classifier topics = Graft.textClassifier().strategy("two-stage").epochs(1).maxLength(64)
                .onEpoch(e -> System.out.printf("%s epoch %d: validation loss %.4f%n", e.stage(), e.epoch(),
                        e.validationLoss()))
                .onEpoch(epochs::add)
                .fit(train, validation)) {
            System.out.println(topics.predict("A warm bowl of soup and fresh bread."));
        }
        return epochs;
    }

    /**
     * Fine-tunes on the sample sentences, with a separate validation set.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        run(SampleData.topics(20), SampleData.topics(5));
    }
}
