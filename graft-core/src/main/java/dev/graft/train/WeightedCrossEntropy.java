package dev.graft.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/** Softmax cross-entropy where each example counts with the weight of its class; the batch mean. */
final class WeightedCrossEntropy extends Loss {

    private final float[] weights;

    WeightedCrossEntropy(float[] weights) {
        super("WeightedSoftmaxCrossEntropy");
        this.weights = weights.clone();
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logits = predictions.singletonOrThrow();
        NDArray oneHot = labels.singletonOrThrow().toType(DataType.INT32, false).oneHot(weights.length)
                .toType(logits.getDataType(), false);
        NDArray nll = logits.logSoftmax(-1).mul(oneHot).sum(new int[] {-1}).neg();
        NDArray perExample = oneHot.mul(logits.getManager().create(weights)).sum(new int[] {-1});
        return nll.mul(perExample).mean();
    }
}
