package dev.graft.backbone.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.graft.GraftException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network as operations in topological order, each reading the graph input or earlier nodes;
 * the last node is the output (the feature layer). It is split into layer groups at <em>cuts</em>:
 * nodes whose output is the only value that later nodes read from everything before them, so a
 * single tensor carries the state across a group boundary (what the freeze-boundary cache stores).
 *
 * <p>Group ends are the cuts where blocks meet: merges (a residual sum, an Inception concat) and
 * tensors read by more than one node, with consecutive ones of the same channel count in one group
 * (MobileNetV2's blocks 3 to 5, Inception's {@code mixed4} to {@code mixed7}). A plain chain has
 * no such cuts; it is split before each downsampling instead. The last group ends at the output.
 */
public final class LayerGraph {

    /** The graph input, as a node index. */
    public static final int INPUT = -1;

    /**
     * One operation.
     *
     * @param name the layer's name in the source model
     * @param op what it computes
     * @param inputs indices of earlier nodes, or {@link #INPUT}
     */
    public record Node(String name, GraphOp op, int[] inputs) {}

    /**
     * A layer group: nodes {@code first} to {@code last}, inclusive.
     *
     * @param name the name of its last node
     * @param first its first node
     * @param last its last node, a cut
     */
    public record Group(String name, int first, int last) {}

    private final List<Node> nodes;
    private final List<Group> groups;
    private final int inputChannels;

    /**
     * @param nodes in topological order, only ancestors of the last node (the output)
     * @param inputChannels channels of the input image
     */
    public LayerGraph(List<Node> nodes, int inputChannels) {
        if (nodes.isEmpty()) {
            throw new GraftException("the network has no layers between its input and the feature layer");
        }
        for (int i = 0; i < nodes.size(); i++) {
            for (int in : nodes.get(i).inputs()) {
                if (in < INPUT || in >= i) {
                    throw new IllegalArgumentException(nodes.get(i).name() + " reads node " + in + ", not an earlier one");
                }
            }
        }
        this.nodes = List.copyOf(nodes);
        this.inputChannels = inputChannels;
        this.groups = groups();
    }

    /** {@return the nodes in topological order} */
    public List<Node> nodes() {
        return nodes;
    }

    /** {@return the layer groups, from the input} */
    public List<Group> layerGroups() {
        return groups;
    }

    /** {@return the channels of the input image} */
    public int inputChannels() {
        return inputChannels;
    }

    /** {@return the output's channel count, or -1 when it cannot be told without running} */
    public int outputChannels() {
        int[] channels = channels();
        return channels[channels.length - 1];
    }

    /**
     * Runs groups {@code from} to {@code to - 1}.
     *
     * @param ps the parameter store of the pass
     * @param x the graph input (boundary 0), or the output of group {@code from - 1}; not closed
     * @param from the first group to run
     * @param to one past the last group to run
     * @param training whether this is a training pass
     * @return the output of group {@code to - 1}
     */
    public NDArray run(ParameterStore ps, NDArray x, int from, int to, boolean training) {
        if (from >= to) {
            return x;
        }
        int start = from == 0 ? 0 : groups.get(from - 1).last() + 1;
        int end = groups.get(to - 1).last();
        int entry = start - 1;
        int[] uses = new int[nodes.size()];
        for (int i = start; i <= end; i++) {
            for (int in : nodes.get(i).inputs()) {
                if (in > entry) {
                    uses[in]++;
                }
            }
        }
        NDArray[] values = new NDArray[nodes.size()];
        try {
            for (int i = start; i <= end; i++) {
                Node node = nodes.get(i);
                List<NDArray> inputs = new ArrayList<>(node.inputs().length);
                for (int in : node.inputs()) {
                    inputs.add(in <= entry ? x : values[in]);
                }
                values[i] = node.op().apply(ps, inputs, training);
                for (int in : node.inputs()) {
                    if (in > entry && --uses[in] == 0 && in != end) {
                        values[in].close();
                        values[in] = null;
                    }
                }
            }
            NDArray out = values[end];
            values[end] = null;
            return out;
        } finally {
            for (NDArray v : values) {
                if (v != null) {
                    v.close();
                }
            }
        }
    }

    private int[] channels() {
        int[] channels = new int[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            int[] in = nodes.get(i).inputs();
            int[] inChannels = new int[in.length];
            for (int k = 0; k < in.length; k++) {
                inChannels[k] = in[k] == INPUT ? inputChannels : channels[in[k]];
            }
            channels[i] = nodes.get(i).op().channels(inChannels);
        }
        return channels;
    }

    private List<Group> groups() {
        int n = nodes.size();
        int[] consumers = new int[n];
        int[] lastUse = new int[n];
        Arrays.fill(lastUse, -1);
        int inputLastUse = -1;
        for (int i = 0; i < n; i++) {
            for (int in : nodes.get(i).inputs()) {
                if (in == INPUT) {
                    inputLastUse = i;
                } else {
                    consumers[in]++;
                    lastUse[in] = i;
                }
            }
        }
        boolean[] cut = new boolean[n];
        int reach = inputLastUse;
        for (int i = 0; i < n; i++) {
            cut[i] = reach <= i;
            reach = Math.max(reach, lastUse[i]);
        }
        int[] channels = channels();
        List<Integer> junctions = new ArrayList<>();
        for (int i = 0; i < n - 1; i++) {
            if (cut[i] && (nodes.get(i).op() instanceof Merge || consumers[i] > 1)) {
                junctions.add(i);
            }
        }
        List<Integer> ends = new ArrayList<>();
        if (junctions.size() >= 2) {
            for (int k = 0; k < junctions.size(); k++) {
                int j = junctions.get(k);
                int next = channels[k + 1 < junctions.size() ? junctions.get(k + 1) : n - 1];
                if (channels[j] != next) {
                    ends.add(j);
                }
            }
        } else {
            for (int i = 1; i < n; i++) {
                if (nodes.get(i).op().downsamples() && cut[i - 1] && !(nodes.get(i - 1).op() instanceof Reshaping)) {
                    ends.add(i - 1);
                }
            }
        }
        ends.remove(Integer.valueOf(n - 1));
        ends.add(n - 1);
        List<Group> out = new ArrayList<>();
        int first = 0;
        for (int end : ends) {
            if (end >= first) {
                out.add(new Group(nodes.get(end).name(), first, end));
                first = end + 1;
            }
        }
        return List.copyOf(out);
    }

    /**
     * @param group index into {@link #layerGroups()}
     * @return the operations of that group, in order
     */
    public List<GraphOp> ops(int group) {
        Group g = groups.get(group);
        List<GraphOp> out = new ArrayList<>();
        for (int i = g.first(); i <= g.last(); i++) {
            out.add(nodes.get(i).op());
        }
        return out;
    }

    /**
     * @param group index into {@link #layerGroups()}
     * @return its trainable parameters by name
     */
    public Map<String, Parameter> parameters(int group) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (GraphOp op : ops(group)) {
            out.putAll(op.parameters());
        }
        return out;
    }

    /** {@return every BatchNorm running statistic by name, in graph order} */
    public Map<String, NDArray> statistics() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Node node : nodes) {
            if (node.op() instanceof BatchNormalization bn) {
                out.putAll(bn.statistics());
            }
        }
        return out;
    }

    /**
     * @param name a parameter name
     * @return whether weight decay applies to it
     */
    public boolean decays(String name) {
        for (Node node : nodes) {
            if (node.op().parameters().containsKey(name)) {
                return node.op().decays(name);
            }
        }
        return name.endsWith("/lora_A") || name.endsWith("/lora_B");
    }

    /**
     * A frozen parameter holding {@code values}.
     *
     * @param manager owns the array
     * @param name the parameter's name
     * @param values row-major
     * @param shape its shape
     * @return the parameter
     */
    public static Parameter parameter(NDManager manager, String name, float[] values, Shape shape) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(shape)
                .optArray(manager.create(values, shape)).build();
        p.freeze(true);
        return p;
    }

    /** {@return the number of nodes by operation, for messages and tests} */
    public Map<String, Integer> census() {
        Map<String, Integer> out = new HashMap<>();
        for (Node node : nodes) {
            out.merge(node.op().getClass().getSimpleName(), 1, Integer::sum);
        }
        return out;
    }
}
