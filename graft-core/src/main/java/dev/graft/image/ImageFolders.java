package dev.graft.image;

import dev.graft.GraftException;
import dev.graft.data.TextDataset;
import dev.graft.data.TextExample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads a class-per-folder image dataset, {@code root/<label>/<image>}: one example per image
 * file, the label its folder's name, the reference its absolute path. Files are listed in name
 * order; other files are ignored, and their number is reported.
 */
public final class ImageFolders {

    /** File name endings read as images. */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private ImageFolders() {}

    /**
     * Reads an image dataset laid out as one folder per label.
     *
     * @param root the dataset directory
     * @return the examples, by label folder then file name
     * @throws GraftException if the directory has no label folders or no images
     */
    public static TextDataset load(Path root) {
        Path dir = root.toAbsolutePath().normalize();
        List<TextExample> examples = new ArrayList<>();
        int ignored = 0;
        List<Path> labels;
        try (Stream<Path> children = Files.list(dir)) {
            labels = children.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new GraftException(dir + ": cannot list the image folder: " + e.getMessage());
        }
        if (labels.isEmpty()) {
            throw new GraftException(dir + " is a directory without label folders; give a data file (.csv, .tsv, .jsonl, .json)"
                    + " or lay images out as " + dir + "/<label>/<image>.png");
        }
        for (Path label : labels) {
            try (Stream<Path> files = Files.list(label)) {
                for (Path file : files.sorted().toList()) {
                    if (Files.isRegularFile(file) && isImage(file)) {
                        examples.add(new TextExample(file.toString(), label.getFileName().toString()));
                    } else {
                        ignored++;
                    }
                }
            } catch (IOException e) {
                throw new GraftException(label + ": cannot list the folder: " + e.getMessage());
            }
        }
        if (examples.isEmpty()) {
            throw new GraftException(dir + ": the label folders hold no images (" + String.join(", ", EXTENSIONS)
                    + ")" + (ignored > 0 ? "; " + ignored + " other files ignored" : ""));
        }
        return TextDataset.of(examples);
    }

    /**
     * {@return whether the file name ends in an image extension}
     *
     * @param file a file; only its name is looked at
     */
    public static boolean isImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1));
    }
}
