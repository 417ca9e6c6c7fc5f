package dev.graft.examples;

import dev.graft.Classifier;
import dev.graft.Graft;
import dev.graft.Prediction;
import java.nio.file.Path;

/** An image classifier from a folder with one subfolder of images per class. */
public final class ImageFolder {

    public static Prediction run(Path folder, String backbone, Path image) {
        try (Classifier images = Graft.imageClassifier().backbone(backbone).strategy("feature-extraction").fit(folder)) {
            return images.predict(image.toString());
        }
    }

    public static void main(String[] args) {
        Path folder = Path.of(args[0]);
        System.out.println(run(folder, args.length > 2 ? args[2] : "mobilenetv2", Path.of(args[1])));
    }
}
