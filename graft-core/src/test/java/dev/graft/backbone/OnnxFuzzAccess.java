package dev.graft.backbone;

/** Lets the fuzz tests reach the package-private ONNX initializer reader. */
public final class OnnxFuzzAccess {

    private OnnxFuzzAccess() {}

    /** @param model ONNX bytes */
    public static void read(byte[] model) {
        OnnxInitializers.read(model, "fuzz input");
    }
}
