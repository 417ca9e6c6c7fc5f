package dev.graft.backbone.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.graft.GraftException;
import dev.graft.Parameter;
import dev.graft.backbone.InputBatch;
import dev.graft.backbone.InputEncoder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face tokenizer ({@code tokenizer.json}) that truncates to a maximum length, special
 * tokens included, and pads batches to their longest member.
 */
public final class TextTokenizer implements InputEncoder, AutoCloseable {

    /** Longest supported sequence, in tokens, special tokens included. */
    public static final int MAX_SUPPORTED_LENGTH = 512;

    private final HuggingFaceTokenizer tokenizer;
    private final HuggingFaceTokenizer counter;
    private final int maxLength;
    private final String unknownToken;
    private final boolean tokenizesWordsApart;

    /**
     * How a text splits: subword tokens (special tokens excluded), the words they came from, and
     * how many tokens are the unknown token.
     */
    public record Pieces(int tokens, int words, int unknown) {}

    /** Token ids and attention mask of a batch, padded with 0 to {@code length}. */
    public record Batch(long[] ids, long[] mask, int size, int length) implements InputBatch {

        @Override
        public NDArray input(NDManager manager) {
            return manager.create(ids, new Shape(size, length));
        }

        @Override
        public NDArray mask(NDManager manager) {
            return manager.create(mask, new Shape(size, length));
        }
    }

    @Override
    public int length(String input) {
        if (tokenizesWordsApart) {
            String head = head(input, maxLength * CHARS_PER_TOKEN);
            if (head != input && counter.encode(head).getIds().length >= maxLength) {
                return maxLength;
            }
        }
        return Math.min(maxLength, countTokens(input));
    }

    TextTokenizer(byte[] tokenizerJson, int maxLength) throws IOException {
        if (maxLength < 8 || maxLength > MAX_SUPPORTED_LENGTH) {
            throw new GraftException(Parameter.MAX_LENGTH, maxLength, "is out of range; use 8 to " + MAX_SUPPORTED_LENGTH);
        }
        this.maxLength = maxLength;
        com.fasterxml.jackson.databind.JsonNode spec = new com.fasterxml.jackson.databind.ObjectMapper().readTree(tokenizerJson);
        this.unknownToken = spec.path("model").path("unk_token").asText("[UNK]");
        this.tokenizesWordsApart = tokenizesWordsApart(spec);
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

    /** Characters first tokenized per token of {@link #maxLength()}: enough to fill it for most texts. */
    private static final int CHARS_PER_TOKEN = 8;

    /**
     * Whether a text cut at a space, tab or line break tokenizes into the first tokens of the whole
     * text: WordPiece after BERT's normaliser (which works character by character) and a pre-tokenizer
     * that splits words at whitespace, with no added token that contains whitespace.
     */
    private static boolean tokenizesWordsApart(com.fasterxml.jackson.databind.JsonNode spec) {
        String normalizer = spec.path("normalizer").path("type").asText("");
        String preTokenizer = spec.path("pre_tokenizer").path("type").asText("");
        boolean addedTokensWithSpace = false;
        for (com.fasterxml.jackson.databind.JsonNode t : spec.path("added_tokens")) {
            addedTokensWithSpace |= t.path("content").asText("").chars().anyMatch(TextTokenizer::isCut);
        }
        return spec.path("model").path("type").asText("").equals("WordPiece")
                && (normalizer.isEmpty() || normalizer.equals("BertNormalizer"))
                && (preTokenizer.equals("BertPreTokenizer") || preTokenizer.equals("Whitespace")
                        || preTokenizer.equals("WhitespaceSplit"))
                && !addedTokensWithSpace;
    }

    private static boolean isCut(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /**
     * {@return the text itself when it is at most {@code chars} long or has no cut after them; else
     *     its beginning up to the first space, tab or line break from {@code chars} on}
     */
    private static String head(String text, int chars) {
        for (int i = chars; i < text.length(); i++) {
            if (isCut(text.charAt(i))) {
                return text.substring(0, i);
            }
        }
        return text;
    }

    /**
     * Builds a tokenizer from a Hugging Face {@code tokenizer.json}.
     *
     * @param tokenizerJson a Hugging Face tokenizer.json
     * @param maxLength truncation length in tokens, 8 to 512
     * @return the tokenizer; close it when done
     * @throws IOException if the tokenizer JSON cannot be parsed
     */
    public static TextTokenizer of(byte[] tokenizerJson, int maxLength) throws IOException {
        return new TextTokenizer(tokenizerJson, maxLength);
    }

    /** {@return the truncation length, in tokens} */
    public int maxLength() {
        return maxLength;
    }

    /**
     * Counts the tokens of a text.
     *
     * @param text any text
     * @return its length in tokens before truncation, special tokens included
     */
    public int countTokens(String text) {
        return counter.encode(text).getIds().length;
    }

    /**
     * Counts the tokens of many texts.
     *
     * @param texts any texts
     * @return {@link #countTokens(String)} of each, counted in batches on all cores
     */
    public int[] countTokens(List<String> texts) {
        int[] counts = new int[texts.size()];
        for (int from = 0; from < counts.length; from += COUNT_BATCH) {
            Encoding[] encodings = counter.batchEncode(texts.subList(from, Math.min(counts.length, from + COUNT_BATCH)));
            for (int i = 0; i < encodings.length; i++) {
                counts[from + i] = encodings[i].getIds().length;
            }
        }
        return counts;
    }

    /** Texts counted per call: the encodings of a batch are held at once. */
    private static final int COUNT_BATCH = 256;

    /**
     * Splits a text into tokens and words, for the advisor's vocabulary measures.
     *
     * @param text any text
     * @return its tokens, words and unknown tokens, without truncation
     */
    public Pieces pieces(String text) {
        Encoding e = counter.encode(text);
        long[] special = e.getSpecialTokenMask();
        long[] words = e.getWordIds();
        String[] tokens = e.getTokens();
        int count = 0;
        int unknown = 0;
        java.util.Set<Long> distinct = new java.util.HashSet<>();
        for (int i = 0; i < tokens.length; i++) {
            if (special[i] != 0) {
                continue;
            }
            count++;
            unknown += tokens[i].equals(unknownToken) ? 1 : 0;
            distinct.add(words[i]);
        }
        return new Pieces(count, distinct.size(), unknown);
    }

    /**
     * Tokenizes a batch for the encoder.
     *
     * @param texts the batch
     * @return ids and mask, truncated to {@link #maxLength()} and padded to the longest text
     */
    @Override
    public Batch encode(List<String> texts) {
        Encoding[] encodings = encodings(texts);
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

    /**
     * Truncated encodings, each computed from the shortest head of its text (cut at whitespace)
     * that still fills {@link #maxLength()}: tokenizing a long email whole, to keep its first
     * 128 tokens, cost most of the time of short sequences.
     */
    private Encoding[] encodings(List<String> texts) {
        if (!tokenizesWordsApart) {
            return tokenizer.batchEncode(texts);
        }
        int chars = maxLength * CHARS_PER_TOKEN;
        String[] heads = new String[texts.size()];
        for (int i = 0; i < heads.length; i++) {
            heads[i] = head(texts.get(i), chars);
        }
        Encoding[] encodings = tokenizer.batchEncode(heads);
        for (int i = 0; i < heads.length; i++) {
            // a head whose tokens did not fill maxLength was too short: take a longer one
            for (int c = chars * 4; heads[i] != texts.get(i) && encodings[i].getIds().length < maxLength; c *= 4) {
                heads[i] = head(texts.get(i), c);
                encodings[i] = tokenizer.encode(heads[i]);
            }
        }
        return encodings;
    }

    @Override
    public void close() {
        tokenizer.close();
        counter.close();
    }
}
