package dev.graft.examples;

import dev.graft.Classifier;
import dev.graft.Graft;
import dev.graft.Prediction;
import java.nio.file.Path;

/** An image classifier from a folder with one subfolder of images per class. */
public final class ImageFolder {

    /**
     * Fits an image classifier on a folder's images and classifies one image.
     *
     * @param folder a folder with one subfolder of images per class
     * @param backbone an image backbone id, e.g. {@code mobilenetv2}
     * @param image the image to classify
     * @return its most likely label with its probability
     */
    public static Prediction run(Path folder, String backbone, Path image) {
        try (Classifier images = Graft.imageClassifier().backbone(backbone).strategy("feature-extraction").fit(folder)) {
            return images.predict(image.toString());
        }
    }

    /**
     * Fits on a folder and prints the prediction for one image.
     *
     * @param args the folder, the image, and optionally a backbone id (default {@code mobilenetv2})
     */
    public static void main(String[] args) {
        Path folder = Path.of(args[0]);
        System.out.println(run(folder, args.length > 2 ? args[2] : "mobilenetv2", Path.of(args[1])));
    }
}
