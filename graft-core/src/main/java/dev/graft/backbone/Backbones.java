package dev.graft.backbone;

import dev.graft.GraftException;
import java.util.List;

/** The registry of backbones Graft can load. */
public final class Backbones {

    /** The default text backbone. */
    public static final String DEFAULT = "minilm";

    private Backbones() {}

    /** @return ids of the backbones available */
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
            String spec = id.substring(3);
            String pooling = null;
            int hash = spec.lastIndexOf('#');
            if (hash > 0) {
                pooling = spec.substring(hash + 1);
                spec = spec.substring(0, hash);
            }
            java.nio.file.Path dir = java.nio.file.Path.of(spec).toAbsolutePath().normalize();
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
}
