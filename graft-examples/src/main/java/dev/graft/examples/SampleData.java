package dev.graft.examples;

import dev.graft.Example;
import java.util.ArrayList;
import java.util.List;

/** Tiny labelled texts for the examples: weather forecasts against meals. */
public final class SampleData {

    private SampleData() {}

    /**
     * Makes labelled sentences of two classes, {@code weather} and {@code food}.
     *
     * @param perClass examples of each class
     * @return weather and food sentences, alternating
     */
    public static List<Example> topics(int perClass) {
        String[] weather = {"rain", "snow", "fog", "a storm", "sunshine"};
        String[] food = {"pasta", "soup", "a curry", "salad", "bread"};
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < perClass; i++) {
            out.add(Example.text("Expect " + weather[i % 5] + " on day " + i + ", the forecast says.", "weather"));
            out.add(Example.text("We had " + food[(i * 3) % 5] + " for dinner on day " + i + ".", "food"));
        }
        return out;
    }
}
