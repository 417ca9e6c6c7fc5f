package dev.graft.bench;

import dev.graft.FitListener;
import dev.graft.FitRequest;
import dev.graft.Graft;
import dev.graft.adapt.Strategy;
import dev.graft.bundle.Bundle;
import dev.graft.io.Directories;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Fits every strategy again and again in one JVM, text and image, for a given time, and checks
 * that each bundle loads: native memory errors (freed gradients, leaked tensors) show up as a
 * crash or a failed fit after many fits, not after one.
 *
 * <p>Usage: {@code Soak MINUTES WORKDIR}. Prints one line per round and a summary:
 * fits per strategy, errors, rounds, wall time.
 */
public final class Soak {

    private record Job(String backbone, String strategy, boolean images) {}

    private static final List<Job> JOBS = List.of(
            new Job("minilm", "feature-extraction", false), new Job("minilm", "partial:1", false),
            new Job("minilm", "two-stage", false), new Job("minilm", "full", false), new Job("minilm", "gradual", false),
            new Job("minilm", "lora", false), new Job("minilm", "prefix", false),
            new Job("smallcnn:16", "feature-extraction", true), new Job("smallcnn:16", "full", true),
            new Job("smallcnn:16", "two-stage", true));

    public static void main(String[] args) throws IOException {
        double minutes = Double.parseDouble(args[0]);
        Path work = Path.of(args[1]);
        Files.createDirectories(work);
        Path texts = topics(work.resolve("topics.csv"), 24, 11);
        Path images = stripes(work.resolve("stripes"), 24, 12);
        Map<String, Integer> fits = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        long start = System.nanoTime();
        long deadline = start + (long) (minutes * 60e9);
        int round = 0;
        while (System.nanoTime() < deadline) {
            round++;
            for (Job job : JOBS) {
                Path out = work.resolve("round.graft");
                FitRequest request = FitRequest.of(job.images() ? images : texts, out)
                        .withBackbone(job.backbone(), Strategy.parse(job.strategy()), 32)
                        .withTraining(dev.graft.adapt.TrainingOptions.defaults().withEpochs(1));
                try {
                    Graft.fit(request, FitListener.NONE);
                    Bundle.load(out);
                    fits.merge(job.backbone() + " " + job.strategy(), 1, Integer::sum);
                } catch (RuntimeException e) {
                    errors.add(String.format(Locale.ROOT, "round %d, %s %s: %s", round, job.backbone(), job.strategy(), e));
                } finally {
                    Directories.deleteRecursively(out);
                }
            }
            System.out.printf(Locale.ROOT, "soak: round %d done, %d fits, %d errors, %.1f min%n", round,
                    fits.values().stream().mapToInt(Integer::intValue).sum(), errors.size(), (System.nanoTime() - start) / 60e9);
        }
        System.out.printf(Locale.ROOT, "soak: %d rounds, %d fits in one JVM, %d errors, %.2f h%n", round,
                fits.values().stream().mapToInt(Integer::intValue).sum(), errors.size(), (System.nanoTime() - start) / 3600e9);
        fits.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-34s %d%n", k, v));
        errors.forEach(e -> System.out.println("  error: " + e));
        System.exit(errors.isEmpty() ? 0 : 1);
    }

    private static Path topics(Path file, int perClass, long seed) throws IOException {
        Random r = new Random(seed);
        String[] weather = {"rain", "sunshine", "snow", "a storm", "fog", "wind"};
        String[] food = {"pasta", "soup", "bread", "a curry", "salad", "rice"};
        List<String> lines = new ArrayList<>(List.of("text,label"));
        for (int i = 0; i < perClass; i++) {
            lines.add("\"The forecast says " + weather[r.nextInt(weather.length)] + " tonight (note " + i + ").\",weather");
            lines.add("\"I am cooking " + food[r.nextInt(food.length)] + " with garlic (note " + i + ").\",food");
        }
        Files.write(file, lines);
        return file;
    }

    private static Path stripes(Path root, int perClass, long seed) throws IOException {
        Random random = new Random(seed);
        for (String label : new String[] {"horizontal", "vertical"}) {
            Files.createDirectories(root.resolve(label));
            for (int i = 0; i < perClass; i++) {
                BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
                int period = 3 + random.nextInt(3);
                for (int y = 0; y < 16; y++) {
                    for (int x = 0; x < 16; x++) {
                        int along = label.equals("horizontal") ? y : x;
                        int v = along % period < period / 2 + 1 ? 200 : 40;
                        image.setRGB(x, y, v << 16 | v << 8 | v);
                    }
                }
                ImageIO.write(image, "png", root.resolve(label).resolve(i + ".png").toFile());
            }
        }
        return root;
    }
}
