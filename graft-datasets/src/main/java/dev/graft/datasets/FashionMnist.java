package dev.graft.datasets;

import dev.graft.GraftException;
import dev.graft.image.IdxFile;
import dev.graft.io.Directories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.Consumer;

/**
 * Fashion-MNIST (Zalando; 60,000 training and 10,000 test greyscale 28×28 images of 10 kinds of
 * clothing), from Debian's package {@value #PACKAGE}: fetched with {@code apt-get download} (no
 * installation, no root), checked, unpacked with {@code dpkg-deb} (see {@link DebianPackage}), and
 * listed as {@code train.jsonl} and {@code test.jsonl} of IDX image references.
 */
final class FashionMnist implements DatasetSource {

    static final String NAME = "fashion-mnist";
    static final String PACKAGE = "dataset-fashion-mnist";
    static final String VERSION = "0.0~git20200523.55506a9-1";
    static final String DEB_SHA256 = "39e172fe32dd318ebb3e512220c3beea2fa47d7e20bab348fb4e0922d6beefc0";
    static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot");
    private static final String INSIDE = "usr/share/datasets/fashion-mnist/";
    private static final List<String> FILES = List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "train.jsonl", "test.jsonl");

    @Override
    public String name() {
        return NAME;
    }

    static Path dir(Path cacheRoot) {
        return cacheRoot.resolve("datasets").resolve(NAME);
    }

    @Override
    public DatasetInfo info(Path cacheRoot) {
        return new DatasetInfo(NAME, "70,000 greyscale 28×28 clothing images in 10 classes (60,000 train in train.jsonl,"
                + " 10,000 test in test.jsonl); JSONL of image (IDX reference), label", "MIT",
                "Debian " + PACKAGE + " " + VERSION, isFetched(cacheRoot), dir(cacheRoot).resolve("train.jsonl"));
    }

    static boolean isFetched(Path cacheRoot) {
        return ImageListing.isComplete(dir(cacheRoot), PACKAGE + "=" + VERSION, DEB_SHA256, FILES);
    }

    @Override
    public Path fetch(Path cacheRoot, Consumer<String> log) {
        Path dir = dir(cacheRoot);
        if (isFetched(cacheRoot)) {
            log.accept(NAME + ": already fetched: " + dir.resolve("train.jsonl"));
            return dir.resolve("train.jsonl");
        }
        Path work = null;
        try {
            Path downloads = cacheRoot.resolve("downloads");
            Files.createDirectories(downloads);
            work = Files.createTempDirectory(downloads, NAME + "-");
            log.accept(NAME + ": running apt-get download " + PACKAGE + "=" + VERSION);
            Path deb = DebianPackage.downloadVerified(DebianPackage.defaultAptGet(), PACKAGE, VERSION, DEB_SHA256, work);
            log.accept(NAME + ": package SHA-256 verified (" + Files.size(deb) / (1024 * 1024) + " MiB)");
            Path unpacked = DebianPackage.extract(deb, work.resolve("unpacked"), work);
            Files.createDirectories(dir);
            for (String f : FILES.subList(0, 4)) {
                Files.move(unpacked.resolve(INSIDE + f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
            listing(dir, "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "train.jsonl");
            listing(dir, "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "test.jsonl");
            ImageListing.markComplete(dir, PACKAGE + "=" + VERSION, DEB_SHA256);
            log.accept(NAME + ": wrote " + dir.resolve("train.jsonl") + " (60,000 images) and "
                    + dir.resolve("test.jsonl") + " (10,000)");
            return dir.resolve("train.jsonl");
        } catch (IOException e) {
            throw new GraftException(NAME + ": cannot write the dataset under " + dir + ": " + e.getMessage()
                    + "; check free space and permissions, or set GRAFT_CACHE", e);
        } finally {
            if (work != null) {
                try {
                    Directories.deleteRecursively(work);
                } catch (IOException e) {
                    log.accept(NAME + ": could not delete the work directory " + work + ": " + e.getMessage());
                }
            }
        }
    }

    private static void listing(Path dir, String images, String labels, String jsonl) throws IOException {
        IdxFile imageFile = IdxFile.read(dir.resolve(images));
        IdxFile labelFile = IdxFile.read(dir.resolve(labels));
        if (imageFile.count() != labelFile.count()) {
            throw new GraftException(dir.resolve(images) + " holds " + imageFile.count() + " images but "
                    + labels + " " + labelFile.count() + " labels; fetch again");
        }
        ImageListing.write(dir.resolve(jsonl), dir.resolve(images).toAbsolutePath(), labelFile.data(), CLASSES);
    }
}
