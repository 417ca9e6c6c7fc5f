package dev.graft.backbone;

import dev.graft.GraftException;
import dev.graft.backbone.text.HfDirectory;
import dev.graft.backbone.text.MiniLm;
import dev.graft.backbone.vision.ImageBackbones;
import java.util.List;

/** The registry of backbones Graft can load. */
public final class Backbones {

    /** The default text backbone. */
    public static final String DEFAULT = "minilm";

    private Backbones() {}

    /** {@return ids of the backbones available} */
    public static List<String> ids() {
        List<String> ids = new java.util.ArrayList<>(List.of(MiniLm.ID));
        ids.addAll(ModelStore.ids());
        ids.add("hf:DIR");
        ids.addAll(ImageBackbones.IDS);
        return ids;
    }

    /**
     * Checks an id without loading anything, e.g. on a driver before executors load it.
     *
     * @param id a backbone id, see {@link #ids()}
     * @throws GraftException when no backbone has that id
     */
    public static void checkId(String id) {
        if (ImageBackbones.isImage(id)) {
            ImageBackbones.checkId(id);
        } else if (!MiniLm.ID.equals(id) && !id.startsWith("hf:") && !ModelStore.knows(id)) {
            throw new GraftException("unknown backbone '" + id + "'; available: " + String.join(", ", ids()));
        }
    }

    /**
     * Loads a backbone by id, computing frozen features in a chosen precision.
     *
     * @param id a backbone id, see {@link #ids()}
     * @param maxLength truncation length in tokens (text backbones)
     * @param precision the arithmetic of its frozen features
     * @return the loaded backbone; close it when done
     * @throws dev.graft.GraftException if the backbone cannot compute features in that precision
     */
    public static Backbone load(String id, int maxLength, dev.graft.Precision precision) {
        Backbone backbone = load(id, maxLength);
        try {
            backbone.usePrecision(precision);
            return backbone;
        } catch (RuntimeException e) {
            backbone.close();
            throw e;
        }
    }

    /**
     * Loads a backbone by id, from the local model store or a directory the id names.
     *
     * @param id a backbone id, see {@link #ids()}
     * @param maxLength truncation length in tokens (text backbones)
     * @return the loaded backbone; close it when done
     */
    public static Backbone load(String id, int maxLength) {
        Engines.configureOffline();
        if (MiniLm.ID.equals(id)) {
            return MiniLm.load(maxLength);
        }
        if (ImageBackbones.isImage(id)) {
            return ImageBackbones.load(id);
        }
        if (id.startsWith("hf:")) {
            java.nio.file.Path dir = hfDirectory(id);
            String pooling = hfPooling(id);
            return HfDirectory.load("hf:" + dir + (pooling == null ? "" : "#" + pooling), dir, pooling, maxLength);
        }
        if (ModelStore.knows(id)) {
            if (!ModelStore.isFetched(id)) {
                throw new GraftException("backbone '" + id + "' is not fetched yet; run: graft models fetch " + id);
            }
            return HfDirectory.load(id, ModelStore.dir(id), null, maxLength);
        }
        throw new GraftException("unknown backbone '" + id + "'; available: " + String.join(", ", ids()));
    }

    /** {@return the directory of an {@code hf:DIR} or {@code hf:DIR#POOLING} id, absolute} */
    static java.nio.file.Path hfDirectory(String id) {
        String spec = id.substring(3);
        int hash = spec.lastIndexOf('#');
        return java.nio.file.Path.of(hash > 0 ? spec.substring(0, hash) : spec).toAbsolutePath().normalize();
    }

    /** {@return the pooling after {@code #} of an {@code hf:} id, or null} */
    static String hfPooling(String id) {
        int hash = id.lastIndexOf('#');
        return hash > 3 ? id.substring(hash + 1) : null;
    }
}
