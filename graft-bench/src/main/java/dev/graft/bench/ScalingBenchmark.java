package dev.graft.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.backbone.text.BertBackbone;
import dev.graft.backbone.text.MiniLm;
import dev.graft.train.FeatureCache;
import dev.graft.train.FeatureExtractor;
import dev.graft.train.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How time grows with the work: frozen feature extraction against the number of texts and against
 * the sequence length, and one {@code partial:2} fine-tuning epoch (boundary cache on, batch 16)
 * against the number of texts. SpamAssassin texts; beyond its 6,046 emails texts repeat with a
 * suffix, so no two are the same.
 *
 * <p>Usage: {@code ScalingBenchmark JSONL [sizes=1000,2000,4000,8000] [lengths=32,64,128,256,512]
 * [epochSizes=1000,2000,4000,8000]}; the last line is {@code RESULT {json}}.
 */
public final class ScalingBenchmark {

    private ScalingBenchmark() {}

    public static void main(String[] args) throws Exception {
        List<String[]> rows = rows(Path.of(args[0]));
        int[] sizes = ints(args.length > 1 ? args[1] : "1000,2000,4000,8000");
        int[] lengths = ints(args.length > 2 ? args[2] : "32,64,128,256,512");
        int[] epochSizes = ints(args.length > 3 ? args[3] : "1000,2000,4000,8000");
        StringBuilder json = new StringBuilder("{\"suite\":\"scaling\",\"features_by_size\":[");
        try (BertBackbone backbone = MiniLm.load(128)) {
            backbone.extractFeatures(texts(rows, 32));
            for (int i = 0; i < sizes.length; i++) {
                double s = features(backbone, texts(rows, sizes[i]));
                System.out.printf(Locale.ROOT, "features, %d texts at 128 tokens: %.1f s (%.1f texts/s)%n", sizes[i], s, sizes[i] / s);
                json.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "{\"texts\":%d,\"seconds\":%.2f}", sizes[i], s));
            }
        }
        json.append("],\"features_by_length\":[");
        List<String> longest = longest(rows, 256);
        for (int i = 0; i < lengths.length; i++) {
            try (BertBackbone backbone = MiniLm.load(lengths[i])) {
                backbone.extractFeatures(longest.subList(0, 32));
                double s = features(backbone, longest);
                System.out.printf(Locale.ROOT, "features, 256 texts at %d tokens: %.1f s (%.1f texts/s)%n", lengths[i], s, 256 / s);
                json.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "{\"length\":%d,\"texts\":256,\"seconds\":%.2f}",
                        lengths[i], s));
            }
        }
        json.append("],\"epoch_by_size\":[");
        for (int i = 0; i < epochSizes.length; i++) {
            double s = epoch(rows, epochSizes[i]);
            System.out.printf(Locale.ROOT, "partial:2 epoch, %d texts: %.1f s (%.1f texts/s)%n", epochSizes[i], s, epochSizes[i] / s);
            json.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "{\"texts\":%d,\"seconds\":%.2f}", epochSizes[i], s));
        }
        System.out.println("RESULT " + json + "]}");
    }

    private static double features(BertBackbone backbone, List<String> texts) {
        long t0 = System.nanoTime();
        try (FeatureCache cache = FeatureCache.inMemory(backbone)) {
            new FeatureExtractor(backbone, cache, FeatureExtractor.DEFAULT_BATCH_SIZE).extract(texts, Progress.NONE);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** @return the training time of one epoch (validation excluded: 32 texts, timed apart) */
    private static double epoch(List<String[]> rows, int n) {
        List<String> texts = texts(rows, n);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rows.get(i % rows.size())[1].equals("spam") ? 1 : 0;
        }
        return StepBenchmark.stepSeconds("partial:2", true, texts, labels, texts.subList(0, 32), Arrays.copyOf(labels, 32), 1);
    }

    /** @return text and label of each line of a JSONL file, in file order */
    static List<String[]> rows(Path jsonl) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl)) {
            if (!line.isBlank()) {
                JsonNode node = json.readTree(line);
                rows.add(new String[] {node.get("text").asText(), node.get("label").asText()});
            }
        }
        return rows;
    }

    private static List<String> texts(List<String[]> rows, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String text = rows.get(i % rows.size())[0];
            out.add(i < rows.size() ? text : "(" + (i / rows.size()) + ") " + text);
        }
        return out;
    }

    private static List<String> longest(List<String[]> rows, int n) {
        return rows.stream().map(r -> r[0]).sorted((a, b) -> Integer.compare(b.length(), a.length())).limit(n).toList();
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
