/**
 * Training: the feature cache and extractor, the classification head and its trainer, metrics
 * and progress reporting.
 */
package dev.graft.train;
