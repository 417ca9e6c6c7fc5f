package dev.graft.backbone.text;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tokenizing the head of a long text gives exactly the truncated tokens of the whole text. */
class TextTokenizerTest {

    /** Words of every kind the BERT normaliser and pre-tokenizer treat specially. */
    private static final String[] WORDS = {
        "the", "Hello", "FREE!!!", "e-mail", "naïve", "cafe\u0301", "ΟΔΟΣ", "日本語", "x1234567", "http://a.b/c?d=e",
        "\u00a0", "\u001c", "\u200b", "\ufffd", "😀", "[UNK]", "[SEP]", "a\u0000b", "don't", "supercalifragilistic"
    };

    @Test
    void headsTokenizeLikeWholeTexts() throws Exception {
        Random random = new Random(7);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            texts.add(text(random, random.nextInt(4) == 0 ? random.nextInt(60) : 100 + random.nextInt(3000)));
        }
        texts.add("y".repeat(5000));                              // no whitespace at all
        texts.add("z".repeat(1500) + " " + "word ".repeat(400));  // one word longer than the first head
        texts.add("a".repeat(150) + " b".repeat(2000));          // a first word WordPiece turns into [UNK]
        texts.add("\t\n\r ".repeat(800) + "end");               // whitespace where the head would be cut
        for (int maxLength : new int[] {8, 32, 128, 512}) {
            try (TextTokenizer tokenizer = new TextTokenizer(MiniLm.tokenizerJson(), maxLength);
                    HuggingFaceTokenizer whole = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(MiniLm.tokenizerJson()),
                            Map.of("truncation", "true", "padding", "false", "maxLength", Integer.toString(maxLength),
                                    "addSpecialTokens", "true"))) {
                for (int from = 0; from < texts.size(); from += 16) {
                    List<String> batch = texts.subList(from, Math.min(texts.size(), from + 16));
                    TextTokenizer.Batch encoded = tokenizer.encode(batch);
                    for (int i = 0; i < batch.size(); i++) {
                        Encoding expected = whole.encode(batch.get(i));
                        long[] ids = java.util.Arrays.copyOfRange(encoded.ids(), i * encoded.length(),
                                i * encoded.length() + expected.getIds().length);
                        assertThat(ids).as("max length %d, text %d", maxLength, from + i).containsExactly(expected.getIds());
                        assertThat(tokenizer.length(batch.get(i))).isEqualTo(expected.getIds().length);
                        int padding = encoded.length() - expected.getIds().length;
                        long tail = java.util.stream.LongStream.of(encoded.mask())
                                .skip((long) i * encoded.length() + expected.getIds().length).limit(padding).sum();
                        assertThat(tail).as("mask beyond the tokens").isZero();
                    }
                }
            }
        }
    }

    private static String text(Random random, int words) {
        StringBuilder b = new StringBuilder();
        for (int w = 0; w < words; w++) {
            b.append(WORDS[random.nextInt(WORDS.length)]);
            int gap = random.nextInt(10);
            b.append(gap < 6 ? " " : gap == 6 ? "\n" : gap == 7 ? "\t" : gap == 8 ? "  \r\n" : ",");
        }
        return b.toString();
    }
}
