package dev.graft.serve;

import dev.graft.GraftException;
import dev.graft.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The one directory an image model may read: a request names images by paths relative to it (or
 * absolute paths inside it). A path that leaves it — after normalising and following symbolic
 * links — is refused, and refusals name only what the client sent, never where the root is.
 */
public final class ImageRoot {

    private final Path directory;
    private final String howToSet;

    private ImageRoot(Path directory, String howToSet) {
        this.directory = directory;
        this.howToSet = howToSet;
    }

    /**
     * Admits image files below a directory.
     *
     * @param directory an existing directory
     * @return a root that admits the files below {@code directory}
     * @throws GraftException if it is not a readable directory
     */
    public static ImageRoot at(Path directory) {
        try {
            Path real = directory.toRealPath();
            if (!Files.isDirectory(real)) {
                throw new GraftException("the image root " + directory + " is not a directory");
            }
            return new ImageRoot(real, null);
        } catch (IOException e) {
            throw new GraftException("the image root " + directory + " cannot be read (" + e.getClass().getSimpleName()
                    + "); give an existing directory");
        }
    }

    /**
     * Admits no image files: image models cannot be served.
     *
     * @param howToSet what the operator does to set a root, e.g. "start the server with an image root"
     * @return a root that admits nothing
     */
    public static ImageRoot none(String howToSet) {
        return new ImageRoot(null, howToSet);
    }

    /**
     * Checks that image references lie below the root and resolves them.
     *
     * @param references image references as a client sent them: paths, or {@code FILE#INDEX} into an IDX file
     * @return the same references as absolute paths with symbolic links resolved, in order
     * @throws ApiError 400 for the first reference outside the root, missing, or not a file, or when no root is set
     */
    public List<String> resolve(List<String> references) {
        if (directory == null) {
            throw new ApiError(400, "no_image_root", "this server reads no image files: it has no image root; " + howToSet);
        }
        List<String> resolved = new ArrayList<>(references.size());
        for (String reference : references) {
            resolved.add(resolve(reference));
        }
        return resolved;
    }

    private String resolve(String reference) {
        String file = ImageFiles.fileOf(reference);
        Path asked;
        try {
            asked = directory.resolve(file).normalize();
        } catch (InvalidPathException e) {
            throw refused(reference, "is not a valid path");
        }
        if (!asked.startsWith(directory)) {
            throw outside(reference);
        }
        Path real;
        try {
            real = asked.toRealPath();
        } catch (NoSuchFileException e) {
            throw refused(reference, "does not exist in the image root");
        } catch (IOException e) {
            throw refused(reference, "cannot be read");
        }
        if (!real.startsWith(directory)) {
            throw outside(reference);
        }
        if (!Files.isRegularFile(real)) {
            throw refused(reference, "is not a file");
        }
        return real + reference.substring(file.length());
    }

    /**
     * Rewrites an error message so that it names the client's references, not resolved paths.
     *
     * @param message an error message that may name resolved paths
     * @param resolved what {@link #resolve} returned for {@code references}
     * @param references what the client sent
     * @return the message naming the client's references instead, and no other path inside the root
     */
    public String hide(String message, List<String> resolved, List<String> references) {
        List<Integer> longestFirst = new ArrayList<>();
        for (int i = 0; i < resolved.size(); i++) {
            longestFirst.add(i);
        }
        longestFirst.sort(Comparator.comparingInt((Integer i) -> ImageFiles.fileOf(resolved.get(i)).length()).reversed());
        String out = message;
        for (int i : longestFirst) {
            out = out.replace(ImageFiles.fileOf(resolved.get(i)), ImageFiles.fileOf(references.get(i)));
        }
        return directory == null ? out : out.replace(directory + directory.getFileSystem().getSeparator(), "")
                .replace(directory.toString(), "the image root");
    }

    private static ApiError outside(String reference) {
        return new ApiError(400, "image_outside_root", "image '" + reference
                + "' is outside the image root; name images by paths inside it");
    }

    private static ApiError refused(String reference, String why) {
        return new ApiError(400, "bad_image_path", "image '" + reference + "' " + why);
    }
}
