package dev.graft;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.graft.adapt.AdapterSpec;
import dev.graft.adapt.Strategy;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A {@link FitRequest} as JSON: what checkpoints, {@code auto}'s steps and {@code compare}'s workers
 * store, so that a run resumes (or runs elsewhere) from the typed request alone. Paths are written
 * absolute; a strategy is written as its name, with its adapter's settings when it has one.
 */
public final class FitRequestJson {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new SimpleModule("graft-fit-request")
                    .addSerializer(Path.class, new PathSerializer())
                    .addDeserializer(Path.class, new PathDeserializer())
                    .addSerializer(Strategy.class, new StrategySerializer())
                    .addDeserializer(Strategy.class, new StrategyDeserializer()))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private FitRequestJson() {}

    /**
     * Converts a request to a JSON tree, e.g. to store it in a checkpoint.
     *
     * @param request a request
     * @return it as a JSON tree
     */
    public static JsonNode toTree(FitRequest request) {
        return JSON.valueToTree(request);
    }

    /**
     * Writes a request as pretty-printed JSON text.
     *
     * @param request a request
     * @return it as JSON text
     */
    public static String write(FitRequest request) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(request);
        } catch (IOException e) {
            throw new IllegalStateException("a fit request could not be written as JSON", e);
        }
    }

    /**
     * Reads a request back from a JSON tree; unknown fields are ignored.
     *
     * @param json a tree written by {@link #toTree}
     * @return the request
     * @throws GraftException if the tree is not a fit request
     */
    public static FitRequest fromTree(JsonNode json) {
        if (json.has("planOptions")) {
            throw new GraftException("the stored fit request was written by an older Graft (it has planOptions, now part of"
                    + " training); fit again with the same data and options");
        }
        try {
            return JSON.treeToValue(json, FitRequest.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new GraftException("the stored fit request cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads a request back from JSON text.
     *
     * @param json text written by {@link #write}
     * @return the request
     * @throws GraftException if the text is not JSON or not a fit request
     */
    public static FitRequest read(String json) {
        try {
            return fromTree(JSON.readTree(json));
        } catch (IOException e) {
            throw new GraftException("the stored fit request is not JSON (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads the request an interrupted fine-tune was started with from its checkpoint directory.
     *
     * @param checkpointDir the checkpoint directory of an interrupted fine-tune
     * @return the request it was made with; fitting it again resumes from the checkpoint
     * @throws GraftException if the checkpoint holds no readable fit request
     */
    public static FitRequest fromCheckpoint(Path checkpointDir) {
        JsonNode stored = dev.graft.train.ResumeRequest.of(checkpointDir);
        if (stored.isMissingNode() || stored.isNull()) {
            throw new GraftException(checkpointDir + " holds a checkpoint without its fit request (a fit from data in memory,"
                    + " or an older Graft); fit again with the same data, options and checkpoint directory to resume");
        }
        FitRequest request = fromTree(stored);
        return request.withRun(checkpointDir, request.log());
    }

    private static final class PathSerializer extends JsonSerializer<Path> {
        @Override
        public void serialize(Path value, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeString(value.toAbsolutePath().normalize().toString());
        }
    }

    private static final class PathDeserializer extends JsonDeserializer<Path> {
        @Override
        public Path deserialize(JsonParser in, DeserializationContext context) throws IOException {
            return Path.of(in.getValueAsString());
        }
    }

    private static final class StrategySerializer extends JsonSerializer<Strategy> {
        @Override
        public void serialize(Strategy value, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeStartObject();
            out.writeStringField("name", value.name());
            if (value instanceof Strategy.Adapter adapter) {
                out.writeObjectField("adapter", adapter.spec());
            }
            out.writeEndObject();
        }
    }

    private static final class StrategyDeserializer extends JsonDeserializer<Strategy> {
        @Override
        public Strategy deserialize(JsonParser in, DeserializationContext context) throws IOException {
            JsonNode node = in.readValueAsTree();
            if (node.hasNonNull("adapter")) {
                return new Strategy.Adapter(in.getCodec().treeToValue(node.get("adapter"), AdapterSpec.class));
            }
            return Strategy.parse(node.path("name").asText());
        }
    }
}
