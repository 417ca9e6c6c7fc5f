package dev.graft.bench.kernels;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.graft.backbone.text.MiniLm;
import dev.graft.backbone.text.TextTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Tokenizing a batch of 32 texts to MiniLM's 128 tokens: Graft's tokenizer (which tokenizes the
 * head of a long text that fills 128 tokens) against DJL's Hugging Face tokenizer with truncation
 * (which tokenizes the whole text, then truncates), on texts of 500 to 50,000 characters.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class TokenizerKernel {

    private static final String[] WORDS = ("the of and to a in is that for it as with was on be by this are from at or an "
            + "have not which but all were when we there can been has more if will would their what so about out up into "
            + "them some could other time these two may then do first any my now such like our over man me even most made "
            + "after also did many before must through back years where much your way well down should because each just "
            + "unsubscribe FREE!!! click http://example.com/offer?id=42 $1,000,000 naïve résumé spamassassin Re: [SAdev]").split(" ");

    @Param({"500", "5000", "50000"})
    public int chars;

    private List<String> texts;
    private TextTokenizer graft;
    private HuggingFaceTokenizer whole;

    @Setup
    public void setUp() throws IOException {
        Random random = new Random(1);
        texts = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            StringBuilder b = new StringBuilder();
            while (b.length() < chars) {
                b.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(12) == 0 ? "\n" : " ");
            }
            texts.add(b.toString());
        }
        graft = TextTokenizer.of(MiniLm.tokenizerJson(), 128);
        whole = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(MiniLm.tokenizerJson()),
                Map.of("truncation", "true", "padding", "true", "maxLength", "128"));
    }

    @Benchmark
    public int graftHeads() {
        return graft.encode(texts).length();
    }

    @Benchmark
    public int wholeTexts() {
        Encoding[] encodings = whole.batchEncode(texts);
        return encodings[0].getIds().length;
    }

    @TearDown
    public void tearDown() {
        graft.close();
        whole.close();
    }
}
