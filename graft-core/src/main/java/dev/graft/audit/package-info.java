/**
 * Data and label problems found on frozen features, without training the backbone ({@code graft
 * audit}): {@link dev.graft.audit.Auditor#audit} returns an {@link dev.graft.audit.Audit} of suspect
 * labels ({@link dev.graft.audit.SuspectLabels}: confident learning on out-of-fold probe
 * probabilities), exact and near duplicates ({@link dev.graft.audit.NearDuplicates}), train/test
 * overlap, outliers, near-empty and truncated inputs, and what removing the suspects does to the
 * probe.
 */
package dev.graft.audit;
