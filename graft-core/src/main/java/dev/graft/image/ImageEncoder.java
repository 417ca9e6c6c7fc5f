package dev.graft.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.graft.backbone.InputBatch;
import dev.graft.backbone.InputEncoder;
import java.util.List;
import java.util.Random;

/**
 * Image references (see {@link ImageReader}) to pixel batches (B, 3, size, size). Evaluation
 * batches are deterministic; training batches draw a new augmented view at every use.
 */
public final class ImageEncoder implements InputEncoder {

    private final ImagePipeline pipeline;
    private final ImageReader reader;
    private final Augmentation augmentation;

    /**
     * Makes an encoder that turns image references into network input.
     *
     * @param pipeline resize and normalisation
     * @param reader resolves references to decoded images
     * @param augmentation applied to training batches only
     */
    public ImageEncoder(ImagePipeline pipeline, ImageReader reader, Augmentation augmentation) {
        this.pipeline = pipeline;
        this.reader = reader;
        this.augmentation = augmentation;
    }

    /** {@return the deterministic preprocessing} */
    public ImagePipeline pipeline() {
        return pipeline;
    }

    /** {@return the training-time augmentation} */
    public Augmentation augmentation() {
        return augmentation;
    }

    /**
     * {@return a copy that augments training batches as given}
     *
     * @param augmentation the random changes applied to training images
     */
    public ImageEncoder withAugmentation(Augmentation augmentation) {
        return new ImageEncoder(pipeline, reader, augmentation);
    }

    @Override
    public int length(String input) {
        return 1;
    }

    @Override
    public InputBatch encode(List<String> inputs) {
        return new Batch(List.copyOf(inputs), null);
    }

    @Override
    public InputBatch encodeForTraining(List<String> inputs, long seed) {
        return new Batch(List.copyOf(inputs), augmentation.enabled() ? new Random(seed) : null);
    }

    @Override
    public boolean augments() {
        return augmentation.enabled();
    }

    /**
     * Decodes, resizes and normalises a batch of images.
     *
     * @param inputs image references
     * @return pixels, {@code inputs.size() × 3 × size × size}, channel-major per image
     */
    public float[] pixels(List<String> inputs) {
        return pixels(inputs, null);
    }

    private float[] pixels(List<String> inputs, Random random) {
        int per = 3 * pipeline.size() * pipeline.size();
        float[] out = new float[inputs.size() * per];
        for (int i = 0; i < inputs.size(); i++) {
            String reference = inputs.get(i);
            int view = reference.indexOf(VIEW);
            if (view >= 0) {
                DecodedImage image = reader.read(reference.substring(0, view));
                String number = reference.substring(view + VIEW.length());
                int bar = number.indexOf('|');
                Random seeded = new Random(reference.hashCode() * 31L + Long.parseLong(bar < 0 ? number : number.substring(0, bar)));
                pipeline.toTensor(augmentation.apply(image, seeded), out, i * per);
                continue;
            }
            DecodedImage image = reader.read(reference);
            if (random != null) {
                image = augmentation.apply(image, random);
            }
            pipeline.toTensor(image, out, i * per);
        }
        return out;
    }

    /**
     * Makes the feature-cache key of an image reference.
     *
     * @param reference an image reference, or a view of one
     * @return the reference with its file's size and modification time, so that a changed file
     *     gets a new key in the feature cache
     */
    public String cacheKey(String reference) {
        int view = reference.indexOf(VIEW);
        String file = ImageFiles.fileOf(view < 0 ? reference : reference.substring(0, view));
        try {
            java.nio.file.attribute.BasicFileAttributes a = java.nio.file.Files.readAttributes(java.nio.file.Path.of(file),
                    java.nio.file.attribute.BasicFileAttributes.class);
            return reference + "|" + a.size() + "|" + a.lastModifiedTime().toMillis();
        } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
            return reference;
        }
    }

    /** Separates an image reference from the number of an augmented view of it (no file path holds a NUL). */
    static final String VIEW = "\u0000view=";

    /**
     * Makes references to augmented views of training images, for caching their features.
     *
     * @param references training images
     * @param views augmented views per image
     * @return references to the views, view 1 of every image first, then view 2, …: each stands for
     *     a fixed augmented version of its image (the augmentation seeded by reference and view),
     *     so its frozen features can be cached like any input
     */
    public List<String> views(List<String> references, int views) {
        List<String> out = new java.util.ArrayList<>(references.size() * views);
        for (int v = 1; v <= views; v++) {
            for (String r : references) {
                out.add(r + VIEW + v + "|" + augmentation.key());
            }
        }
        return out;
    }

    /**
     * {@return the labels repeated {@code views} times, in the order of {@link #views} (originals first, if counted)}
     *
     * @param labels the class index of each image
     * @param views how many times each image appears
     */
    public static int[] repeatLabels(int[] labels, int views) {
        int[] out = new int[labels.length * views];
        for (int v = 0; v < views; v++) {
            System.arraycopy(labels, 0, out, v * labels.length, labels.length);
        }
        return out;
    }

    private final class Batch implements InputBatch {

        private final List<String> inputs;
        private final Random random;

        Batch(List<String> inputs, Random random) {
            this.inputs = inputs;
            this.random = random;
        }

        @Override
        public int size() {
            return inputs.size();
        }

        @Override
        public NDArray input(NDManager manager) {
            int s = pipeline.size();
            return manager.create(pixels(inputs, random), new Shape(inputs.size(), 3, s, s));
        }

        @Override
        public NDArray mask(NDManager manager) {
            return null;
        }
    }
}
