package dev.graft;

import dev.graft.backbone.vision.ImageBackbones;
import dev.graft.data.DataSplit;
import dev.graft.data.DatasetValidator;
import dev.graft.data.LabelEncoder;
import dev.graft.data.StratifiedSplitter;
import dev.graft.data.TextDataset;
import dev.graft.data.TextExample;
import dev.graft.data.TextLoader;
import dev.graft.image.ImageCheck;
import dev.graft.image.ImageFiles;
import dev.graft.io.Hashes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Labelled data loaded, checked, split and label-encoded once, so that a fit, the advisor, a
 * comparison and every step of {@code auto} share it instead of reading the files again.
 *
 * @param all the training rows before the split (what the profile describes)
 * @param split train, validation and test parts
 * @param labels the label encoding, fitted on the training part
 * @param validationGiven whether the validation part was given rather than split off
 * @param source what the data is, for messages: the training file, or {@code in-memory}
 * @param provenance where the data came from, for the bundle: file names and SHA-256 hashes
 */
public record FitData(TextDataset all, DataSplit split, LabelEncoder labels, boolean validationGiven, String source,
        Map<String, Object> provenance) {

    /**
     * Copies the provenance.
     *
     * @param all the training rows before the split (what the profile describes)
     * @param split train, validation and test parts
     * @param labels the label encoding, fitted on the training part
     * @param validationGiven whether the validation part was given rather than split off
     * @param source what the data is, for messages: the training file, or {@code in-memory}
     * @param provenance where the data came from, for the bundle: file names and SHA-256 hashes; not null
     */
    public FitData {
        provenance = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    /**
     * Reads the request's files; for an image backbone every image is decoded once and unreadable
     * ones are skipped (reported) or refused in strict mode.
     *
     * @param request data files, load options, split fractions and seed
     * @param listener hears what was skipped
     * @return the data, split
     */
    public static FitData load(FitRequest request, FitListener listener) {
        TextDataset all = read(request.data(), request, listener);
        TextDataset validation = request.validationData() == null ? null : read(request.validationData(), request, listener);
        TextDataset test = request.testData() == null ? null : read(request.testData(), request, listener);
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("data_file", request.data().getFileName().toString());
        provenance.put("data_sha256", sha256(request.data()));
        if (request.validationData() != null) {
            provenance.put("validation_sha256", sha256(request.validationData()));
        }
        if (request.testData() != null) {
            provenance.put("test_sha256", sha256(request.testData()));
        }
        return of(request, all, validation, test, request.data().toString(), provenance);
    }

    /**
     * Data held in memory.
     *
     * @param request split fractions and seed (its file paths are not read)
     * @param train labelled training examples
     * @param validation labelled validation examples, or null to split them off {@code train}
     * @param test labelled test examples, or null to split them off {@code train} by the request's test fraction
     * @return the data, split
     */
    public static FitData inMemory(FitRequest request, List<TextExample> train, List<TextExample> validation,
            List<TextExample> test) {
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("data_file", "in-memory");
        provenance.put("data_sha256", sha256(train));
        if (validation != null) {
            provenance.put("validation_sha256", sha256(validation));
        }
        if (test != null) {
            provenance.put("test_sha256", sha256(test));
        }
        TextDataset all = readable(TextDataset.of(train), request);
        DatasetValidator.check(all, request.loadOptions().labelColumn());
        return of(request, all, validation == null ? null : readable(TextDataset.of(validation), request),
                test == null ? null : readable(TextDataset.of(test), request), "in-memory", provenance);
    }

    private static FitData of(FitRequest request, TextDataset all, TextDataset validation, TextDataset test,
            String source, Map<String, Object> provenance) {
        long seed = request.training().seed();
        DataSplit split;
        if (validation == null && test == null) {
            split = StratifiedSplitter.split(all, request.validationFraction(), request.testFraction(), seed);
        } else if (validation != null) {
            split = new DataSplit(all, validation, test == null ? TextDataset.empty() : test);
        } else {
            DataSplit trainValidation = StratifiedSplitter.trainValidation(all, request.validationFraction(), seed);
            split = new DataSplit(trainValidation.train(), trainValidation.validation(), test);
        }
        return new FitData(all, split, LabelEncoder.fit(split.train().labels()), validation != null, source, provenance);
    }

    /** {@return the training part's labels, encoded} */
    public int[] trainY() {
        return labels.encodeAll(split.train());
    }

    /** {@return the validation part's labels, encoded} */
    public int[] validationY() {
        return labels.encodeAll(split.validation());
    }

    /** {@return the test part's labels, encoded (empty without a test part)} */
    public int[] testY() {
        return split.test().size() == 0 ? new int[0] : labels.encodeAll(split.test());
    }

    /** {@return one line naming the data and the size of each part} */
    public String summary() {
        return String.format("data: %s · train %,d · validation %,d · test %,d%s", source,
                split.train().size(), split.validation().size(), split.test().size(),
                all.blankSkipped() > 0 ? " · " + all.blankSkipped() + " blank texts skipped" : "");
    }

    private static TextDataset readable(TextDataset rows, FitRequest request) {
        if (!ImageBackbones.isImage(request.backbone())) {
            return rows;
        }
        ImageBackbones.checkId(request.backbone());
        return ImageCheck.readable(rows, ImageFiles.SHARED, true, line -> {});
    }

    private static TextDataset read(Path file, FitRequest request, FitListener listener) {
        boolean images = ImageBackbones.isImage(request.backbone());
        if (images) {
            ImageBackbones.checkId(request.backbone());
        }
        TextDataset rows = TextLoader.load(file, request.loadOptions());
        if (images) {
            rows = ImageCheck.readable(rows, ImageFiles.SHARED, request.loadOptions().strict(), listener::info);
        }
        if (file.equals(request.data())) {
            DatasetValidator.check(rows, request.loadOptions().labelColumn());
        }
        return rows;
    }

    private static String sha256(List<TextExample> examples) {
        StringBuilder rows = new StringBuilder();
        for (TextExample e : examples) {
            rows.append(e.text()).append('\0').append(e.label()).append('\n');
        }
        return Hashes.sha256Hex(rows.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** {@return the file's SHA-256, or for a directory (an image dataset) that of its sorted file paths and their hashes} */
    static String sha256(Path file) {
        try {
            if (Files.isDirectory(file)) {
                StringBuilder listing = new StringBuilder();
                try (java.util.stream.Stream<Path> files = Files.walk(file)) {
                    for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                        listing.append(file.relativize(f)).append('\0').append(Hashes.sha256Hex(f)).append('\n');
                    }
                }
                return Hashes.sha256Hex(listing.toString().getBytes(StandardCharsets.UTF_8));
            }
            return Hashes.sha256Hex(file);
        } catch (IOException e) {
            throw new GraftException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
