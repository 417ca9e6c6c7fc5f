package dev.graft.backbone.text;

/**
 * Shape of a BERT-family encoder.
 *
 * @param vocabSize tokens in the vocabulary
 * @param hidden width of every hidden state
 * @param layers number of transformer blocks
 * @param heads attention heads per block
 * @param intermediate width of the feed-forward layer
 * @param maxPositions longest sequence the position table covers
 * @param typeVocabSize token-type (segment) ids
 * @param layerNormEps epsilon of every LayerNorm
 */
public record BertConfig(int vocabSize, int hidden, int layers, int heads, int intermediate, int maxPositions,
        int typeVocabSize, float layerNormEps) {

    /**
     * Checks that the hidden width is a multiple of the number of heads.
     *
     * @param vocabSize tokens in the vocabulary
     * @param hidden width of every hidden state
     * @param layers number of transformer blocks
     * @param heads attention heads per block
     * @param intermediate width of the feed-forward layer
     * @param maxPositions longest sequence the position table covers
     * @param typeVocabSize token-type (segment) ids
     * @param layerNormEps epsilon of every LayerNorm
     */
    public BertConfig {
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("hidden " + hidden + " is not a multiple of heads " + heads);
        }
    }

    /** {@return all-MiniLM-L6-v2's shape: 6 layers, hidden 384, 12 heads, FFN 1536, vocabulary 30,522} */
    public static BertConfig miniLmL6() {
        return new BertConfig(30522, 384, 6, 12, 1536, 512, 2, 1e-12f);
    }

    /** {@return the width of each attention head: {@code hidden / heads}} */
    public int headSize() {
        return hidden / heads;
    }
}
