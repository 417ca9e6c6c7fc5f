package dev.graft.backbone;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.graft.GraftException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face tokenizer ({@code tokenizer.json}) that truncates to a maximum length, special
 * tokens included, and pads batches to their longest member.
 */
public final class TextTokenizer implements AutoCloseable {

    /** Longest supported sequence, in tokens, special tokens included. */
    public static final int MAX_SUPPORTED_LENGTH = 512;

    private final HuggingFaceTokenizer tokenizer;
    private final HuggingFaceTokenizer counter;
    private final int maxLength;

    /** Token ids and attention mask of a batch, padded with 0 to {@code length}. */
    public record Batch(long[] ids, long[] mask, int size, int length) {}

    TextTokenizer(byte[] tokenizerJson, int maxLength) throws IOException {
        if (maxLength < 8 || maxLength > MAX_SUPPORTED_LENGTH) {
            throw new GraftException("--max-length " + maxLength + " is out of range; use 8 to " + MAX_SUPPORTED_LENGTH);
        }
        this.maxLength = maxLength;
        this.tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson), Map.of(
                "truncation", "true",
                "padding", "false",
                "maxLength", Integer.toString(maxLength),
                "addSpecialTokens", "true"));
        this.counter = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson), Map.of(
                "truncation", "false",
                "padding", "false",
                "addSpecialTokens", "true"));
    }

    /** @return the truncation length, in tokens */
    public int maxLength() {
        return maxLength;
    }

    /**
     * @param text any text
     * @return its length in tokens before truncation, special tokens included
     */
    public int countTokens(String text) {
        return counter.encode(text).getIds().length;
    }

    /**
     * @param texts the batch
     * @return ids and mask, truncated to {@link #maxLength()} and padded to the longest text
     */
    public Batch encode(List<String> texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        int length = 1;
        for (Encoding e : encodings) {
            length = Math.max(length, e.getIds().length);
        }
        long[] ids = new long[texts.size() * length];
        long[] mask = new long[ids.length];
        for (int i = 0; i < encodings.length; i++) {
            long[] id = encodings[i].getIds();
            long[] m = encodings[i].getAttentionMask();
            System.arraycopy(id, 0, ids, i * length, id.length);
            System.arraycopy(m, 0, mask, i * length, m.length);
        }
        return new Batch(ids, mask, texts.size(), length);
    }

    @Override
    public void close() {
        tokenizer.close();
        counter.close();
    }
}
