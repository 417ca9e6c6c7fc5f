package dev.graft.serve;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The model being served, replaceable at any moment. A batch borrows the current model for its
 * whole forward pass, so a swap never changes the model under a request already being scored; the
 * old model is freed when its last batch returns it.
 */
public final class ModelSlot implements AutoCloseable {

    private final AtomicReference<ServedModel> current = new AtomicReference<>();

    /**
     * Holds a first model, or none while it is being trained.
     *
     * @param initial the first model, or null while it is being trained
     */
    public ModelSlot(ServedModel initial) {
        current.set(initial);
    }

    /** {@return the model now served, or null before the first one is ready (do not score with it: {@link #borrow})} */
    public ServedModel current() {
        return current.get();
    }

    /** {@return the current model with a reference held for the caller, or null when none is ready yet} */
    ServedModel borrow() {
        while (true) {
            ServedModel model = current.get();
            if (model == null || model.retain()) {
                return model;
            }
        }
    }

    /**
     * Serves {@code next} from now on; the previous model is freed once no batch uses it.
     *
     * @param next the new model, holding one reference that the slot takes over
     * @return the model it replaced, or null
     */
    public ServedModel swap(ServedModel next) {
        ServedModel previous = current.getAndSet(next);
        if (previous != null) {
            previous.release();
        }
        return previous;
    }

    @Override
    public void close() {
        swap(null);
    }
}
