/**
 * The HTTP prediction server behind {@code graft serve} (Javalin). {@link dev.graft.serve.GraftServer}
 * answers {@code POST /v1/predict}, {@code GET /v1/model}, {@code /healthz}, {@code /readyz} and
 * {@code /metrics} as configured by {@link dev.graft.serve.ServeSettings}; requests
 * ({@link dev.graft.serve.PredictRequest}) are gathered into forward passes by the {@link
 * dev.graft.serve.MicroBatcher}, which scores with the {@link dev.graft.serve.ServedModel} that
 * the {@link dev.graft.serve.ModelSlot} holds. The slot swaps models without disturbing a batch in
 * flight, so the {@link dev.graft.serve.BackgroundImprover} can fine-tune behind the served model
 * and swap in a better one.
 *
 * <p>Every refusal is an {@link dev.graft.serve.ApiError} sent as JSON, never a stack trace;
 * {@link dev.graft.serve.ImageRoot} confines image paths to one directory; {@link
 * dev.graft.serve.ServerMetrics} renders Prometheus metrics; {@link dev.graft.serve.LoadGenerator}
 * is the closed-loop load test of {@code graft load-test}.
 */
package dev.graft.serve;
