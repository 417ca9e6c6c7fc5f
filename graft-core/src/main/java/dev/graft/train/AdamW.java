package dev.graft.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.graft.adapt.OptimizerSettings;
import java.util.HashMap;
import java.util.Map;

/**
 * AdamW with a learning rate per call (so each group gets multiplier × schedule), decoupled weight
 * decay where asked, optional L2-SP towards stored pretrained values, and a step count per
 * parameter (a parameter unfrozen late starts its own bias correction).
 */
final class AdamW {

    private final OptimizerSettings settings;
    private final NDManager manager;
    final Map<String, NDArray> firstMoment = new HashMap<>();
    final Map<String, NDArray> secondMoment = new HashMap<>();
    final Map<String, Integer> steps = new HashMap<>();

    AdamW(OptimizerSettings settings, NDManager manager) {
        this.settings = settings;
        this.manager = manager;
    }

    /**
     * Updates {@code weight} in place from its gradient; call outside a gradient collector.
     *
     * @param name stable parameter name (keys the optimiser state)
     * @param weight the parameter's array
     * @param grad its gradient
     * @param lr learning rate for this step
     * @param decay whether decoupled weight decay applies
     * @param pretrained pretrained values for L2-SP, or null
     */
    void update(String name, NDArray weight, NDArray grad, double lr, boolean decay, NDArray pretrained) {
        NDArray m = firstMoment.computeIfAbsent(name, k -> manager.zeros(weight.getShape()));
        NDArray v = secondMoment.computeIfAbsent(name, k -> manager.zeros(weight.getShape()));
        int t = steps.merge(name, 1, Integer::sum);
        double b1 = settings.beta1();
        double b2 = settings.beta2();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray g = grad;
            boolean l2sp = pretrained != null && settings.l2sp() > 0;
            if (l2sp) {
                g = g.add(weight.sub(pretrained).mul((float) settings.l2sp()));
            }
            m.muli((float) b1).addi(g.mul((float) (1 - b1)));
            v.muli((float) b2).addi(g.square().mul((float) (1 - b2)));
            double c1 = 1 - Math.pow(b1, t);
            double c2 = 1 - Math.pow(b2, t);
            NDArray step = m.div((float) c1).div(v.div((float) c2).sqrt().add((float) settings.epsilon()));
            if (decay && !l2sp && settings.weightDecay() > 0) {
                weight.muli((float) (1 - lr * settings.weightDecay()));
            }
            weight.subi(step.mul((float) lr));
        }
    }
}
