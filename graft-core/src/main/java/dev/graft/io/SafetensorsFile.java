package dev.graft.io;

import dev.graft.GraftException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The whole content of a safetensors file, as {@link Safetensors#read(Path)} returns it.
 *
 * @param path the file it was read from
 * @param tensors tensor name → tensor, sorted by name; unmodifiable
 * @param metadata the {@code __metadata__} string map, empty if the file has none; unmodifiable
 */
public record SafetensorsFile(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) {

    /**
     * Copies the maps into sorted, unmodifiable ones.
     *
     * @param path the file it was read from
     * @param tensors tensor name → tensor, sorted by name; unmodifiable
     * @param metadata the {@code __metadata__} string map, empty if the file has none; unmodifiable
     */
    public SafetensorsFile {
        if (path == null || tensors == null || metadata == null) {
            throw new GraftException("a safetensors file needs a path, tensors and metadata (possibly empty)");
        }
        tensors = Collections.unmodifiableMap(new TreeMap<>(tensors));
        metadata = Collections.unmodifiableMap(new TreeMap<>(metadata));
    }

    /**
     * Reads one tensor by name.
     *
     * @param name a tensor name, e.g. {@code encoder.layer.0.attention.self.query.weight}
     * @return that tensor
     * @throws GraftException if the file has no tensor of that name
     */
    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            String known = tensors.keySet().stream().limit(10).toList().toString();
            throw new GraftException("no tensor '" + name + "' in " + path + "; it has " + tensors.size()
                    + " tensors, e.g. " + known + "; check the name");
        }
        return t;
    }
}
