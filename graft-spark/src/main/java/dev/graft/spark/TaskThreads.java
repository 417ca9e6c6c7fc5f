package dev.graft.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;

/**
 * Intra-op threads for one task: the JVM's cores shared among the tasks it runs at once, so that
 * two tasks on two cores do not each start two PyTorch threads. {@code spark.graft.threadsPerTask}
 * overrides it.
 */
final class TaskThreads {

    private TaskThreads() {}

    /** Sets the calling task thread's PyTorch threads (OpenMP's setting is per thread). */
    static void apply() {
        SparkEnv env = SparkEnv.get();
        int threads = env == null ? Runtime.getRuntime().availableProcessors()
                : forTask(env.conf(), Runtime.getRuntime().availableProcessors());
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
    }

    /**
     * @param conf the application's configuration
     * @param cores cores this JVM may use
     * @return threads per task
     */
    static int forTask(SparkConf conf, int cores) {
        if (conf.contains("spark.graft.threadsPerTask")) {
            return Math.max(1, conf.getInt("spark.graft.threadsPerTask", 1));
        }
        return Math.max(1, cores / concurrentTasks(conf, cores));
    }

    static int concurrentTasks(SparkConf conf, int cores) {
        String master = conf.get("spark.master", "local");
        int slots;
        if (master.equals("local")) {
            slots = 1;
        } else if (master.startsWith("local[")) {
            String n = master.substring("local[".length(), master.indexOf(']'));
            slots = n.startsWith("*") ? cores : Integer.parseInt(n.split(",")[0]);
        } else {
            slots = conf.getInt("spark.executor.cores", cores);
        }
        return Math.max(1, slots / Math.max(1, conf.getInt("spark.task.cpus", 1)));
    }
}
